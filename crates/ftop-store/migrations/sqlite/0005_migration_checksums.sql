-- Each applied migration's SHA-256 (hex, of the text this build embeds for this engine),
-- so that a migration edited after it was applied is noticed: the store refuses to open
-- then. Rows applied before this migration are filled in on the first open that knows it.
ALTER TABLE schema_migrations ADD COLUMN checksum TEXT;
