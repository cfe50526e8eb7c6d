-- Linked Instagram professional accounts, their posts, follower history,
-- the single-use OAuth states and the durable job queue.

CREATE TABLE IF NOT EXISTS instagram_accounts (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ig_user_id       TEXT UNIQUE NOT NULL,
    username         TEXT,
    access_token     TEXT NOT NULL, -- AES-256-GCM ciphertext, base64; never plaintext
    token_expires_at TIMESTAMP WITH TIME ZONE,
    token_issued_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    followers        BIGINT,
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth')),
    last_synced_at   TIMESTAMP WITH TIME ZONE,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS instagram_accounts_user_idx ON instagram_accounts (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS instagram_accounts_token_expiry_idx ON instagram_accounts (token_expires_at) WHERE status = 'active';

CREATE TABLE IF NOT EXISTS instagram_posts (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    ig_post_id     TEXT NOT NULL,
    account_id     UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    caption        TEXT,
    media_type     TEXT,
    media_url      TEXT,
    permalink      TEXT,
    like_count     INT,          -- NULL when the owner hides like counts
    comments_count INT,
    posted_at      TIMESTAMP WITH TIME ZONE,
    fetched_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    hashtags       TEXT[] NOT NULL DEFAULT '{}', -- lower-cased, extracted from caption at ingest
    UNIQUE (account_id, ig_post_id)
);

-- Window scans for stats and the newest-first post list. INCLUDE lets the
-- totals come from an index-only scan.
CREATE INDEX IF NOT EXISTS instagram_posts_account_posted_idx
    ON instagram_posts (account_id, posted_at DESC)
    INCLUDE (like_count, comments_count, media_type);

CREATE TABLE IF NOT EXISTS follower_snapshots (
    account_id UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    taken_on   DATE NOT NULL,
    followers  BIGINT NOT NULL,
    taken_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, taken_on)
);

CREATE TABLE IF NOT EXISTS oauth_states (
    nonce      TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX IF NOT EXISTS oauth_states_expires_idx ON oauth_states (expires_at);

CREATE TABLE IF NOT EXISTS jobs (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    kind          TEXT NOT NULL CHECK (kind IN ('fetch_posts', 'refresh_token')),
    account_id    UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts      INT NOT NULL DEFAULT 0,
    max_attempts  INT NOT NULL DEFAULT 5,
    run_at        TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    locked_by     TEXT,
    locked_until  TIMESTAMP WITH TIME ZONE,
    last_error    TEXT,
    posts_fetched INT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    finished_at   TIMESTAMP WITH TIME ZONE
);

-- At most one pending or running job of a kind per account.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_pending_uniq ON jobs (kind, account_id) WHERE state IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS jobs_claim_idx ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS jobs_account_idx ON jobs (account_id, created_at DESC);

-- Periodic schedules, claimed by whichever replica sees them due first.
CREATE TABLE IF NOT EXISTS schedules (
    name        TEXT PRIMARY KEY,
    next_run_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
