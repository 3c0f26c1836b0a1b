-- artist_partnership_roi(0.004, 0.0025): per artist x genre; royalty =
-- premium streams x 0.004 + free streams x 0.0025 dollars; tiers at 10 / 5 / 2.
WITH artists AS (
    SELECT t.artist_name, t.genre,
           count(*) AS total_streams,
           count(DISTINCT s.user_id) AS unique_listeners,
           count(*) FILTER (WHERE u.user_type = 'Premium') AS premium_streams,
           count(*) FILTER (WHERE u.user_type = 'Free') AS free_streams,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS completion_rate,
           round(count(*) FILTER (WHERE u.user_type = 'Premium') * 0.004
                 + count(*) FILTER (WHERE u.user_type = 'Free') * 0.0025, 2) AS estimated_royalty_value,
           round(count(*) * 1.0 / count(DISTINCT s.user_id), 1) AS streams_per_listener
    FROM vinylops.streams s
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY t.artist_name, t.genre
)
SELECT *,
       CASE WHEN estimated_royalty_value >= 10 THEN 'Tier 1 - High Value'
            WHEN estimated_royalty_value >= 5 THEN 'Tier 2 - Medium Value'
            WHEN estimated_royalty_value >= 2 THEN 'Tier 3 - Growing'
            ELSE 'Tier 4 - Emerging' END AS partnership_tier
FROM artists
ORDER BY estimated_royalty_value DESC, artist_name COLLATE "C", genre COLLATE "C";
