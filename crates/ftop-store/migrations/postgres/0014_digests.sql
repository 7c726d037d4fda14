-- The work queue's e-mail digests (issue 17). Each user may give an address, the language
-- and time zone the digest is written and scheduled in, and how often it comes (weekly,
-- daily or never). digest_sends holds one row per user and period, claimed before the
-- message goes out: its primary key keeps two instances on one database from both
-- sending, and the row records the attempts, the last error and when to try again.
-- server_secrets holds random keys made once per database (the unsubscribe links' HMAC).

ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'weekly'
    CHECK (digest IN ('weekly', 'daily', 'none'));

CREATE TABLE digest_sends (
    user_id       BIGINT NOT NULL REFERENCES users(id),
    period        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'abandoned')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    claimed_at    TEXT NOT NULL,
    next_attempt  TEXT,
    last_error    TEXT,
    sent_at       TEXT,
    PRIMARY KEY (user_id, period)
);

CREATE TABLE server_secrets (
    purpose  TEXT PRIMARY KEY,
    secret   TEXT NOT NULL
);
