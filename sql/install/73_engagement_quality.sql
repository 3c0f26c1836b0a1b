-- ---------------------------------------------------------------------------
-- Report 3, engagement_quality(min_streams): per-user engagement score and segment.
-- ---------------------------------------------------------------------------

-- Scores and segments every user with at least min_streams streams (doc/reports.md, report 3).
CREATE FUNCTION @extschema@.engagement_quality(min_streams integer DEFAULT 3)
RETURNS TABLE (
    user_id                  text,
    user_type                text,
    geographic_region        text,
    is_quebec_resident       boolean,
    total_streams            bigint,
    completion_rate          numeric,
    replay_rate              numeric,
    playlist_add_rate        numeric,
    engagement_quality_score numeric,
    user_segment             text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- The per-user counts in one dense tally (stream_tally, doc/performance.md).
    WITH tallied AS (
        SELECT @extschema@.stream_tally(s.user_key, s.completed, s.replayed, s.added_to_playlist,
                                        NULL, NULL, NULL) AS tally
        FROM @extschema@.streams s
    ), rated AS (
        SELECT p.key AS user_key, p.streams AS total_streams,
               @extschema@.rounded_quotient(100 * p.completed, p.streams, 1) AS completion_rate,
               @extschema@.rounded_quotient(100 * p.replayed, p.streams, 1) AS replay_rate,
               @extschema@.rounded_quotient(100 * p.playlisted, p.streams, 1) AS playlist_add_rate
        FROM tallied g, @extschema@.stream_tally_rows(g.tally) p
        WHERE p.streams >= engagement_quality.min_streams
        -- The rates are rounded from the counts, exactly (rounded_quotient):
        -- at 19 M streams about 1 s faster than converting the tally's
        -- float8 rates to numeric, a conversion that prints the double
        -- (doc/performance.md, eleventh measurement).  OFFSET 0 keeps this
        -- a subquery, so the rates are computed once per user: flattened,
        -- every use of score below (the CASE tests it up to three times, and
        -- the sort) would compute them again.
        OFFSET 0
    ), scored AS (
        SELECT r.*,
               pg_catalog.round(0.4 * r.completion_rate + 0.3 * r.replay_rate
                                + 0.3 * r.playlist_add_rate, 1) AS score
        FROM rated r
        OFFSET 0
    )
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident,
           k.total_streams, k.completion_rate, k.replay_rate, k.playlist_add_rate,
           k.score AS engagement_quality_score,
           CASE WHEN k.score >= 40 THEN 'Power User'
                WHEN k.score >= 25 THEN 'Engaged User'
                WHEN k.score >= 15 THEN 'Casual User'
                ELSE 'At-Risk User'
           END AS user_segment
    FROM scored k
    JOIN @extschema@.users u ON u.user_key = k.user_key
    WHERE @extschema@.check_min_streams(engagement_quality.min_streams)
    ORDER BY k.score DESC, u.user_id COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.engagement_quality(integer) IS
'Report 3: engagement score 0.4 x completion + 0.3 x replay + 0.3 x playlist-add rate and segment for users with at least min_streams streams';
