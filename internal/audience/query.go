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
// Each part is a JSON array, so the statement returns one row:
//
//	days:      [date, reach, views, gained, lost], rows with any figure
//	snaps:     [taken_at, followers], by taken_at
//	online:    [date, hour, count], the rows of the latest reading
//	demo:      [metric, breakdown, timeframe, key, value, read_at], the
//	           latest reading of each metric and breakdown
//	daily_at, online_at: when the daily figures and the online hours were
//	           last read; next_at: the account's queued insights job.
//
// The latest demographic reading is found per metric and breakdown by a
// backward probe of the primary key, not by grouping the history.
const audienceQuery = `
SELECT
	(SELECT COALESCE(jsonb_agg(jsonb_build_array(to_char(d.date, 'YYYY-MM-DD'), d.reach, d.views, d.gained, d.lost)
			ORDER BY d.date), '[]'::jsonb)
		FROM account_insights_daily d
		WHERE d.account_id = $1::uuid AND d.date BETWEEN $2::date AND $3::date
			AND (d.reach IS NOT NULL OR d.views IS NOT NULL OR d.gained IS NOT NULL OR d.lost IS NOT NULL)) AS days,
	(SELECT COALESCE(jsonb_agg(jsonb_build_array(s.taken_at, s.followers) ORDER BY s.taken_at, s.taken_on), '[]'::jsonb)
		FROM follower_snapshots s
		WHERE s.account_id = $1::uuid AND s.taken_at >= $4::timestamptz AND s.taken_at < $5::timestamptz) AS snaps,
	(SELECT COALESCE(jsonb_agg(jsonb_build_array(to_char(o.date, 'YYYY-MM-DD'), o.hour, o.count)), '[]'::jsonb)
		FROM account_online_followers o
		WHERE o.account_id = $1::uuid AND o.read_at = (
			SELECT max(l.read_at) FROM account_online_followers l WHERE l.account_id = $1::uuid)) AS online,
	(SELECT COALESCE(jsonb_agg(jsonb_build_array(m.metric, b.breakdown, d.timeframe, d.key, d.value, d.read_at)), '[]'::jsonb)
		FROM (VALUES ('follower_demographics'), ('engaged_audience_demographics')) AS m(metric)
		CROSS JOIN (VALUES ('age'), ('gender'), ('country'), ('city')) AS b(breakdown)
		CROSS JOIN LATERAL (
			SELECT max(x.read_on) AS read_on FROM account_demographics x
			WHERE x.account_id = $1::uuid AND x.metric = m.metric AND x.breakdown = b.breakdown) AS l
		JOIN account_demographics d ON d.account_id = $1::uuid AND d.metric = m.metric
			AND d.breakdown = b.breakdown AND d.read_on = l.read_on) AS demo,
	(SELECT max(d.read_at) FROM account_insights_daily d WHERE d.account_id = $1::uuid) AS daily_at,
	(SELECT max(o.read_at) FROM account_online_followers o WHERE o.account_id = $1::uuid) AS online_at,
	(SELECT min(j.run_at) FROM jobs j
		WHERE j.account_id = $1::uuid AND j.kind = $6 AND j.state = 'queued') AS next_at`
