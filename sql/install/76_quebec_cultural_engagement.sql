-- ---------------------------------------------------------------------------
-- Report 6, quebec_cultural_engagement(min_streams): French listening per user.
-- ---------------------------------------------------------------------------

-- Scores each user's affinity to a Quebec, French-language offer (doc/reports.md, report 6).
CREATE FUNCTION @extschema@.quebec_cultural_engagement(min_streams integer DEFAULT 5)
RETURNS TABLE (
    user_id               text,
    geographic_region     text,
    user_type             text,
    is_quebec_resident    boolean,
    total_streams         bigint,
    french_streams        bigint,
    french_content_pct    numeric,
    quebec_affinity_score numeric,
    audience_segment      text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The per-user counts in one dense tally (stream_tally, doc/performance.md),
    -- French streams as its marked count.  Whether a stream's track is French
    -- is looked up by track_key, inside the aggregate, in an int4 array built
    -- once per call (dense_int_array: 1 French, 0 not, -1 no such track),
    -- where a hash join probed the tracks for every stream, and then a SQL
    -- subscript per stream cost more than the lookup.  A stream whose track
    -- is missing is left out, as the join left it; with streams.track_id's
    -- foreign key enforced (the normal case) no track is missing, and the
    -- tally counts every stream as before (known_only false).
    WITH keys AS (
        SELECT @extschema@.foreign_key_enforced('@extschema@.streams', 'track_id',
                                                '@extschema@.tracks', 'track_id') AS tracks_known
    ), tallied AS (
        SELECT @extschema@.stream_tally(
                   s.user_key, NULL, NULL, NULL,
                   (SELECT @extschema@.dense_int_array(pg_catalog.array_agg(t.track_key),
                                                       pg_catalog.array_agg(t.is_french_language::integer), -1)
                    FROM @extschema@.tracks t), s.track_key,
                   NOT (SELECT k.tracks_known FROM keys k),
                   NULL, NULL) AS tally
        FROM @extschema@.streams s
    ), per_user AS (
        SELECT p.key AS user_key, p.streams AS total_streams, p.marked AS french_streams,
               @extschema@.rounded_quotient(100 * p.marked, p.streams, 1) AS french_content_pct
        FROM tallied g, @extschema@.stream_tally_rows(g.tally) p
        WHERE p.streams >= quebec_cultural_engagement.min_streams
        -- OFFSET 0 keeps this a subquery, so the share is computed once per
        -- user, not again in the score, each test of the CASE and the sort.
        OFFSET 0
    )
    SELECT u.user_id, u.geographic_region, u.user_type, u.is_quebec_resident,
           p.total_streams, p.french_streams, p.french_content_pct,
           pg_catalog.round(CASE WHEN u.is_quebec_resident THEN 60 ELSE 0 END
                            + 0.4 * p.french_content_pct, 1) AS quebec_affinity_score,
           CASE WHEN u.is_quebec_resident AND p.french_content_pct >= 30 THEN 'Core Quebec Audience'
                WHEN u.is_quebec_resident AND p.french_content_pct >= 15 THEN 'Quebec Resident - Moderate French'
                WHEN u.is_quebec_resident THEN 'Quebec Resident - Low French'
                WHEN p.french_content_pct >= 25 THEN 'Non-Quebec Francophile'
                ELSE 'General Audience'
           END AS audience_segment
    FROM per_user p
    JOIN @extschema@.users u ON u.user_key = p.user_key
    WHERE @extschema@.check_min_streams(quebec_cultural_engagement.min_streams)
    ORDER BY quebec_affinity_score DESC, u.user_id COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.quebec_cultural_engagement(integer) IS
'Report 6: French share of each user''s streams (users with at least min_streams), affinity 60 if Quebec resident + 0.4 x French %, audience segment';
