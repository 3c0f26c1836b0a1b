-- ---------------------------------------------------------------------------
-- Report 7, artist_partnership_roi(premium_rate, free_rate): estimated royalty
-- value of each artist, for partnership decisions.
-- ---------------------------------------------------------------------------

-- Estimates royalties per artist and genre and assigns a partnership tier (doc/reports.md, report 7).
CREATE FUNCTION @extschema@.artist_partnership_roi(premium_rate numeric DEFAULT 0.004,
                                                   free_rate numeric DEFAULT 0.0025)
RETURNS TABLE (
    artist_name             text,
    genre                   text,
    total_streams           bigint,
    unique_listeners        bigint,
    premium_streams         bigint,
    free_streams            bigint,
    completion_rate         numeric,
    estimated_royalty_value numeric,
    streams_per_listener    numeric,
    partnership_tier        text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The report counts only streams whose user is known, for the
    -- premium/free split.  One pass, no join, one aggregate call per stream:
    -- the track's (artist, genre) code and the user's type are looked up by
    -- surrogate key in int4 arrays built once per call (dense_int_array,
    -- doc/performance.md), where hash joins probed tracks and users for every
    -- stream; cell_metrics_keyed reads both a few rows later, prefetched (the
    -- code was a SQL subscript per stream until the eleventh measurement).
    -- The code is the cell's rank from 1 (0 or NULL for a missing track), the
    -- type 1 or 0 (-1 or NULL for a missing user).  Per code x 4 + type + 1
    -- it keeps the counts of stream_metrics and the set of user keys, where a
    -- hash aggregation called stream_metrics and distinct_count per stream;
    -- streams without both are dropped with their cell, as the joins dropped
    -- them.  Listeners are counted per (cell, type) and added: a user has one
    -- type.
    WITH cells AS NOT MATERIALIZED (
        -- The (artist, genre) pairs numbered in name order: the tracks are
        -- grouped first, so only the pairs are sorted (ranking every track
        -- sorted them all, twice, 1-2 s at 234,000 tracks).
        SELECT g.artist_name, g.genre,
               pg_catalog.row_number() OVER (ORDER BY g.artist_name COLLATE "C", g.genre COLLATE "C")::integer
                   AS code
        FROM (SELECT DISTINCT t.artist_name, t.genre FROM @extschema@.tracks t) g
    ), track_codes AS NOT MATERIALIZED (
        SELECT t.track_key, c.code
        FROM @extschema@.tracks t
        JOIN cells c ON c.artist_name = t.artist_name AND c.genre = t.genre
    ), tallied AS (
        SELECT @extschema@.cell_metrics_keyed(
                   NULL, 1,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(c.track_key),
                                                       pg_catalog.array_agg(c.code * 4), 0)
                    FROM track_codes c), s.track_key,
                   s.user_key, s.completed, s.skipped, s.replayed, s.added_to_playlist,
                   -- Only the counts are read, so the track's duration is not
                   -- looked up (it weighs only in listen-through).
                   s.stream_duration_sec, NULL, NULL,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(u.user_key),
                                                       pg_catalog.array_agg((u.user_type = 'Premium')::integer), -1)
                    FROM @extschema@.users u), s.user_key) AS cells
        FROM @extschema@.streams s
        WHERE @extschema@.check_rate('premium_rate', artist_partnership_roi.premium_rate)
          AND @extschema@.check_rate('free_rate', artist_partnership_roi.free_rate)
    ), per_code AS (
        SELECT p.code / 4 AS code, p.code % 4 - 1 AS premium, p.metrics,
               @extschema@.stream_metrics_final(p.metrics) AS m, p.users AS listeners
        FROM tallied g, @extschema@.cell_metrics_rows(g.cells) p
    ), per_artist AS (
        SELECT c.artist_name, c.genre,
               @extschema@.stream_metrics_merge(p.metrics) AS m,
               pg_catalog.sum(p.listeners)::bigint AS unique_listeners,
               COALESCE(pg_catalog.sum((p.m).streams) FILTER (WHERE p.premium = 1), 0)::bigint AS premium_streams,
               COALESCE(pg_catalog.sum((p.m).streams) FILTER (WHERE p.premium = 0), 0)::bigint AS free_streams
        FROM per_code p
        JOIN cells c ON c.code = p.code
        WHERE p.premium >= 0
        GROUP BY c.artist_name, c.genre
    ), valued AS (
        SELECT a.artist_name, a.genre, (a.m).streams AS total_streams, a.unique_listeners,
               a.premium_streams, a.free_streams,
               pg_catalog.round(((a.m).completion_pct)::numeric, 1) AS completion_rate,
               pg_catalog.round(a.premium_streams * artist_partnership_roi.premium_rate
                                + a.free_streams * artist_partnership_roi.free_rate, 2) AS royalty
        FROM per_artist a
    )
    SELECT v.artist_name, v.genre, v.total_streams, v.unique_listeners,
           v.premium_streams, v.free_streams, v.completion_rate,
           v.royalty AS estimated_royalty_value,
           pg_catalog.round(1.0 * v.total_streams / v.unique_listeners, 1) AS streams_per_listener,
           CASE WHEN v.royalty >= 10 THEN 'Tier 1 - High Value'
                WHEN v.royalty >= 5 THEN 'Tier 2 - Medium Value'
                WHEN v.royalty >= 2 THEN 'Tier 3 - Growing'
                ELSE 'Tier 4 - Emerging'
           END AS partnership_tier
    FROM valued v
    ORDER BY v.royalty DESC, v.artist_name COLLATE "C", v.genre COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.artist_partnership_roi(numeric, numeric) IS
'Report 7: per artist and genre, royalty = premium streams x premium_rate + free streams x free_rate (dollars per stream) and partnership tier';
