package audience

// audienceQuery reads everything an audience report needs in one
// statement, so that its parts come from one snapshot of the data.
// Parameters:
//
//	$1 account id
//	$2 first Pacific date of the window   $3 the Pacific date of now
//	$4 start of $2 (an instant)           $5 end of $3 (an instant)
//	$6 the account insights job kind
//
// Each part comes as parallel arrays (decoding them is a fraction of what
// JSON rows cost):
//
//	days:   date − $2 in days, reach, views, gained, lost; −1 for NULL
//	        (the columns are never negative); rows with any figure only
//	snaps:  taken_at in microseconds since 1970, followers; by taken_at
//	online: date in days since 1970, hour, count: the rows of the latest
//	        reading
//	demo:   metric (0 follower_demographics, 1 engaged), breakdown (0 age,
//	        1 gender, 2 country, 3 city), timeframe, key, value: the
//	        latest reading of each metric and breakdown, with its newest
//	        read_at
//
// and daily_at, online_at: when the daily figures and the online hours
// were last read; next_at: the account's queued insights job. The latest
// demographic reading is found per metric and breakdown by a backward
// probe of the primary key, not by grouping the history.
const audienceQuery = `
SELECT days.off, days.reach, days.views, days.gained, days.lost,
	snaps.at, snaps.followers,
	online.day, online.hour, online.count,
	demo.metric, demo.breakdown, demo.timeframe, demo.key, demo.value, demo.read_at,
	(SELECT max(d.read_at) FROM account_insights_daily d WHERE d.account_id = $1::uuid) AS daily_at,
	(SELECT max(o.read_at) FROM account_online_followers o WHERE o.account_id = $1::uuid) AS online_at,
	(SELECT min(j.run_at) FROM jobs j
		WHERE j.account_id = $1::uuid AND j.kind = $6 AND j.state = 'queued') AS next_at
FROM (
	SELECT COALESCE(array_agg(d.date - $2::date ORDER BY d.date), '{}') AS off,
		COALESCE(array_agg(COALESCE(d.reach, -1) ORDER BY d.date), '{}') AS reach,
		COALESCE(array_agg(COALESCE(d.views, -1) ORDER BY d.date), '{}') AS views,
		COALESCE(array_agg(COALESCE(d.gained, -1) ORDER BY d.date), '{}') AS gained,
		COALESCE(array_agg(COALESCE(d.lost, -1) ORDER BY d.date), '{}') AS lost
	FROM account_insights_daily d
	WHERE d.account_id = $1::uuid AND d.date BETWEEN $2::date AND $3::date
		AND (d.reach IS NOT NULL OR d.views IS NOT NULL OR d.gained IS NOT NULL OR d.lost IS NOT NULL)
) days
CROSS JOIN (
	SELECT COALESCE(array_agg((extract(epoch FROM s.taken_at) * 1000000)::bigint ORDER BY s.taken_at, s.taken_on), '{}') AS at,
		COALESCE(array_agg(s.followers ORDER BY s.taken_at, s.taken_on), '{}') AS followers
	FROM follower_snapshots s
	WHERE s.account_id = $1::uuid AND s.taken_at >= $4::timestamptz AND s.taken_at < $5::timestamptz
) snaps
CROSS JOIN (
	SELECT COALESCE(array_agg(o.date - DATE '1970-01-01'), '{}') AS day,
		COALESCE(array_agg(o.hour::bigint), '{}') AS hour,
		COALESCE(array_agg(o.count), '{}') AS count
	FROM account_online_followers o
	WHERE o.account_id = $1::uuid AND o.read_at = (
		SELECT max(l.read_at) FROM account_online_followers l WHERE l.account_id = $1::uuid)
) online
CROSS JOIN (
	SELECT COALESCE(array_agg(m.i), '{}') AS metric, COALESCE(array_agg(b.i), '{}') AS breakdown,
		COALESCE(array_agg(d.timeframe), '{}') AS timeframe, COALESCE(array_agg(d.key), '{}') AS key,
		COALESCE(array_agg(d.value), '{}') AS value, max(d.read_at) AS read_at
	FROM (VALUES (0::bigint, 'follower_demographics'), (1, 'engaged_audience_demographics')) AS m(i, metric)
	CROSS JOIN (VALUES (0::bigint, 'age'), (1, 'gender'), (2, 'country'), (3, 'city')) AS b(i, breakdown)
	CROSS JOIN LATERAL (
		SELECT max(x.read_on) AS read_on FROM account_demographics x
		WHERE x.account_id = $1::uuid AND x.metric = m.metric AND x.breakdown = b.breakdown) AS l
	JOIN account_demographics d ON d.account_id = $1::uuid AND d.metric = m.metric
		AND d.breakdown = b.breakdown AND d.read_on = l.read_on
) demo`
