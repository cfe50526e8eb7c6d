package growth

import "creatorgrowth/internal/postgres"

// statsQuery computes the whole growth report of one account in a single
// statement. Parameters:
//
//	$1 account id              $5 start of the last 7 days (exclusive)
//	$2 previous window start   $6 the zone's offsets from UTC in seconds, one per entry of $9
//	$3 current window start    $7 period in days
//	$4 now (window end)        $8 the account's follower count, NULL when unknown
//	$9 the instants the zone's offset changes in the current window, the
//	   window start first ($6[i] holds from $9[i]), ascending
//
// Local times are computed as seconds since 1970-01-01 local midnight
// (the UTC epoch plus the offset in force): the local day is that over
// 86,400, the hour its remainder over 3,600, and 1970-01-01 was a
// Thursday. The zone's rules come from Go (zone.go), so the statement
// needs no time zone of its own and PostgreSQL's zone database is not
// consulted.
//
// Windows are half-open on posted_at: current = ($3, $4], previous =
// ($2, $3]. Only the current window's rows are read whole (cur); the
// previous window needs its sums only. A hidden like count counts as 0
// likes, a missing comment count as 0 comments. The insights sums (views,
// reach, saved, shares) are sum() over the posts that report the metric:
// NULL when none does, never 0 for unknown.
//
// Rounding is PostgreSQL's round(numeric, n): half away from zero, on exact
// decimal values. Averages ranked against each other are compared at 30
// decimal places, which separates any two different averages of the sizes
// involved, so ties are real ties and go to the documented tie-breakers.
// Text is ordered with COLLATE "C" (byte order) whatever the database's
// collation.
var statsQuery = `
WITH cur AS MATERIALIZED (
	SELECT p.id, p.posted_at, p.media_type,
		p.views, p.reach, p.saved, p.shares, p.total_interactions AS ti,
		p.insights_captured_at IS NOT NULL AS has_ins,
		COALESCE(p.like_count, 0)::bigint AS likes,
		COALESCE(p.comments_count, 0)::bigint AS comments,
		COALESCE(p.like_count, 0)::bigint + COALESCE(p.comments_count, 0)::bigint AS eng,
		floor(date_part('epoch', p.posted_at))::bigint
			+ ($6::int[])[width_bucket(p.posted_at, $9::timestamptz[])] AS local_s
	FROM instagram_posts p
	WHERE p.account_id = $1::uuid AND p.posted_at > $3::timestamptz AND p.posted_at <= $4::timestamptz
),
c AS (
	-- The window's totals, and its posts for the dates, media types and
	-- posting slots, which Go adds up (rollup.go's windowSums): their local
	-- seconds, media types ('' for none), counts, views and reach, in one
	-- order (one aggregation feeds every array the same rows). The mean of
	-- ratios is computed at 30 decimals and rounded to 20 before its 1
	-- decimal, so that a mean exactly halfway rounds as the exact value
	-- does.
	SELECT count(*) AS posts, COALESCE(sum(likes), 0)::bigint AS likes, COALESCE(sum(comments), 0)::bigint AS comments,
		count(*) FILTER (WHERE posted_at > $5::timestamptz) AS week_posts,
		sum(views)::bigint AS views, sum(reach)::bigint AS reach,
		sum(saved)::bigint AS saved, sum(shares)::bigint AS shares,
		count(*) FILTER (WHERE has_ins) AS covered,
		round(round(avg(ti::numeric(60, 30) * 100 / reach) FILTER (WHERE reach > 0 AND ti IS NOT NULL), 20), 1) AS err,
		array_agg(local_s) AS s, array_agg(COALESCE(media_type, '')) AS mt, array_agg(likes) AS a_likes,
		array_agg(comments) AS a_comments, array_agg(views) AS a_views, array_agg(reach) AS a_reach
	FROM cur
),
prev AS (
	-- Sums only: an index-only scan of instagram_posts_account_posted_id_idx.
	SELECT count(*) AS posts,
		COALESCE(sum(like_count), 0)::bigint AS likes,
		COALESCE(sum(comments_count), 0)::bigint AS comments,
		sum(views)::bigint AS views, sum(reach)::bigint AS reach,
		sum(saved)::bigint AS saved, sum(shares)::bigint AS shares
	FROM instagram_posts
	WHERE account_id = $1::uuid AND posted_at > $2::timestamptz AND posted_at <= $3::timestamptz
),
tot AS (
	SELECT c.posts, c.likes, c.comments, c.week_posts, c.views, c.reach, c.saved, c.shares, c.covered, c.err,
		c.s, c.mt, c.a_likes, c.a_comments, c.a_views, c.a_reach,
		p.posts AS prev_posts, p.likes AS prev_likes, p.comments AS prev_comments,
		p.views AS prev_views, p.reach AS prev_reach, p.saved AS prev_saved, p.shares AS prev_shares
	FROM c CROSS JOIN prev p
),
best AS (
	SELECT id FROM cur ORDER BY eng DESC, posted_at DESC, id DESC LIMIT 1
),
` + snapSQL + `,
tags AS (
	-- The top hashtags in order: tag, posts, and average engagement in
	-- hundredths (rounded to 2 decimals).
	SELECT array_agg(r.tag ORDER BY r.avg DESC, r.n DESC, r.tag COLLATE "C") AS tag,
		array_agg(r.n ORDER BY r.avg DESC, r.n DESC, r.tag COLLATE "C") AS n,
		array_agg((round(r.avg, 2) * 100)::bigint ORDER BY r.avg DESC, r.n DESC, r.tag COLLATE "C") AS avg
	FROM (
		-- One row per post and tag, kept by triggers (migrations/0006).
		SELECT t.tag, count(*) AS n, sum(t.engagement)::numeric(60, 30) / count(*) AS avg
		FROM instagram_post_hashtags t
		WHERE t.account_id = $1::uuid AND t.posted_at > $3::timestamptz AND t.posted_at <= $4::timestamptz
		GROUP BY t.tag HAVING count(*) >= 2
		ORDER BY avg DESC, n DESC, t.tag COLLATE "C" LIMIT 5
	) r
)
SELECT t.posts, t.likes, t.comments,
	CASE WHEN t.posts = 0 THEN 0 ELSE round(t.likes::numeric / t.posts, 2) END,
	CASE WHEN t.posts = 0 THEN 0 ELSE round(t.comments::numeric / t.posts, 2) END,
	t.prev_posts, t.prev_likes, t.prev_comments,
	CASE WHEN t.prev_likes = 0 THEN CASE WHEN t.likes > 0 THEN 100 ELSE 0 END
		ELSE round((t.likes - t.prev_likes)::numeric * 100 / t.prev_likes, 1) END,
	CASE WHEN t.prev_comments = 0 THEN CASE WHEN t.comments > 0 THEN 100 ELSE 0 END
		ELSE round((t.comments - t.prev_comments)::numeric * 100 / t.prev_comments, 1) END,
	t.week_posts,
	round(t.posts::numeric * 7 / $7::int, 2),
	CASE WHEN $8::bigint IS NULL OR sn.followers IS NULL THEN NULL
		WHEN sn.followers = 0 THEN CASE WHEN $8::bigint > 0 THEN 100 ELSE 0 END
		ELSE round(($8::bigint - sn.followers)::numeric * 100 / sn.followers, 1) END,
	CASE WHEN t.posts = 0 OR $8::bigint IS NULL OR $8::bigint = 0 THEN NULL
		ELSE round((t.likes + t.comments)::numeric * 100 / (t.posts::numeric * $8::bigint), 1) END,
	` + postgres.PostColumnsOf("bp") + `,
	tags.tag,
	t.views, t.reach, t.saved, t.shares, t.prev_views, t.prev_reach, t.prev_saved, t.prev_shares,
	` + trendSQL("t.views", "t.prev_views") + `, ` + trendSQL("t.reach", "t.prev_reach") + `,
	` + trendSQL("t.saved", "t.prev_saved") + `, ` + trendSQL("t.shares", "t.prev_shares") + `,
	CASE WHEN t.posts = 0 THEN NULL ELSE round(t.covered::numeric / t.posts, 2) END, t.err,
	-- When the report stops holding: the first post after each window's
	-- lower edge (it leaves that window when the edge reaches it), the first
	-- post after now (it enters), and the snapshots around the start. A
	-- post at infinity never enters.
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $2::timestamptz AND posted_at < 'infinity'),
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $3::timestamptz AND posted_at < 'infinity'),
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $5::timestamptz AND posted_at < 'infinity'),
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $4::timestamptz AND posted_at < 'infinity'),
	sn.before_at, sn.after_at,
	t.s, t.mt, t.a_likes, t.a_comments, t.a_views, t.a_reach, tags.n, tags.avg
FROM tot t
CROSS JOIN tags
LEFT JOIN snap sn ON true
LEFT JOIN best b ON true
LEFT JOIN instagram_posts bp ON bp.id = b.id`

// trendSQL is trend(cur, prev) rounded to 1 decimal, NULL when either is.
func trendSQL(cur, prev string) string {
	return `CASE WHEN ` + cur + ` IS NULL OR ` + prev + ` IS NULL THEN NULL
		WHEN ` + prev + ` = 0 THEN CASE WHEN ` + cur + ` > 0 THEN 100 ELSE 0 END
		ELSE round((` + cur + ` - ` + prev + `)::numeric * 100 / ` + prev + `, 1) END`
}

// rollupQuery computes the growth report of one account from growth_days
// (migrations/0019, 0021): the whole UTC dates inside each window are one row
// each, and only the dates a window edge cuts through are read post by
// post: for the current window, only when the edge leaves some of the
// date's posts out (the last date, cut at now, almost never does). It
// returns what statsQuery returns but daily, media_types,
// best_posting_times and top_hashtags, for which it returns the current
// window's whole dates packed into one value and the posts of its edge
// dates as arrays (rollup.go adds both up in the report's zone: for the
// hundred-odd posts of two dates that is cheaper in Go than packing them
// here the way growth_ranges packs a date). The totals are
// combined here with the same numeric expressions as statsQuery, so they
// round alike: the mean of ratios is the sum of the same exact terms over
// their number, as avg() computes it. Parameters:
//
//	$1 account id            $6 period in days
//	$2 previous window start $7 the account's follower count, NULL when unknown
//	$3 current window start  $8 the first UTC midnight after $2
//	$4 now (window end)      $9 the UTC midnight at or before $3
//	$5 start of the last 7 days (exclusive)
//	$10 the first UTC midnight after $3 (the current window's first whole date)
//	$11 the UTC midnight at or before $4
//	$12 the first UTC midnight after $5
//	$13 true: quarter-hour sums instead of hourly ones
var rollupQuery = `
WITH wd AS (
	-- The current window's first (last) UTC date is read whole from
	-- growth_days when none of its posts lies before the window (after
	-- now), as the last one almost always is; else its posts in the window
	-- are read one by one (ep).
	SELECT NOT EXISTS (SELECT 1 FROM instagram_posts
			WHERE account_id = $1::uuid AND posted_at >= $9::timestamptz AND posted_at <= $3::timestamptz) AS first,
		NOT EXISTS (SELECT 1 FROM instagram_posts
			WHERE account_id = $1::uuid AND posted_at > $4::timestamptz AND posted_at < $11::timestamptz + interval '24 hours') AS last
),
wr AS (
	-- The dates read whole: from lo to hi (exclusive).
	SELECT CASE WHEN wd.first THEN $9::timestamptz ELSE $10::timestamptz END AT TIME ZONE 'UTC' AS lo,
		CASE WHEN wd.last THEN $11::timestamptz + interval '24 hours' ELSE $11::timestamptz END AT TIME ZONE 'UTC' AS hi
	FROM wd
),
ep AS MATERIALIZED (
	-- The posts of the current window's first UTC date after its start and
	-- of its last one up to now, unless the date is read whole (wd).
	SELECT x.*
	FROM (
		SELECT p.id, p.posted_at, p.hashtags, COALESCE(p.media_type, '') AS mt,
			COALESCE(p.like_count, 0)::bigint AS likes, COALESCE(p.comments_count, 0)::bigint AS comments,
			p.views, p.reach, p.saved, p.shares, p.total_interactions AS ti, p.insights_captured_at,
			floor(date_part('epoch', p.posted_at))::bigint AS s
		FROM instagram_posts p
		WHERE p.account_id = $1::uuid AND p.posted_at > $3::timestamptz AND p.posted_at < $10::timestamptz
			AND NOT (SELECT first FROM wd)
		UNION ALL
		SELECT p.id, p.posted_at, p.hashtags, COALESCE(p.media_type, ''),
			COALESCE(p.like_count, 0)::bigint, COALESCE(p.comments_count, 0)::bigint,
			p.views, p.reach, p.saved, p.shares, p.total_interactions, p.insights_captured_at,
			floor(date_part('epoch', p.posted_at))::bigint
		FROM instagram_posts p
		WHERE p.account_id = $1::uuid AND p.posted_at >= $11::timestamptz AND p.posted_at <= $4::timestamptz
			AND NOT (SELECT last FROM wd)
	) x
),
e AS (
	-- The edges' sums as one growth_days row would hold them (none without
	-- posts), and the posts of the last date for w.
	SELECT count(*)::int AS posts, sum(likes)::bigint AS likes, sum(comments)::bigint AS comments,
		sum(views)::bigint AS views, sum(reach)::bigint AS reach, sum(saved)::bigint AS saved, sum(shares)::bigint AS shares,
		count(*) FILTER (WHERE insights_captured_at IS NOT NULL)::int AS covered,
		sum(ti::numeric(60, 30) * 100 / reach) FILTER (WHERE reach > 0 AND ti IS NOT NULL) AS err_sum,
		count(*) FILTER (WHERE reach > 0 AND ti IS NOT NULL)::int AS err_n,
		count(*) FILTER (WHERE posted_at >= $11::timestamptz) AS last_posts
	FROM ep HAVING count(*) > 0
),
eb AS (
	SELECT id, likes + comments AS eng, posted_at FROM ep ORDER BY likes + comments DESC, posted_at DESC, id DESC LIMIT 1
),
ea AS (
	-- One aggregation feeds every array the same rows, in one order.
	SELECT array_agg(s) AS s, array_agg(mt) AS mt, array_agg(likes) AS likes,
		array_agg(comments) AS comments, array_agg(views) AS views, array_agg(reach) AS reach
	FROM ep
),
et AS (
	-- Each tag of an edge post once, with the post's engagement.
	SELECT array_agg(t.tag) AS tag, array_agg(t.eng) AS eng
	FROM (SELECT DISTINCT ep.id, u.tag, ep.likes + ep.comments AS eng
		FROM ep CROSS JOIN LATERAL unnest(ep.hashtags) AS u(tag) WHERE u.tag IS NOT NULL) t
),
cur AS MATERIALIZED (
	SELECT d.posts, d.likes, d.comments, d.views, d.reach, d.saved, d.shares, d.covered, d.err_sum, d.err_n,
		d.best_id, d.best_eng, d.best_at, CASE WHEN $13::bool THEN d.quarters ELSE d.hours END AS packed
	FROM growth_days d
	WHERE d.account_id = $1::uuid AND d.day >= (SELECT lo FROM wr)::date AND d.day < (SELECT hi FROM wr)::date
	UNION ALL
	SELECT e.posts, e.likes, e.comments, e.views, e.reach, e.saved, e.shares, e.covered, e.err_sum, e.err_n,
		eb.id, eb.eng, eb.posted_at, NULL::bytea
	FROM e CROSS JOIN eb
),
c AS (
	SELECT COALESCE(sum(posts), 0)::bigint AS posts, COALESCE(sum(likes), 0)::bigint AS likes,
		COALESCE(sum(comments), 0)::bigint AS comments,
		sum(views)::bigint AS views, sum(reach)::bigint AS reach, sum(saved)::bigint AS saved, sum(shares)::bigint AS shares,
		COALESCE(sum(covered), 0)::bigint AS covered,
		round(round(sum(err_sum) / sum(err_n), 20), 1) AS err,
		string_agg(packed, ''::bytea) AS packed
	FROM cur
),
p AS (
	-- The previous window: its whole dates, and its two edges from the posts,
	-- added up as bigint (what the totals are) rather than numeric.
	SELECT COALESCE(sum(x.posts), 0)::bigint AS posts, COALESCE(sum(x.likes), 0)::bigint AS likes,
		COALESCE(sum(x.comments), 0)::bigint AS comments,
		sum(x.views)::bigint AS views, sum(x.reach)::bigint AS reach, sum(x.saved)::bigint AS saved, sum(x.shares)::bigint AS shares
	FROM (
		SELECT d.posts::bigint AS posts, d.likes, d.comments, d.views, d.reach, d.saved, d.shares
		FROM growth_days d
		WHERE d.account_id = $1::uuid AND d.day >= ($8::timestamptz AT TIME ZONE 'UTC')::date
			AND d.day < ($9::timestamptz AT TIME ZONE 'UTC')::date
		UNION ALL
		SELECT count(*), sum(like_count)::bigint, sum(comments_count)::bigint, sum(views)::bigint, sum(reach)::bigint,
			sum(saved)::bigint, sum(shares)::bigint
		FROM instagram_posts
		WHERE account_id = $1::uuid AND posted_at > $2::timestamptz AND posted_at < $8::timestamptz
		UNION ALL
		SELECT count(*), sum(like_count)::bigint, sum(comments_count)::bigint, sum(views)::bigint, sum(reach)::bigint,
			sum(saved)::bigint, sum(shares)::bigint
		FROM instagram_posts
		WHERE account_id = $1::uuid AND posted_at >= $9::timestamptz AND posted_at <= $3::timestamptz
	) x
),
w AS (
	-- Posts of the last 7 days: the date of its start from the posts, the
	-- whole dates after it, and the current window's last edge.
	SELECT (SELECT count(*) FROM instagram_posts
			WHERE account_id = $1::uuid AND posted_at > $5::timestamptz AND posted_at < $12::timestamptz)
		+ (SELECT COALESCE(sum(d.posts), 0) FROM growth_days d
			WHERE d.account_id = $1::uuid AND d.day >= ($12::timestamptz AT TIME ZONE 'UTC')::date
				AND d.day < (SELECT hi FROM wr)::date)
		+ COALESCE((SELECT e.last_posts FROM e), 0) AS posts
),
tot AS (
	SELECT c.posts, c.likes, c.comments, w.posts AS week_posts, c.views, c.reach, c.saved, c.shares, c.covered, c.err, c.packed,
		p.posts AS prev_posts, p.likes AS prev_likes, p.comments AS prev_comments,
		p.views AS prev_views, p.reach AS prev_reach, p.saved AS prev_saved, p.shares AS prev_shares
	FROM c CROSS JOIN p CROSS JOIN w
),
best AS (
	SELECT best_id AS id FROM cur ORDER BY best_eng DESC, best_at DESC, best_id DESC LIMIT 1
),
` + snapSQL + `
SELECT t.posts, t.likes, t.comments,
	CASE WHEN t.posts = 0 THEN 0 ELSE round(t.likes::numeric / t.posts, 2) END,
	CASE WHEN t.posts = 0 THEN 0 ELSE round(t.comments::numeric / t.posts, 2) END,
	t.prev_posts, t.prev_likes, t.prev_comments,
	` + trendSQL("t.likes", "t.prev_likes") + `,
	` + trendSQL("t.comments", "t.prev_comments") + `,
	t.week_posts,
	round(t.posts::numeric * 7 / $6::int, 2),
	CASE WHEN $7::bigint IS NULL OR sn.followers IS NULL THEN NULL
		WHEN sn.followers = 0 THEN CASE WHEN $7::bigint > 0 THEN 100 ELSE 0 END
		ELSE round(($7::bigint - sn.followers)::numeric * 100 / sn.followers, 1) END,
	CASE WHEN t.posts = 0 OR $7::bigint IS NULL OR $7::bigint = 0 THEN NULL
		ELSE round((t.likes + t.comments)::numeric * 100 / (t.posts::numeric * $7::bigint), 1) END,
	` + postgres.PostColumnsOf("bp") + `,
	t.packed,
	t.views, t.reach, t.saved, t.shares, t.prev_views, t.prev_reach, t.prev_saved, t.prev_shares,
	` + trendSQL("t.views", "t.prev_views") + `, ` + trendSQL("t.reach", "t.prev_reach") + `,
	` + trendSQL("t.saved", "t.prev_saved") + `, ` + trendSQL("t.shares", "t.prev_shares") + `,
	CASE WHEN t.posts = 0 THEN NULL ELSE round(t.covered::numeric / t.posts, 2) END, t.err,
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $2::timestamptz AND posted_at < 'infinity'),
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $3::timestamptz AND posted_at < 'infinity'),
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $5::timestamptz AND posted_at < 'infinity'),
	(SELECT min(posted_at) FROM instagram_posts WHERE account_id = $1::uuid AND posted_at > $4::timestamptz AND posted_at < 'infinity'),
	sn.before_at, sn.after_at,
	ea.s, ea.mt, ea.likes, ea.comments, ea.views, ea.reach, et.tag, et.eng
FROM tot t
CROSS JOIN ea
CROSS JOIN et
LEFT JOIN snap sn ON true
LEFT JOIN best b ON true
LEFT JOIN instagram_posts bp ON bp.id = b.id`

// snapSQL is the snap CTE of both statements: the follower snapshot
// closest to the window start ($3) among those up to now ($4), and the
// times of the snapshots on either side of it.
const snapSQL = `snap AS (
	SELECT CASE
			WHEN af.taken_at IS NULL OR af.taken_at > $4::timestamptz THEN be.followers
			WHEN be.taken_at IS NULL THEN af.followers
			WHEN af.taken_at - $3::timestamptz < $3::timestamptz - be.taken_at THEN af.followers
			ELSE be.followers END AS followers,
		be.taken_at AS before_at, af.taken_at AS after_at
	FROM (SELECT 1) one
	LEFT JOIN LATERAL (
		SELECT followers, taken_at FROM follower_snapshots
		WHERE account_id = $1::uuid AND taken_at <= $3::timestamptz
		ORDER BY taken_at DESC, taken_on DESC LIMIT 1
	) be ON true
	LEFT JOIN LATERAL (
		SELECT followers, taken_at FROM follower_snapshots
		WHERE account_id = $1::uuid AND taken_at > $3::timestamptz
		ORDER BY taken_at, taken_on LIMIT 1
	) af ON true
)`
