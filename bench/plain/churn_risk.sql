-- churn_risk(): per user with streams, completion rate and days since the last
-- stream before the data's last day; > 60 days High Risk, > 30 Medium Risk,
-- completion < 50 % Low Engagement, everyone else left out.
WITH cutoff AS (
    SELECT max(stream_date) AS day FROM vinylops.streams
), per_user AS (
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident,
           count(*) AS total_streams,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS completion_rate,
           max(s.stream_date) AS last_stream_date,
           (SELECT day FROM cutoff) - max(s.stream_date) AS days_since_last_stream
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    WHERE s.stream_date <= (SELECT day FROM cutoff)
    GROUP BY u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident
)
SELECT user_id, user_type, geographic_region, is_quebec_resident, total_streams, completion_rate,
       last_stream_date, days_since_last_stream,
       CASE WHEN days_since_last_stream > 60 THEN 'High Risk'
            WHEN days_since_last_stream > 30 THEN 'Medium Risk'
            ELSE 'Low Engagement' END AS churn_risk_category
FROM per_user
WHERE days_since_last_stream > 30 OR completion_rate < 50
ORDER BY days_since_last_stream DESC, completion_rate, user_id COLLATE "C";
