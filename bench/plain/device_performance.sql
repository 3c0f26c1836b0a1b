-- device_performance(): per device x user type; listen-through = 100 x mean
-- stream duration / mean track duration; score = 0.5 completion + 0.3 (100 -
-- skip) + 0.2 listen-through; UX priority.
WITH cells AS (
    SELECT s.device_type, u.user_type,
           count(*) AS total_streams,
           count(DISTINCT s.user_id) AS unique_users,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS completion_rate,
           round(count(*) FILTER (WHERE s.skipped) * 100.0 / count(*), 1) AS skip_rate,
           round(avg(s.stream_duration_sec)) AS avg_stream_duration,
           round(avg(s.stream_duration_sec) / avg(t.track_duration_sec) * 100, 1) AS avg_listen_through_pct
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY s.device_type, u.user_type
), scored AS (
    SELECT *, round(completion_rate * 0.5 + (100 - skip_rate) * 0.3 + avg_listen_through_pct * 0.2, 1)
              AS device_experience_score
    FROM cells
)
SELECT *,
       CASE WHEN skip_rate > 50 THEN 'Critical - High Skip Rate'
            WHEN completion_rate < 60 THEN 'Needs Improvement - Low Completion'
            WHEN avg_listen_through_pct < 70 THEN 'Monitor - Short Listen Time'
            ELSE 'Healthy Performance' END AS ux_priority
FROM scored
ORDER BY device_experience_score, device_type COLLATE "C", user_type COLLATE "C";
