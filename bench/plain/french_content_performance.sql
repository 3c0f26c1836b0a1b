-- french_content_performance(): per language x genre; score = 0.35 completion
-- + 0.35 replay + 0.30 playlist-add rate; by genre, French first.
WITH cells AS (
    SELECT CASE WHEN t.is_french_language THEN 'French' ELSE 'Non-French' END AS language_category,
           t.genre,
           count(*) AS total_streams,
           count(DISTINCT s.user_id) AS unique_listeners,
           round(count(*) * 1.0 / count(DISTINCT s.user_id), 1) AS streams_per_listener,
           round(avg(s.stream_duration_sec)) AS avg_stream_duration,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS completion_rate,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS replay_rate,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS playlist_add_rate
    FROM vinylops.streams s
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY 1, 2
)
SELECT *, round(completion_rate * 0.35 + replay_rate * 0.35 + playlist_add_rate * 0.30, 1)
          AS content_performance_score
FROM cells
ORDER BY genre COLLATE "C", language_category COLLATE "C";
