-- data_quality(): each check counted on its own, as the original analysis did
-- (one query per check, UNION ALL), with the function's wording in detail.
WITH totals AS (
    SELECT (SELECT count(*) FROM vinylops.streams) AS streams,
           (SELECT count(*) FROM vinylops.users) AS users,
           (SELECT count(*) FROM vinylops.subscriptions) AS subscriptions,
           (SELECT count(*) FROM vinylops.recommendations) AS recommendations
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
    SELECT 'Playback events without a user or track', 'Critical', o.n,
           format('%s playback event(s) name a user_id missing from users (%s) or a track_id missing from tracks (%s)%s',
                  o.n, o.no_user, o.no_track,
                  CASE WHEN o.n > 0 THEN format(' (e.g. %s)', o.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, count(*) FILTER (WHERE u.user_id IS NULL) AS no_user,
                         count(*) FILTER (WHERE e.track_id IS NOT NULL AND t.track_id IS NULL) AS no_track,
                         min(e.event_id COLLATE "C") AS example
                  FROM vinylops.playback_events e
                  LEFT JOIN vinylops.users u ON u.user_id = e.user_id
                  LEFT JOIN vinylops.tracks t ON t.track_id = e.track_id
                  WHERE u.user_id IS NULL OR (e.track_id IS NOT NULL AND t.track_id IS NULL)) o
    UNION ALL
    SELECT 'Subscriptions without a user', 'Critical', o.n,
           format('%s of %s subscriptions name a user_id missing from users%s', o.n, totals.subscriptions,
                  CASE WHEN o.n > 0 THEN format(' (e.g. %s)', o.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, min(b.subscription_id COLLATE "C") AS example
                  FROM vinylops.subscriptions b LEFT JOIN vinylops.users u ON u.user_id = b.user_id
                  WHERE u.user_id IS NULL) o
    UNION ALL
    SELECT 'Recommendations without a user or track', 'Critical', o.n,
           format('%s of %s recommendations name a user_id missing from users (%s) or a track_id missing from tracks (%s)%s',
                  o.n, totals.recommendations, o.no_user, o.no_track,
                  CASE WHEN o.n > 0 THEN format(' (e.g. %s)', o.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, count(*) FILTER (WHERE u.user_id IS NULL) AS no_user,
                         count(*) FILTER (WHERE t.track_id IS NULL) AS no_track,
                         min((r.user_id || '/' || r.track_id) COLLATE "C") AS example
                  FROM vinylops.recommendations r
                  LEFT JOIN vinylops.users u ON u.user_id = r.user_id
                  LEFT JOIN vinylops.tracks t ON t.track_id = r.track_id
                  WHERE u.user_id IS NULL OR t.track_id IS NULL) o
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
    SELECT 'Negative playback durations', 'High', n.n,
           format('%s playback event(s) have duration_ms < 0%s', n.n,
                  CASE WHEN n.n > 0 THEN format(' (down to %s ms; e.g. %s)', n.lowest, n.example) ELSE '' END)
    FROM totals, (SELECT count(*) AS n, min(duration_ms) AS lowest, min(event_id COLLATE "C") AS example
                  FROM vinylops.playback_events WHERE duration_ms < 0) n
    UNION ALL
    -- A subscription (active on start_date <= d < end_date, NULL end: open)
    -- overlaps when it is active on some day and starts before the end of a
    -- subscription of the same user that starts before it (by start_date, then id).
    SELECT 'Overlapping subscriptions of one user', 'Medium', v.n,
           format('%s of %s subscriptions start before an earlier subscription of the same user ends%s',
                  v.n, totals.subscriptions,
                  CASE WHEN v.n > 0
                       THEN format(' (%s users; e.g. %s); they count twice in MRR and revenue', v.users, v.example)
                       ELSE '' END)
    FROM totals, (SELECT count(*) AS n, count(DISTINCT a.user_id) AS users, min(a.subscription_id COLLATE "C") AS example
                  FROM vinylops.subscriptions a
                  WHERE a.start_date < coalesce(a.end_date, 'infinity')
                    AND EXISTS (SELECT FROM vinylops.subscriptions b
                                WHERE b.user_id = a.user_id
                                  AND (b.start_date, b.subscription_id) < (a.start_date, a.subscription_id)
                                  AND a.start_date < coalesce(b.end_date, 'infinity'))) v
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
