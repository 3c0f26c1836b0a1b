-- peak_usage(): per hour x device x region; distinct users; share of the
-- device's streams; usage period (23 and 0-5 Late Night).
WITH cells AS (
    SELECT s.hour_of_day::integer AS hour, s.device_type, u.geographic_region,
           count(*) AS stream_count,
           count(DISTINCT s.user_id) AS concurrent_users,
           round(avg(s.stream_duration_sec)) AS avg_stream_duration
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY 1, 2, 3
)
SELECT *,
       round(stream_count * 100.0 / sum(stream_count) OVER (PARTITION BY device_type), 1)
           AS pct_of_device_traffic,
       CASE WHEN hour BETWEEN 18 AND 22 THEN 'Peak Evening'
            WHEN hour BETWEEN 12 AND 14 THEN 'Lunch Rush'
            WHEN hour BETWEEN 6 AND 9 THEN 'Morning Commute'
            WHEN hour >= 23 OR hour <= 5 THEN 'Late Night'
            ELSE 'Off-Peak' END AS usage_period
FROM cells
ORDER BY stream_count DESC, hour, device_type COLLATE "C", geographic_region COLLATE "C";
