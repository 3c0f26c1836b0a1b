-- ---------------------------------------------------------------------------
-- Report 5, french_content_performance(): French against other tracks, per genre.
-- ---------------------------------------------------------------------------

-- The report's cells when streams.user_id's foreign key is not enforced: a
-- stream may then name a user that has no key, so the listeners are counted
-- by user_id, per (cell, listener) first, then per cell.  A function of its
-- own, not inlined (the SET clause): inlined, this branch's cost, never run
-- when the key is enforced, was planned with the report's, and took the plan
-- past jit_optimize_above_cost at 19 M streams, so LLVM optimised every
-- expression of the report (doc/performance.md, eleventh measurement).
-- Called from a function scan, its own query still runs in parallel.
CREATE FUNCTION @extschema@.french_content_cells_by_user_id()
RETURNS TABLE (
    is_french_language boolean,
    genre              text,
    m                  @extschema@.stream_metrics_result,
    unique_listeners   bigint)
LANGUAGE sql STABLE PARALLEL SAFE
SET jit = off
BEGIN ATOMIC
    SELECT l.is_french_language, l.genre,
           @extschema@.stream_metrics_merge(l.st) AS m,
           pg_catalog.count(*) AS unique_listeners
    FROM (SELECT t.is_french_language, t.genre, s.user_id,
                 @extschema@.stream_metrics_partial(s.completed, s.skipped, s.replayed,
                                                    s.added_to_playlist, s.stream_duration_sec,
                                                    t.track_duration_sec) AS st
          FROM @extschema@.streams s
          JOIN @extschema@.tracks t ON t.track_id = s.track_id
          GROUP BY t.is_french_language, t.genre, s.user_id) l
    GROUP BY l.is_french_language, l.genre;
END;

COMMENT ON FUNCTION @extschema@.french_content_cells_by_user_id() IS
'french_content_performance''s cells, listeners counted by user_id: the branch for streams whose user_id''s foreign key is not enforced';

-- Compares French and non-French tracks genre by genre (doc/reports.md, report 5).
CREATE FUNCTION @extschema@.french_content_performance()
RETURNS TABLE (
    language_category         text,
    genre                     text,
    total_streams             bigint,
    unique_listeners          bigint,
    streams_per_listener      numeric,
    avg_stream_duration       numeric,
    completion_rate           numeric,
    replay_rate               numeric,
    playlist_add_rate         numeric,
    content_performance_score numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- With streams.user_id's foreign key enforced (the normal case) every
    -- stream has its user's surrogate key, which keys a set of listeners per
    -- cell: one pass, partial in parallel workers (cell_metrics, which keeps
    -- per cell the counts of stream_metrics and the set of user keys in one
    -- aggregate call per stream; doc/performance.md), and users is not read.  Otherwise a stream may name
    -- a user that has no key, so the listeners are counted by user_id
    -- (french_content_cells_by_user_id).  A one-time filter runs one branch
    -- only.
    --
    -- In the keyed branch the track's cell is looked up by
    -- track_key in an int4 array built once per call (dense_int_array), read a
    -- few rows later, prefetched (cell_metrics_keyed), where a hash join probed
    -- the tracks for every stream: the cell is a code (its
    -- rank among the cells, from 1; 0 or NULL for a missing track, whose
    -- streams are dropped with that code, as the join dropped them).
    WITH keys AS (
        SELECT @extschema@.foreign_key_enforced('@extschema@.streams', 'user_id',
                                                '@extschema@.users', 'user_id') AS user_key
    ), cells AS NOT MATERIALIZED (
        -- The (language, genre) pairs numbered in order: the tracks are
        -- grouped first, so only the pairs are sorted, not every track.
        SELECT g.is_french_language, g.genre,
               pg_catalog.row_number() OVER (ORDER BY g.is_french_language, g.genre COLLATE "C")::integer AS code
        FROM (SELECT DISTINCT t.is_french_language, t.genre FROM @extschema@.tracks t) g
    ), track_codes AS NOT MATERIALIZED (
        SELECT t.track_key, c.code
        FROM @extschema@.tracks t
        JOIN cells c ON c.is_french_language = t.is_french_language AND c.genre = t.genre
    ), tallied AS (
        SELECT @extschema@.cell_metrics_keyed(
                   NULL, 0,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(c.track_key),
                                                       pg_catalog.array_agg(c.code), 0)
                    FROM track_codes c), s.track_key,
                   -- The report reads no listen-through, so the track's
                   -- duration is not looked up.
                   s.user_key, s.completed, s.skipped, s.replayed, s.added_to_playlist,
                   s.stream_duration_sec, NULL, NULL) AS per_code
        FROM @extschema@.streams s
        WHERE (SELECT k.user_key FROM keys k)
    ), per_cell_joined AS (
        SELECT c.is_french_language, c.genre, @extschema@.stream_metrics_final(p.metrics) AS m,
               p.users AS unique_listeners
        FROM tallied g
        CROSS JOIN @extschema@.cell_metrics_rows(g.per_code) p
        JOIN cells c ON c.code = p.code
    ), per_cell AS (
        SELECT j.is_french_language, j.genre, j.m, j.unique_listeners
        FROM per_cell_joined j
        UNION ALL
        SELECT l.is_french_language, l.genre, l.m, l.unique_listeners
        FROM @extschema@.french_content_cells_by_user_id() l
        WHERE NOT (SELECT k.user_key FROM keys k)
    ), rated AS (
        SELECT g.is_french_language, g.genre, (g.m).streams AS total_streams, g.unique_listeners,
               pg_catalog.round(((g.m).avg_duration_sec)::numeric, 0) AS avg_stream_duration,
               pg_catalog.round(((g.m).completion_pct)::numeric, 1) AS completion_rate,
               pg_catalog.round(((g.m).replay_pct)::numeric, 1) AS replay_rate,
               pg_catalog.round(((g.m).playlist_add_pct)::numeric, 1) AS playlist_add_rate
        FROM per_cell g
    )
    SELECT CASE WHEN c.is_french_language THEN 'French' ELSE 'Non-French' END AS language_category,
           c.genre, c.total_streams, c.unique_listeners,
           pg_catalog.round(1.0 * c.total_streams / c.unique_listeners, 1) AS streams_per_listener,
           c.avg_stream_duration, c.completion_rate, c.replay_rate, c.playlist_add_rate,
           pg_catalog.round(0.35 * c.completion_rate + 0.35 * c.replay_rate
                            + 0.30 * c.playlist_add_rate, 1) AS content_performance_score
    FROM rated c
    ORDER BY c.genre COLLATE "C", c.is_french_language DESC;
END;

COMMENT ON FUNCTION @extschema@.french_content_performance() IS
'Report 5: per genre, French and non-French tracks side by side, score 0.35 x completion + 0.35 x replay + 0.30 x playlist-add rate';
