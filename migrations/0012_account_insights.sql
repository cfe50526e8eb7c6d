-- Account insights: Instagram's daily account figures, the hours its
-- followers are online and who they are, read by the account_insights
-- jobs and shown by GET /api/growth/audience. Nothing here is pruned: the
-- rows are kept (at least two years) until the account is disconnected.

-- One row per account and US Pacific date (Instagram's account day). A
-- NULL is a figure Instagram did not report, never 0: reach and views
-- per day (reach counts unique accounts and is never summed across
-- days), gained = follower_count (new followers that day), lost = the
-- unfollows of follows_and_unfollows. read_at is the last reading that
-- wrote the row.
CREATE TABLE IF NOT EXISTS account_insights_daily (
    account_id UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    date       DATE NOT NULL,
    reach      BIGINT CHECK (reach >= 0),
    views      BIGINT CHECK (views >= 0),
    gained     BIGINT CHECK (gained >= 0),
    lost       BIGINT CHECK (lost >= 0),
    read_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, date)
);

CREATE INDEX IF NOT EXISTS account_insights_daily_read_idx ON account_insights_daily (account_id, read_at);

-- online_followers: per US Pacific date, the followers online in each
-- Pacific wall-clock hour (0-23). An hour Instagram left out has no row.
-- Every row of one reading carries that reading's read_at, so the latest
-- reading is the rows with the account's greatest read_at.
CREATE TABLE IF NOT EXISTS account_online_followers (
    account_id UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    date       DATE NOT NULL,
    hour       SMALLINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
    count      BIGINT NOT NULL CHECK (count >= 0),
    read_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, date, hour)
);

CREATE INDEX IF NOT EXISTS account_online_followers_read_idx ON account_online_followers (account_id, read_at);

-- follower_demographics and engaged_audience_demographics, one breakdown
-- per reading, as Instagram returns them (its top 45 rows). One reading
-- per breakdown and UTC date of read_at is kept; the latest is the one
-- with the greatest read_on.
CREATE TABLE IF NOT EXISTS account_demographics (
    account_id UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    metric     TEXT NOT NULL CHECK (metric IN ('follower_demographics', 'engaged_audience_demographics')),
    breakdown  TEXT NOT NULL CHECK (breakdown IN ('age', 'gender', 'country', 'city')),
    read_on    DATE NOT NULL,
    key        TEXT NOT NULL,
    value      BIGINT NOT NULL CHECK (value >= 0),
    timeframe  TEXT NOT NULL,
    read_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account_id, metric, breakdown, read_on, key)
);
