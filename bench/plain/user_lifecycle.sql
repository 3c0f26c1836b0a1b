-- user_lifecycle(): cohort = month of a user's first stream; per user streams,
-- distinct active days and mean duration (whole seconds), averaged per cohort,
-- user type and Quebec flag.
WITH per_user AS (
    SELECT u.user_id, u.user_type, u.is_quebec_resident,
           to_char(min(s.stream_date), 'YYYY-MM') AS cohort_month,
           count(*) AS streams,
           count(DISTINCT s.stream_date) AS active_days,
           round(avg(s.stream_duration_sec)) AS mean_duration
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.is_quebec_resident
)
SELECT cohort_month, user_type, is_quebec_resident,
       count(*) AS cohort_size,
       round(avg(streams), 1) AS avg_streams_per_user,
       round(avg(active_days), 1) AS avg_active_days,
       round(avg(mean_duration)) AS avg_duration_seconds
FROM per_user
GROUP BY cohort_month, user_type, is_quebec_resident
ORDER BY cohort_month COLLATE "C", user_type COLLATE "C", is_quebec_resident;
