#!/usr/bin/env bash
# Smoke test of the harness with curl: full code flow + PKCE, both client auth methods,
# ID token claims, short-lived client. Needs curl, node, and `npm ci` done in this folder.
# Usage: bash tests/oidc-provider/smoke.sh   (exits non-zero on any failure)
set -euo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
RU=http://127.0.0.1:9/callback
export OIDC_PORT=0 OIDC_CONFIG='{"clients":[
 {"client_id":"ftop","client_secret":"s3cret","redirect_uris":["http://127.0.0.1:9/callback"]},
 {"client_id":"ftop-short","client_secret":"s3cret2","redirect_uris":["http://127.0.0.1:9/callback"]}],
 "accounts":[{"sub":"u-alice","email":"alice@example.com","email_verified":true,"name":"Alice A",
 "groups":["admins","ops"],"org":"acme"}],"short_lived_client":"ftop-short"}'
node "$DIR/provider.mjs" >"$TMP/out" 2>"$TMP/err" & PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do grep -q '^READY ' "$TMP/out" && break; sleep 0.1; done
ISS=$(awk '/^READY /{print $2}' "$TMP/out")
[[ -n $ISS ]] || { echo "provider did not start"; cat "$TMP/err"; exit 1; }
echo "issuer: $ISS"
curl -sf "$ISS/.well-known/openid-configuration" >/dev/null

# flow CLIENT_ID SECRET LOGIN basic|post  -> prints the decoded ID token payload, checks it
flow() {
  local cid=$1 sec=$2 login=$3 mode=$4 jar="$TMP/jar-$RANDOM" state=st$RANDOM nonce=n$RANDOM
  local ver ch r loc code tok
  ver=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')
  ch=$(V=$ver node -e 'console.log(require("crypto").createHash("sha256").update(process.env.V).digest("base64url"))')
  c() { curl -s -o /dev/null -c "$jar" -b "$jar" -w '%{http_code} %{redirect_url}' "$@"; }
  # 1. authorization request -> 303 /interaction/<uid>
  r=$(c -G "$ISS/auth" --data-urlencode response_type=code --data-urlencode "client_id=$cid" \
    --data-urlencode "redirect_uri=$RU" --data-urlencode 'scope=openid email profile' \
    --data-urlencode "state=$state" --data-urlencode "nonce=$nonce" \
    --data-urlencode "code_challenge=$ch" --data-urlencode code_challenge_method=S256)
  [[ $r == 303\ $ISS/interaction/* ]] || { echo "auth: $r"; return 1; }
  loc=${r#* }
  # 2. login form (GET is optional for scripts) and 3. POST it -> 303 /auth/<uid>
  c "$loc" >/dev/null
  r=$(c --data-urlencode prompt=login --data-urlencode "login=$login" --data-urlencode password=x "$loc/login")
  [[ $r == 303\ $ISS/auth/* ]] || { echo "login: $r"; return 1; }
  # 4. resume -> 303 redirect_uri?code=..&state=..&iss=..
  r=$(c "${r#* }"); loc=${r#* }
  [[ $loc == "$RU?"*"state=$state"* ]] || { echo "resume: $r"; return 1; }
  code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$loc")
  local form=(-d grant_type=authorization_code -d "code=$code" -d "redirect_uri=$RU" -d "code_verifier=$ver")
  if [[ $mode == basic ]]; then tok=$(curl -s -u "$cid:$sec" "${form[@]}" "$ISS/token")
  else tok=$(curl -s -d "client_id=$cid" -d "client_secret=$sec" "${form[@]}" "$ISS/token"); fi
  TOK=$tok ISS=$ISS AUD=$cid NONCE=$nonce TTL=$5 node -e '
    const { TOK: tok, ISS: iss, AUD: aud, NONCE: nonce, TTL: ttl } = process.env;
    const t = JSON.parse(tok); if (!t.id_token) { console.error(tok); process.exit(1); }
    const p = JSON.parse(Buffer.from(t.id_token.split(".")[1], "base64url"));
    const h = JSON.parse(Buffer.from(t.id_token.split(".")[0], "base64url"));
    console.log(JSON.stringify(h)); console.log(JSON.stringify(p, null, 2));
    const ok = h.alg === "RS256" && p.iss === iss && p.aud === aud && p.nonce === nonce
      && p.sub === "u-alice" && p.email === "alice@example.com" && p.org === "acme"
      && Array.isArray(p.groups) && p.exp - p.iat === Number(ttl);
    if (!ok) { console.error("ID token check FAILED"); process.exit(1); }
    console.log(`ok: exp - iat = ${p.exp - p.iat}`);
  '
}
echo "== ftop, login by email, client_secret_basic"; flow ftop s3cret alice@example.com basic 3600
echo "== ftop, login by sub, client_secret_post"; flow ftop s3cret u-alice post 3600
echo "== ftop-short (short_lived_client)"; flow ftop-short s3cret2 alice@example.com basic 2
kill -TERM $PID; wait $PID; echo "provider exited with $? after SIGTERM"
[[ ! -s $TMP/err ]] || { echo "unexpected stderr:"; cat "$TMP/err"; exit 1; }
echo "smoke: 3 passed, 0 failed"
