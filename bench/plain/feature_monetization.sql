-- feature_monetization(5): users with at least 5 streams, bucketed by their
-- rounded playlist-add rate x user type x Quebec flag; Premium share per bucket.
WITH per_user AS (
    SELECT u.user_id, u.user_type, u.is_quebec_resident,
           count(*) AS total_streams,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS playlist_rate,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS replay_rate
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.is_quebec_resident
    HAVING count(*) >= 5
), bucketed AS (
    SELECT *, CASE WHEN playlist_rate >= 20 THEN 1
                   WHEN playlist_rate >= 10 THEN 2
                   WHEN playlist_rate > 0 THEN 3
                   ELSE 4 END AS bucket
    FROM per_user
)
SELECT (ARRAY['High Playlist User', 'Medium Playlist User', 'Light Playlist User',
              'Non-Playlist User'])[bucket] AS playlist_user_segment,
       user_type, is_quebec_resident,
       count(*) AS user_count,
       round(avg(total_streams), 1) AS avg_streams,
       round(avg(playlist_rate), 1) AS avg_playlist_rate,
       round(avg(replay_rate), 1) AS avg_replay_rate,
       round(count(*) FILTER (WHERE user_type = 'Premium') * 100.0 / count(*), 1) AS premium_conversion_rate
FROM bucketed
GROUP BY bucket, user_type, is_quebec_resident
ORDER BY bucket, user_type COLLATE "C", is_quebec_resident;
