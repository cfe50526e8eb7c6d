-- A computed report of the 100,000-post account with period=90 carried
-- about 137 kB of growth_days' packed sums (by_hour) from PostgreSQL to
-- the server, 36 bytes per UTC hour with posts and 20 to 30 per media type
-- and hashtag of each date: moving and reading them was a third of its
-- time. Nearly every number in them is small, so the new columns hours and
-- quarters hold the same sums with every integer as growth_int writes it,
-- the bucket times relative to their date: about a quarter of the size.
-- The columns have new names, so that a server still reading the old
-- format fails plainly rather than misreading the new one: upgrade every
-- replica together.

-- growth_int is an integer as a record field: 0 to 247 as that one byte;
-- up to 65535 as 249 and two bytes, up to 2^24 - 1 as 250 and three, up
-- to 2^32 - 1 as 251 and four (big-endian); any other (a negative one
-- included) as 255 and the eight bytes of int8send.
CREATE OR REPLACE FUNCTION growth_int(v BIGINT) RETURNS BYTEA
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN v >= 0 AND v < 248 THEN substring(int4send(v::int) from 4)
        WHEN v >= 0 AND v < 65536 THEN substring(int4send((16318464 | v)::int) from 2) -- 249 << 16
        WHEN v >= 0 AND v < 16777216 THEN int4send((-100663296 | v)::int) -- 250 << 24, as an int4
        WHEN v >= 0 AND v < 4294967296 THEN substring(int8send(1078036791296 | v) from 4) -- 251 << 32
        ELSE '\xff'::bytea || int8send(v)
    END
$$;

-- growth_string is a text as a record field: its length in bytes
-- (growth_int), then its UTF-8 bytes.
CREATE OR REPLACE FUNCTION growth_string(t TEXT) RETURNS BYTEA
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT growth_int(octet_length(t)) || convert_to(t, 'UTF8')
$$;

-- growth_ranges sums up, for each (account, lo, hi), the account's posts
-- with lo <= posted_at < hi as a growth_days row. A range without posts
-- has no row. One pass for all the ranges, so that a statement touching a
-- thousand dates rebuilds them at once.
--
-- hours is, every integer a growth_int: the UTC hour of lo (hours since
-- 1970-01-01); the number of media types, then per media type (NULL as
-- ''), in byte order: growth_string, posts, likes, comments; the number of
-- hashtags, then per hashtag, in order: growth_string, posts, engagement
-- (likes + comments); the number of UTC hours with posts, then per hour, in
-- time order: the hour less the hour of lo, posts * 4 (plus 2 when a post
-- reports views and 1 when one reports reach), likes, comments, then the
-- views and the reach when reported. quarters is the same with
-- quarter-hours. Times are whole seconds since the epoch, as the report
-- counts them.
DROP FUNCTION IF EXISTS growth_ranges(UUID[], TIMESTAMPTZ[], TIMESTAMPTZ[]);
CREATE FUNCTION growth_ranges(accs UUID[], los TIMESTAMPTZ[], his TIMESTAMPTZ[])
RETURNS TABLE (account_id UUID, lo TIMESTAMPTZ, posts INT, likes BIGINT, comments BIGINT, views BIGINT, reach BIGINT,
    saved BIGINT, shares BIGINT, covered INT, err_sum NUMERIC, err_n INT, best_id UUID, best_eng BIGINT,
    best_at TIMESTAMPTZ, hours BYTEA, quarters BYTEA)
LANGUAGE sql STABLE AS $$
    WITH r AS (
        SELECT DISTINCT u.acc, u.lo, u.hi FROM unnest(accs, los, his) AS u(acc, lo, hi)
    ),
    p AS MATERIALIZED (
        -- One index scan per range, whatever a generic plan thinks of the
        -- arrays' sizes. h and q are the post's hour and quarter-hour since
        -- the epoch (floored before 1970 too), lh and lq those of lo.
        SELECT r.acc, r.lo, p.*, CASE WHEN p.s >= 0 THEN p.s / 3600 ELSE -((3599 - p.s) / 3600) END AS h,
            CASE WHEN p.s >= 0 THEN p.s / 900 ELSE -((899 - p.s) / 900) END AS q,
            floor(date_part('epoch', r.lo) / 3600)::bigint AS lh, floor(date_part('epoch', r.lo) / 900)::bigint AS lq
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
            growth_int(count(*))
                || string_agg(growth_string(x.mt) || growth_int(x.n) || growth_int(x.l) || growth_int(x.c), ''::bytea ORDER BY x.mt),
            NULL, NULL, NULL
        FROM (SELECT p.acc, p.lo, p.mt, count(*) AS n, sum(p.likes)::bigint AS l, sum(p.comments)::bigint AS c
              FROM p GROUP BY p.acc, p.lo, p.mt) x
        GROUP BY x.acc, x.lo
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            growth_int(count(*)) || string_agg(growth_string(x.tag) || growth_int(x.n) || growth_int(x.e), ''::bytea ORDER BY x.tag),
            NULL, NULL
        FROM (SELECT u.acc, u.lo, u.tag, count(*) AS n, sum(u.eng)::bigint AS e
              FROM (SELECT DISTINCT p.acc, p.lo, p.id, unnest(p.hashtags) AS tag, p.likes + p.comments AS eng
                    FROM p) u
              GROUP BY u.acc, u.lo, u.tag) x
        GROUP BY x.acc, x.lo
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            growth_int(count(*)) || string_agg(growth_int(x.k - x.k0) || growth_int(x.n) || growth_int(x.l) || growth_int(x.c)
                || CASE WHEN x.n & 2 = 2 THEN growth_int(x.v) ELSE ''::bytea END
                || CASE WHEN x.n & 1 = 1 THEN growth_int(x.r) ELSE ''::bytea END, ''::bytea ORDER BY x.k), NULL
        FROM (SELECT p.acc, p.lo, p.h AS k, p.lh AS k0,
                count(*) * 4 + CASE WHEN count(p.views) > 0 THEN 2 ELSE 0 END + CASE WHEN count(p.reach) > 0 THEN 1 ELSE 0 END AS n,
                sum(p.likes)::bigint AS l, sum(p.comments)::bigint AS c, sum(p.views)::bigint AS v, sum(p.reach)::bigint AS r
              FROM p GROUP BY p.acc, p.lo, p.h, p.lh) x
        GROUP BY x.acc, x.lo
        UNION ALL
        SELECT x.acc, x.lo, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            growth_int(count(*)) || string_agg(growth_int(x.k - x.k0) || growth_int(x.n) || growth_int(x.l) || growth_int(x.c)
                || CASE WHEN x.n & 2 = 2 THEN growth_int(x.v) ELSE ''::bytea END
                || CASE WHEN x.n & 1 = 1 THEN growth_int(x.r) ELSE ''::bytea END, ''::bytea ORDER BY x.k)
        FROM (SELECT p.acc, p.lo, p.q AS k, p.lq AS k0,
                count(*) * 4 + CASE WHEN count(p.views) > 0 THEN 2 ELSE 0 END + CASE WHEN count(p.reach) > 0 THEN 1 ELSE 0 END AS n,
                sum(p.likes)::bigint AS l, sum(p.comments)::bigint AS c, sum(p.views)::bigint AS v, sum(p.reach)::bigint AS r
              FROM p GROUP BY p.acc, p.lo, p.q, p.lq) x
        GROUP BY x.acc, x.lo
    )
    SELECT y.acc, y.lo, y.posts, y.likes, y.comments, y.views, y.reach, y.saved, y.shares, y.covered,
        y.err_sum, y.err_n, y.best_id, y.best_eng, y.best_at,
        growth_int(floor(date_part('epoch', y.lo) / 3600)::bigint) || y.facts || y.hours,
        growth_int(floor(date_part('epoch', y.lo) / 900)::bigint) || y.facts || y.quarters
    FROM (
        SELECT x.acc, x.lo, max(x.posts) AS posts, max(x.likes) AS likes, max(x.comments) AS comments,
            max(x.views) AS views, max(x.reach) AS reach, max(x.saved) AS saved, max(x.shares) AS shares,
            max(x.covered) AS covered, max(x.err_sum) AS err_sum, max(x.err_n) AS err_n,
            (array_agg(x.best_id) FILTER (WHERE x.best_id IS NOT NULL))[1] AS best_id,
            max(x.best_eng) AS best_eng, max(x.best_at) AS best_at,
            string_agg(x.media, ''::bytea) || COALESCE(string_agg(x.tags, ''::bytea), '\x00'::bytea) AS facts,
            string_agg(x.hours, ''::bytea) AS hours, string_agg(x.quarters, ''::bytea) AS quarters
        FROM parts x
        GROUP BY x.acc, x.lo
    ) y
$$;

-- The rows are rebuilt from the posts, as 0019 built them: about a minute
-- per million posts here (63 s for 1.1 million on 731,000 dates). Readers
-- of growth_days wait for the migration.
TRUNCATE growth_days;
ALTER TABLE growth_days DROP COLUMN by_hour, DROP COLUMN by_quarter,
    ADD COLUMN hours BYTEA NOT NULL, ADD COLUMN quarters BYTEA NOT NULL;
-- Never compressed; small enough now to stay in the row.
ALTER TABLE growth_days ALTER COLUMN hours SET STORAGE EXTERNAL, ALTER COLUMN quarters SET STORAGE EXTERNAL;

DROP FUNCTION IF EXISTS growth_text(TEXT); -- the old format's

-- growth_days_refresh as in 0019, writing the new columns.
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
        err_sum, err_n, best_id, best_eng, best_at, hours, quarters)
    SELECT f.account_id, (f.lo AT TIME ZONE 'UTC')::date, f.posts, f.likes, f.comments, f.views, f.reach, f.saved,
        f.shares, f.covered, f.err_sum, f.err_n, f.best_id, f.best_eng, f.best_at, f.hours, f.quarters
    FROM growth_ranges(accounts, los, his) f;
END
$$;

INSERT INTO growth_days (account_id, day, posts, likes, comments, views, reach, saved, shares, covered,
    err_sum, err_n, best_id, best_eng, best_at, hours, quarters)
SELECT f.account_id, (f.lo AT TIME ZONE 'UTC')::date, f.posts, f.likes, f.comments, f.views, f.reach, f.saved,
    f.shares, f.covered, f.err_sum, f.err_n, f.best_id, f.best_eng, f.best_at, f.hours, f.quarters
FROM (SELECT array_agg(k.account_id) AS accs, array_agg(k.day::timestamp AT TIME ZONE 'UTC') AS los,
        array_agg((k.day + 1)::timestamp AT TIME ZONE 'UTC') AS his
      FROM (SELECT DISTINCT account_id, (posted_at AT TIME ZONE 'UTC')::date AS day
            FROM instagram_posts WHERE isfinite(posted_at)) k) a
CROSS JOIN LATERAL growth_ranges(a.accs, a.los, a.his) f;
