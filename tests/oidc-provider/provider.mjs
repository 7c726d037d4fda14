// Real OpenID Connect provider (panva/oidc-provider) for ftop SSO tests.
// Env: OIDC_PORT (0 = free port), OIDC_CONFIG (JSON: clients, accounts, short_lived_client),
// OIDC_DEBUG=1 to let oidc-provider's notices through (on stderr).
// Prints exactly one stdout line, `READY <issuer>`, once listening. See README.md.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

// oidc-provider prints dev notices with console.info/warn (stdout!) at import and on first use:
// keep stdout for the READY line only.
const toStderr = (...a) => { if (process.env.OIDC_DEBUG) console.error(...a); };
console.info = console.warn = console.log = toStderr;
const { default: Provider } = await import('oidc-provider');

const cfg = JSON.parse(process.env.OIDC_CONFIG || '{}');
const accounts = cfg.accounts || [];
const port = Number(process.env.OIDC_PORT || 0);

const lookup = (id) => accounts.find((a) => a.sub === id)
  || accounts.find((a) => a.email && a.email.toLowerCase() === String(id).toLowerCase());

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (uid, error = '') => `<!DOCTYPE html><html><head><title>Sign-in</title></head><body>
<h1>Sign-in</h1>${error && `<p class="error">${esc(error)}</p>`}
<form autocomplete="off" action="/interaction/${uid}/login" method="post">
<input type="hidden" name="prompt" value="login"/>
<input required type="text" name="login" placeholder="sub or email" autofocus="on">
<input type="password" name="password" placeholder="any password">
<button type="submit">Sign-in</button></form>
<form action="/interaction/${uid}/abort" method="post"><button type="submit">Cancel</button></form>
</body></html>`;

const readForm = async (req) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
};

const start = (issuer) => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    clients: (cfg.clients || []).map((c) => ({
      grant_types: ['authorization_code'], response_types: ['code'], ...c,
    })),
    jwks: { keys: [{ ...key, kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] },
    // Plain http on 127.0.0.1: no `secure` flag (only set when the request is https); SameSite=Lax
    // instead of the default None for the session cookie (browsers drop None without Secure).
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    responseTypes: ['code'],
    pkce: { methods: ['S256'], required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups', 'org'],
      groups: ['groups', 'org'],
    },
    conformIdTokenClaims: false, // scope-granted claims go into the ID token too
    features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    clientBasedCORS: () => true,
    ttl: {
      AccessToken: 3600, AuthorizationCode: 60, Grant: 3600, Interaction: 600, Session: 3600,
      RefreshToken: 86400, ClientCredentials: 600,
      IdToken: (ctx, token, client) => (client.clientId === cfg.short_lived_client ? 2 : 3600),
    },
    async findAccount(ctx, id) {
      const a = lookup(id);
      if (!a) return undefined;
      return {
        accountId: a.sub,
        async claims() {
          return {
            sub: a.sub, email: a.email, email_verified: a.email_verified, name: a.name,
            groups: a.groups || [], org: a.org,
          };
        },
      };
    },
    // Automatic consent: every request is granted exactly the scopes/claims it asks for.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        accountId: ctx.oidc.account.accountId, clientId: ctx.oidc.client.clientId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    async renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  });

  // Minimal login interaction (replaces devInteractions so `login` can be a sub or an email).
  provider.use(async (ctx, next) => {
    const m = ctx.path.match(/^\/interaction\/([\w-]+)(?:\/(login|abort))?$/);
    if (!m) return next();
    const [, uid, action] = m;
    ctx.set('cache-control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res).catch((err) => {
      ctx.throw(err.statusCode || 400, `${err.message}: ${err.error_description || ''}`);
    });
    if (details.uid !== uid) ctx.throw(400, 'interaction uid mismatch');
    if (ctx.method === 'GET' && !action) {
      ctx.type = 'html';
      ctx.body = page(uid);
    } else if (ctx.method === 'POST' && action === 'abort') {
      await provider.interactionFinished(ctx.req, ctx.res, {
        error: 'access_denied', error_description: 'End-User aborted interaction',
      }, { mergeWithLastSubmission: false });
    } else if (ctx.method === 'POST' && action === 'login') {
      const login = (await readForm(ctx.req)).get('login') || '';
      const account = lookup(login.trim());
      if (!account) { // re-render the form (200) with an error; the interaction stays usable
        ctx.type = 'html';
        ctx.body = page(uid, `unknown login: ${login}`);
        return undefined;
      }
      await provider.interactionFinished(ctx.req, ctx.res, {
        login: { accountId: account.sub },
      }, { mergeWithLastSubmission: false });
    } else {
      ctx.throw(405);
    }
    return undefined;
  });
  return provider;
};

// Bind first (port 0 => the OS picks), then build the provider with the real issuer.
let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = createServer((req, res) => handler(req, res));
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = start(issuer);
  provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));
  handler = provider.callback();
  process.stdout.write(`READY ${issuer}\n`);
});

const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
