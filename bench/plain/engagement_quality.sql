-- engagement_quality(3): users with at least 3 streams; score = 0.4 completion
-- + 0.3 replay + 0.3 playlist-add rate (from the rounded rates); segments.
WITH rates AS (
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident,
           count(*) AS total_streams,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS completion_rate,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS replay_rate,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS playlist_add_rate
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident
    HAVING count(*) >= 3
), scored AS (
    SELECT *, round(completion_rate * 0.4 + replay_rate * 0.3 + playlist_add_rate * 0.3, 1) AS score
    FROM rates
)
SELECT user_id, user_type, geographic_region, is_quebec_resident, total_streams,
       completion_rate, replay_rate, playlist_add_rate, score AS engagement_quality_score,
       CASE WHEN score >= 40 THEN 'Power User'
            WHEN score >= 25 THEN 'Engaged User'
            WHEN score >= 15 THEN 'Casual User'
            ELSE 'At-Risk User' END AS user_segment
FROM scored
ORDER BY score DESC, user_id COLLATE "C";
