-- quebec_cultural_engagement(5): users with at least 5 streams; French share;
-- affinity = 60 if Quebec resident + 0.4 French %; audience segments.
WITH per_user AS (
    SELECT u.user_id, u.geographic_region, u.user_type, u.is_quebec_resident,
           count(*) AS total_streams,
           count(*) FILTER (WHERE t.is_french_language) AS french_streams,
           round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) AS french_content_pct
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY u.user_id, u.geographic_region, u.user_type, u.is_quebec_resident
    HAVING count(*) >= 5
)
SELECT *,
       round(CASE WHEN is_quebec_resident THEN 60 ELSE 0 END + french_content_pct * 0.4, 1)
           AS quebec_affinity_score,
       CASE WHEN is_quebec_resident AND french_content_pct >= 30 THEN 'Core Quebec Audience'
            WHEN is_quebec_resident AND french_content_pct >= 15 THEN 'Quebec Resident - Moderate French'
            WHEN is_quebec_resident THEN 'Quebec Resident - Low French'
            WHEN french_content_pct >= 25 THEN 'Non-Quebec Francophile'
            ELSE 'General Audience' END AS audience_segment
FROM per_user
ORDER BY quebec_affinity_score DESC, user_id COLLATE "C";
