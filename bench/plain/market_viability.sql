-- market_viability(): market = 'Quebec (Montreal)' for Quebec residents, else
-- the region; health = 0.4 completion + 0.3 playlist + 0.3 premium penetration.
WITH markets AS (
    SELECT CASE WHEN u.is_quebec_resident THEN 'Quebec (Montreal)' ELSE u.geographic_region END AS market,
           count(DISTINCT s.user_id) AS unique_users,
           count(*) AS total_streams,
           round(count(*) * 1.0 / count(DISTINCT s.user_id), 1) AS streams_per_user,
           round(avg(s.stream_duration_sec)) AS avg_stream_duration,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS completion_rate,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS playlist_add_rate,
           count(DISTINCT s.user_id) FILTER (WHERE u.user_type = 'Premium') AS premium_users,
           round(count(DISTINCT s.user_id) FILTER (WHERE u.user_type = 'Premium') * 100.0
                 / count(DISTINCT s.user_id), 1) AS premium_penetration
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY 1
)
SELECT *, round(completion_rate * 0.4 + playlist_add_rate * 0.3 + premium_penetration * 0.3, 1)
          AS market_health_score
FROM markets
ORDER BY market_health_score DESC, market COLLATE "C";
