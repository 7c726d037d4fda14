-- Credentials that end: sessions remember when and from where they were last used (idle
-- timeout, the list of one's own sessions), API tokens may expire, and sign-in throttling
-- keeps one row per name and per client address, updated atomically (see sessions.rs).

ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE sessions ADD COLUMN address TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

CREATE TABLE sign_in_throttle (
    key         TEXT PRIMARY KEY,
    failures    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_throttle_updated ON sign_in_throttle(updated_at);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);
CREATE INDEX sessions_expires ON sessions(expires_at);
