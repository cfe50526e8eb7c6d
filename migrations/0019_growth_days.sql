-- A computed growth report read every post of both windows: about 16,400
-- rows for an account with 100,000 posts and period=90. growth_days keeps,
-- per account and UTC date of posted_at, what the report needs of that
-- date's posts, so that the whole UTC dates inside a window are read as one
-- row each and only the dates a window edge cuts through are read post by
-- post (internal/growth/rollup.go). The post triggers keep it, in the
-- statement that changes the posts.
CREATE TABLE IF NOT EXISTS growth_days (
    account_id UUID NOT NULL REFERENCES instagram_accounts(id) ON DELETE CASCADE,
    day        DATE NOT NULL, -- the UTC date of the posts' posted_at
    posts      INT NOT NULL,
    likes      BIGINT NOT NULL, -- hidden counts as 0
    comments   BIGINT NOT NULL, -- missing counts as 0
    -- The insights sums over the posts that report the metric, NULL when none does.
    views      BIGINT,
    reach      BIGINT,
    saved      BIGINT,
    shares     BIGINT,
    covered    INT NOT NULL, -- posts with insights
    -- engagement_rate_by_reach: the sum of the exact numeric terms
    -- total_interactions::numeric(60, 30) * 100 / reach (NULL when there is
    -- none) and how many there are.
    err_sum    NUMERIC,
    err_n      INT NOT NULL,
    -- The date's best post by the report's order.
    best_id    UUID NOT NULL,
    best_eng   BIGINT NOT NULL,
    best_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The media types, hashtags and sums per UTC hour (quarter-hour), as
    -- a report reads them (growth_ranges).
    by_hour    BYTEA NOT NULL,
    by_quarter BYTEA NOT NULL,
    PRIMARY KEY (account_id, day)
);

-- Read whole or not at all, never compressed.
ALTER TABLE growth_days ALTER COLUMN by_hour SET STORAGE EXTERNAL, ALTER COLUMN by_quarter SET STORAGE EXTERNAL;
ALTER TABLE growth_days SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 2000);

-- growth_text is a text as a record field: its length in bytes (int4), then
-- its UTF-8 bytes.
CREATE OR REPLACE FUNCTION growth_text(t TEXT) RETURNS BYTEA
LANGUAGE sql STABLE AS $$
    SELECT int4send(octet_length(t)) || convert_to(t, 'UTF8')
$$;

-- growth_ranges sums up, for each (account, lo, hi), the account's posts
-- with lo <= posted_at < hi as a growth_days row: for whole UTC dates when
-- the triggers keep the table, for the parts of dates inside a window when
-- a report is computed. A range without posts has no row. One pass for
-- all the ranges, so that a statement touching a thousand dates rebuilds
-- them at once.
--
-- by_hour is the length of the facts (int4), the facts, the length of the
-- hours (int4), the hours; by_quarter the same with the quarter-hours. The
-- facts: the number of media types (int4), then per media type (NULL as
-- ''), in byte order: growth_text, posts (int4), likes, comments (int8);
-- then per hashtag, in order: growth_text, posts (int4), engagement (int8:
-- likes + comments). The hours (quarter-hours): one record of 36 bytes per
-- UTC hour (quarter-hour) with posts, in time order: the hour (quarter-hour)
-- since 1970-01-01 (int4), the posts (int4, plus 2^30 when a post reports
-- views and 2^29 when one reports reach), likes, comments, views, reach
-- (int8 each, 0 when not reported). Times are whole seconds since the
-- epoch, as the report counts them.
CREATE OR REPLACE FUNCTION growth_ranges(accs UUID[], los TIMESTAMPTZ[], his TIMESTAMPTZ[])
RETURNS TABLE (account_id UUID, lo TIMESTAMPTZ, posts INT, likes BIGINT, comments BIGINT, views BIGINT, reach BIGINT,
    saved BIGINT, shares BIGINT, covered INT, err_sum NUMERIC, err_n INT, best_id UUID, best_eng BIGINT,
    best_at TIMESTAMPTZ, by_hour BYTEA, by_quarter BYTEA)
LANGUAGE sql STABLE AS $$
    WITH r AS (
        SELECT DISTINCT u.acc, u.lo, u.hi FROM unnest(accs, los, his) AS u(acc, lo, hi)
    ),
    p AS MATERIALIZED (
        -- One index scan per range, whatever a generic plan thinks of the
        -- arrays' sizes.
        SELECT r.acc, r.lo, p.*
        FROM r CROSS JOIN LATERAL (
            SELECT p.id, p.posted_at, p.hashtags, COALESCE(p.media_type, '') AS mt,
                COALESCE(p.like_count, 0)::bigint AS likes, COALESCE(p.comments_count, 0)::bigint AS comments,
                p.views, p.reach, p.saved, p.shares, p.total_interactions AS ti, p.insights_captured_at,
                floor(date_part('epoch', p.posted_at))::bigint AS s
            FROM instagram_posts p
            WHERE p.account_id = r.acc AND p.posted_at >= r.lo AND p.posted_at < r.hi
            OFFSET 0 -- not pulled up into a join of every post of the accounts
        ) p
    ),
    -- Each part below has one row per range; they are put together by a
    -- GROUP BY rather than joins, whose plans a generic plan's guess of ten
    -- ranges could turn into nested loops redoing a part for every range.
    parts AS (
        SELECT p.acc, p.lo, count(*)::int AS posts, sum(p.likes)::bigint AS likes, sum(p.comments)::bigint AS comments,
            sum(p.views)::bigint AS views, sum(p.reach)::bigint AS reach,
            sum(p.saved)::bigint AS saved, sum(p.shares)::bigint AS shares,
            count(*) FILTER (WHERE p.insights_captured_at IS NOT NULL)::int AS covered,
            sum(p.ti::numeric(60, 30) * 100 / p.reach) FILTER (WHERE p.reach > 0 AND p.ti IS NOT NULL) AS err_sum,
            count(*) FILTER (WHERE p.reach > 0 AND p.ti IS NOT NULL)::int AS err_n,
            NULL::uuid AS best_id, NULL::bigint AS best_eng, NULL::timestamptz AS best_at,
            NULL::bytea AS media, NULL::bytea AS tags, NULL::bytea AS hours, NULL::bytea AS quarters
        FROM p GROUP BY p.acc, p.lo
        UNION ALL
        SELECT * FROM (
            SELECT DISTINCT ON (p.acc, p.lo) p.acc, p.lo, NULL::int, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint,
                NULL::bigint, NULL::bigint, NULL::int, NULL::numeric, NULL::int,
                p.id, p.likes + p.comments, p.posted_at, NULL::bytea, NULL::bytea, NULL::bytea, NULL::bytea
            FROM p ORDER BY p.acc, p.lo, p.likes + p.comments DESC, p.posted_at DESC, p.id DESC
        ) b
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            int4send(count(*)::int)
                || string_agg(growth_text(x.mt) || int4send(x.n) || int8send(x.l) || int8send(x.c), ''::bytea ORDER BY x.mt),
            NULL, NULL, NULL
        FROM (SELECT p.acc, p.lo, p.mt, count(*)::int AS n, sum(p.likes)::bigint AS l, sum(p.comments)::bigint AS c
              FROM p GROUP BY p.acc, p.lo, p.mt) x
        GROUP BY x.acc, x.lo
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            string_agg(growth_text(x.tag) || int4send(x.n) || int8send(x.e), ''::bytea ORDER BY x.tag), NULL, NULL
        FROM (SELECT u.acc, u.lo, u.tag, count(*)::int AS n, sum(u.eng)::bigint AS e
              FROM (SELECT DISTINCT p.acc, p.lo, p.id, unnest(p.hashtags) AS tag, p.likes + p.comments AS eng
                    FROM p) u
              GROUP BY u.acc, u.lo, u.tag) x
        GROUP BY x.acc, x.lo
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            string_agg(int4send(x.k::int) || int4send(x.n) || int8send(x.l) || int8send(x.c)
                || int8send(x.v) || int8send(x.r), ''::bytea ORDER BY x.k), NULL
        FROM (SELECT p.acc, p.lo, p.s / 3600 AS k,
                count(*)::int + CASE WHEN count(p.views) > 0 THEN 1073741824 ELSE 0 END
                    + CASE WHEN count(p.reach) > 0 THEN 536870912 ELSE 0 END AS n,
                sum(p.likes)::bigint AS l, sum(p.comments)::bigint AS c,
                COALESCE(sum(p.views), 0)::bigint AS v, COALESCE(sum(p.reach), 0)::bigint AS r
              FROM p GROUP BY p.acc, p.lo, p.s / 3600) x
        GROUP BY x.acc, x.lo
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            string_agg(int4send(x.k::int) || int4send(x.n) || int8send(x.l) || int8send(x.c)
                || int8send(x.v) || int8send(x.r), ''::bytea ORDER BY x.k)
        FROM (SELECT p.acc, p.lo, p.s / 900 AS k,
                count(*)::int + CASE WHEN count(p.views) > 0 THEN 1073741824 ELSE 0 END
                    + CASE WHEN count(p.reach) > 0 THEN 536870912 ELSE 0 END AS n,
                sum(p.likes)::bigint AS l, sum(p.comments)::bigint AS c,
                COALESCE(sum(p.views), 0)::bigint AS v, COALESCE(sum(p.reach), 0)::bigint AS r
              FROM p GROUP BY p.acc, p.lo, p.s / 900) x
        GROUP BY x.acc, x.lo
    )
    SELECT y.acc, y.lo, y.posts, y.likes, y.comments, y.views, y.reach, y.saved, y.shares, y.covered,
        y.err_sum, y.err_n, y.best_id, y.best_eng, y.best_at,
        int4send(length(y.facts)) || y.facts || int4send(length(y.hours)) || y.hours,
        int4send(length(y.facts)) || y.facts || int4send(length(y.quarters)) || y.quarters
    FROM (
        SELECT x.acc, x.lo, max(x.posts) AS posts, max(x.likes) AS likes, max(x.comments) AS comments,
            max(x.views) AS views, max(x.reach) AS reach, max(x.saved) AS saved, max(x.shares) AS shares,
            max(x.covered) AS covered, max(x.err_sum) AS err_sum, max(x.err_n) AS err_n,
            (array_agg(x.best_id) FILTER (WHERE x.best_id IS NOT NULL))[1] AS best_id,
            max(x.best_eng) AS best_eng, max(x.best_at) AS best_at,
            string_agg(x.media, ''::bytea) || COALESCE(string_agg(x.tags, ''::bytea), ''::bytea) AS facts,
            string_agg(x.hours, ''::bytea) AS hours, string_agg(x.quarters, ''::bytea) AS quarters
        FROM parts x
        GROUP BY x.acc, x.lo
    ) y
$$;

-- growth_days_refresh rebuilds the given (account, date) pairs from
-- instagram_posts; a date left without posts loses its row. Posts with no
-- or an infinite posted_at are in no window and in no date.
--
-- It first takes the accounts' rows, in id order (the lock the advice and
-- data_version triggers take anyway): two writers of one account's posts
-- rebuild its dates one after the other, the second from a snapshot taken
-- after the first committed, so neither change is lost.
CREATE OR REPLACE FUNCTION growth_days_refresh(accounts UUID[], days DATE[]) RETURNS void
LANGUAGE plpgsql
-- One plan for every call: planning the inlined growth_ranges takes longer
-- than running it on a few dates.
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    los TIMESTAMPTZ[];
    his TIMESTAMPTZ[];
BEGIN
    PERFORM 1 FROM instagram_accounts WHERE id = ANY(accounts) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM growth_days d USING unnest(accounts, days) AS k(account_id, day)
    WHERE d.account_id = k.account_id AND d.day = k.day;
    SELECT array_agg(u.d::timestamp AT TIME ZONE 'UTC' ORDER BY u.i), array_agg((u.d + 1)::timestamp AT TIME ZONE 'UTC' ORDER BY u.i)
        INTO los, his
    FROM unnest(days) WITH ORDINALITY AS u(d, i);
    INSERT INTO growth_days (account_id, day, posts, likes, comments, views, reach, saved, shares, covered,
        err_sum, err_n, best_id, best_eng, best_at, by_hour, by_quarter)
    SELECT f.account_id, (f.lo AT TIME ZONE 'UTC')::date, f.posts, f.likes, f.comments, f.views, f.reach, f.saved,
        f.shares, f.covered, f.err_sum, f.err_n, f.best_id, f.best_eng, f.best_at, f.by_hour, f.by_quarter
    FROM growth_ranges(accounts, los, his) f;
END
$$;

-- Inserted or deleted posts: the trigger names its transition table
-- changed_posts, so that one function serves both.
CREATE OR REPLACE FUNCTION growth_days_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    accounts UUID[];
    days     DATE[];
BEGIN
    SELECT array_agg(k.account_id), array_agg(k.day) INTO accounts, days
    FROM (SELECT DISTINCT account_id, (posted_at AT TIME ZONE 'UTC')::date AS day
          FROM changed_posts WHERE isfinite(posted_at)) k;
    IF accounts IS NOT NULL THEN
        PERFORM growth_days_refresh(accounts, days);
    END IF;
    RETURN NULL;
END
$$;

-- A sync rewrites every post it reads (fetched_at); only the posts whose
-- account or a column that the report reads changed have their dates, old
-- and new, rebuilt.
CREATE OR REPLACE FUNCTION growth_days_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    accounts UUID[];
    days     DATE[];
BEGIN
    WITH changed AS (
        SELECT n.account_id AS new_account, n.posted_at AS new_at, o.account_id AS old_account, o.posted_at AS old_at
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.account_id, n.posted_at, n.like_count, n.comments_count, n.media_type, n.hashtags,
               n.insights_captured_at, n.views, n.reach, n.saved, n.shares, n.total_interactions)
            IS DISTINCT FROM (o.account_id, o.posted_at, o.like_count, o.comments_count, o.media_type, o.hashtags,
               o.insights_captured_at, o.views, o.reach, o.saved, o.shares, o.total_interactions)
    )
    SELECT array_agg(k.account_id), array_agg(k.day) INTO accounts, days FROM (
        SELECT new_account AS account_id, (new_at AT TIME ZONE 'UTC')::date AS day FROM changed WHERE isfinite(new_at)
        UNION
        SELECT old_account, (old_at AT TIME ZONE 'UTC')::date FROM changed WHERE isfinite(old_at)
    ) k;
    IF accounts IS NOT NULL THEN
        PERFORM growth_days_refresh(accounts, days);
    END IF;
    RETURN NULL;
END
$$;

-- Named to fire after the advice triggers, which take the account rows in
-- id order first, and before the data_version triggers (triggers of one
-- event fire in name order).
CREATE OR REPLACE TRIGGER instagram_posts_growth_days_inserted AFTER INSERT ON instagram_posts
    REFERENCING NEW TABLE AS changed_posts
    FOR EACH STATEMENT EXECUTE FUNCTION growth_days_rows();
CREATE OR REPLACE TRIGGER instagram_posts_growth_days_updated AFTER UPDATE ON instagram_posts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION growth_days_updated();
CREATE OR REPLACE TRIGGER instagram_posts_growth_days_deleted AFTER DELETE ON instagram_posts
    REFERENCING OLD TABLE AS changed_posts
    FOR EACH STATEMENT EXECUTE FUNCTION growth_days_rows();

INSERT INTO growth_days (account_id, day, posts, likes, comments, views, reach, saved, shares, covered,
    err_sum, err_n, best_id, best_eng, best_at, by_hour, by_quarter)
SELECT f.account_id, (f.lo AT TIME ZONE 'UTC')::date, f.posts, f.likes, f.comments, f.views, f.reach, f.saved,
    f.shares, f.covered, f.err_sum, f.err_n, f.best_id, f.best_eng, f.best_at, f.by_hour, f.by_quarter
FROM (SELECT array_agg(k.account_id) AS accs, array_agg(k.day::timestamp AT TIME ZONE 'UTC') AS los,
        array_agg((k.day + 1)::timestamp AT TIME ZONE 'UTC') AS his
      FROM (SELECT DISTINCT account_id, (posted_at AT TIME ZONE 'UTC')::date AS day
            FROM instagram_posts WHERE isfinite(posted_at)) k) a
CROSS JOIN LATERAL growth_ranges(a.accs, a.los, a.his) f
ON CONFLICT DO NOTHING;
