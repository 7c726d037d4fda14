-- Sign-in sessions (the cookie holds a random token; only its SHA-256 is stored) and
-- failed sign-in attempts for throttling, shared by every instance.

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE sign_in_failures (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    peer   TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX sign_in_failures_name ON sign_in_failures(name, at);
CREATE INDEX sign_in_failures_peer ON sign_in_failures(peer, at);
