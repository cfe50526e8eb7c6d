-- Goals: a target for one of the user's accounts by a deadline
-- (POST/GET/DELETE /api/goals). start_value is the metric's value when the
-- goal was set, the origin of its progress. A user may set several.
CREATE TABLE IF NOT EXISTS goals (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id  UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    metric      TEXT NOT NULL CHECK (metric IN ('followers')),
    target      BIGINT NOT NULL CHECK (target > 0),
    deadline    DATE NOT NULL,
    start_value BIGINT NOT NULL CHECK (start_value >= 0),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- The list of an account's goals, oldest first, for its owner.
CREATE INDEX IF NOT EXISTS goals_user_account_idx ON goals (user_id, account_id, created_at, id);
CREATE INDEX IF NOT EXISTS goals_account_idx ON goals (account_id);
