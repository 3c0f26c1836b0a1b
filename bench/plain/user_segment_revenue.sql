-- user_segment_revenue(0.004, 0.0025): per user type, age group, region and
-- Quebec flag; revenue = streams x the user type's rate; per-user revenue and
-- share of the total from the rounded revenue shown.
WITH segments AS (
    SELECT u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident,
           count(DISTINCT s.user_id) AS user_count,
           count(*) AS total_streams,
           round(count(*) * 1.0 / count(DISTINCT s.user_id), 1) AS streams_per_user,
           round(count(*) * CASE WHEN u.user_type = 'Premium' THEN 0.004 ELSE 0.0025 END, 2)
               AS estimated_segment_revenue
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident
)
SELECT *,
       round(estimated_segment_revenue / user_count, 2) AS revenue_per_user,
       round(estimated_segment_revenue * 100.0 / sum(estimated_segment_revenue) OVER (), 1)
           AS pct_of_total_revenue
FROM segments
ORDER BY estimated_segment_revenue DESC, user_type COLLATE "C", user_age_group COLLATE "C",
         geographic_region COLLATE "C", is_quebec_resident;
