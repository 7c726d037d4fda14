-- Single sign-on: the subject (`sub` claim) an OpenID Connect provider gave a user at
-- their first sign-in through it. A later sign-in must come with the same subject, so a
-- re-issued e-mail address at the provider cannot take over an existing account.

ALTER TABLE users ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX users_sso_subject ON users (sso_subject) WHERE sso_subject IS NOT NULL;
