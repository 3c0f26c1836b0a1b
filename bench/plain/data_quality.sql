-- data_quality(): each check counted on its own, as the original analysis did
-- (one query per check, UNION ALL), with the function's wording in detail.
WITH totals AS (
    SELECT (SELECT count(*) FROM vinylops.streams) AS streams,
           (SELECT count(*) FROM vinylops.users) AS users
), checks (check_name, severity, issue_count, detail) AS (
    SELECT 'Streams without a user', 'Critical', o.n,
           format('%s of %s streams name a user_id missing from users%s', o.n, totals.streams,
                  CASE WHEN o.n > 0 THEN format(' (e.g. %s)', o.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, min(s.user_id COLLATE "C") AS example
                  FROM vinylops.streams s LEFT JOIN vinylops.users u ON u.user_id = s.user_id
                  WHERE u.user_id IS NULL) o
    UNION ALL
    SELECT 'Streams without a track', 'Critical', o.n,
           format('%s of %s streams name a track_id missing from tracks%s', o.n, totals.streams,
                  CASE WHEN o.n > 0 THEN format(' (e.g. %s)', o.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, min(s.track_id COLLATE "C") AS example
                  FROM vinylops.streams s LEFT JOIN vinylops.tracks t ON t.track_id = s.track_id
                  WHERE t.track_id IS NULL) o
    UNION ALL
    SELECT 'Streams longer than their track', 'High', l.n,
           format('%s of %s streams (%s %%) last longer than their track%s', l.n, totals.streams,
                  coalesce(round(l.n * 100.0 / nullif(totals.streams, 0), 1), 0),
                  CASE WHEN l.n > 0 THEN format(', by up to %s s', l.by) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, max(s.stream_duration_sec - t.track_duration_sec) AS by
                  FROM vinylops.streams s JOIN vinylops.tracks t ON t.track_id = s.track_id
                  WHERE s.stream_duration_sec > t.track_duration_sec) l
    UNION ALL
    SELECT 'Streams both completed and skipped', 'High', c.n,
           format('%s of %s streams are flagged both completed and skipped', c.n, totals.streams)
    FROM totals, (SELECT count(*) AS n FROM vinylops.streams WHERE completed AND skipped) c
    UNION ALL
    SELECT 'Duplicate stream_id', 'High', d.ids,
           CASE WHEN d.ids > 0
                THEN format('%s stream_id(s) name more than one stream, %s streams in all (e.g. %s)',
                            d.ids, d.n, d.example)
                ELSE 'every stream_id names one stream' END
    FROM (SELECT count(*) AS ids, coalesce(sum(n), 0) AS n, min(stream_id COLLATE "C") AS example
          FROM (SELECT stream_id, count(*) AS n FROM vinylops.streams
                GROUP BY stream_id HAVING count(*) > 1) x) d
    UNION ALL
    SELECT 'Zero-duration streams', 'Medium', z.n,
           format('%s of %s streams have stream_duration_sec = 0', z.n, totals.streams)
    FROM totals, (SELECT count(*) AS n FROM vinylops.streams WHERE stream_duration_sec = 0) z
    UNION ALL
    SELECT 'hour_of_day disagrees with stream_time', 'Medium', h.n,
           format('%s of %s streams have an hour_of_day other than the hour of their stream_time',
                  h.n, totals.streams)
    FROM totals, (SELECT count(*) AS n FROM vinylops.streams
                  WHERE hour_of_day IS DISTINCT FROM extract(hour FROM stream_time)) h
    UNION ALL
    SELECT 'Streams dated after today', 'Medium', f.n,
           format('%s of %s streams are dated after today (latest stream_date: %s); they move churn_risk''s default as_of',
                  f.n, totals.streams, coalesce(to_char(f.latest, 'YYYY-MM-DD'), 'none'))
    FROM totals, (SELECT count(*) FILTER (WHERE stream_date > current_date) AS n, max(stream_date) AS latest
                  FROM vinylops.streams) f
    UNION ALL
    SELECT 'Rows waiting in rejected_rows', 'Medium', r.n,
           format('%s staged rows could not be loaded%s', r.n,
                  CASE WHEN r.n > 0 THEN format(' (%s); each has a reason in rejected_rows.reason', r.by_source) ELSE '' END)
    FROM (SELECT coalesce(sum(n), 0)::bigint AS n, string_agg(source || ': ' || n, ', ' ORDER BY source COLLATE "C") AS by_source
          FROM (SELECT source, count(*) AS n FROM vinylops.rejected_rows GROUP BY source) j) r
    UNION ALL
    SELECT 'Users without a region', 'Low', g.n,
           format('%s of %s users have no geographic_region%s', g.n, totals.users,
                  CASE WHEN g.n > 0 THEN format(' (e.g. %s)', g.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, min(user_id COLLATE "C") AS example FROM vinylops.users
                  WHERE coalesce(trim(geographic_region), '') = '') g
)
SELECT check_name, severity, issue_count,
       CASE WHEN issue_count = 0 THEN 'PASSED'
            WHEN severity = 'Critical' THEN 'IMMEDIATE ACTION REQUIRED'
            WHEN severity = 'High' THEN 'INVESTIGATE SOON'
            ELSE 'MONITOR' END AS status,
       detail
FROM checks
ORDER BY CASE severity WHEN 'Critical' THEN 1 WHEN 'High' THEN 2 WHEN 'Medium' THEN 3 ELSE 4 END,
         issue_count DESC, check_name COLLATE "C";
