-- playback_health() as plain SQL, the way it was written before the C aggregates
-- (issue 8, item 5): count(*) FILTER / sum FILTER per device, the startup-time
-- percentiles with percentile_cont(...) WITHIN GROUP (an ordered-set aggregate:
-- it sorts every play and cannot aggregate partially), and the top error code
-- in a correlated subquery per device.  All time (no window).
SELECT e.device_type,
       e.plays,
       round(coalesce(w.play_sec, 0) / 3600.0, 2) AS play_hours,
       e.buffer_events,
       round(100.0 * e.buffer_ms / 1000.0 / nullif(coalesce(w.play_sec, 0) + e.buffer_ms / 1000.0, 0), 2) AS rebuffer_pct,
       round(e.buffer_events * 3600.0 / nullif(w.play_sec, 0), 2) AS buffers_per_hour,
       e.errors,
       round(1000.0 * e.errors / nullif(e.plays, 0), 2) AS errors_per_1000_plays,
       round(e.p50::numeric) AS p50_startup_ms,
       round(e.p95::numeric) AS p95_startup_ms,
       (SELECT x.error_code FROM vinylops.playback_events x
        WHERE x.device_type = e.device_type AND x.event_type = 'error'
        GROUP BY x.error_code
        ORDER BY count(*) DESC, x.error_code COLLATE "C"
        LIMIT 1) AS top_error_code
FROM (SELECT p.device_type,
             count(*) FILTER (WHERE p.event_type = 'play') AS plays,
             count(*) FILTER (WHERE p.event_type = 'buffer') AS buffer_events,
             coalesce(sum(p.duration_ms) FILTER (WHERE p.event_type = 'buffer'), 0) AS buffer_ms,
             count(*) FILTER (WHERE p.event_type = 'error') AS errors,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY p.duration_ms) FILTER (WHERE p.event_type = 'play') AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY p.duration_ms) FILTER (WHERE p.event_type = 'play') AS p95
      FROM vinylops.playback_events p
      GROUP BY p.device_type) e
LEFT JOIN (SELECT s.device_type, sum(s.stream_duration_sec) AS play_sec
           FROM vinylops.streams s
           GROUP BY s.device_type) w ON w.device_type = e.device_type
ORDER BY e.device_type COLLATE "C";
