-- Outbox mail as jobs: a send_mail job belongs to no Instagram account and
-- carries its message, sealed with the token key (never plaintext), in
-- payload. dedupe_key makes a mail unique for as long as its job row lives
-- (finished jobs are pruned after 30 days).
ALTER TABLE jobs ALTER COLUMN account_id DROP NOT NULL;
-- Job kinds are declared by the packages that run them (igsync, mail, ...),
-- not listed here: a list in the schema would need a migration per kind.
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind <> '');
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS payload TEXT;
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS dedupe_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS jobs_dedupe_uniq ON jobs (kind, dedupe_key) WHERE dedupe_key IS NOT NULL;
