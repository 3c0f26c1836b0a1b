-- ingest_recommendations(): loads staging_recommendations into recommendations.
-- The key is (user_id, track_id, recommended_at, algorithm): a key staged with
-- both played values, or loaded already with the other one, is rejected.
CREATE FUNCTION @extschema@.ingest_recommendations(
    OUT staged bigint, OUT loaded bigint, OUT already_present bigint, OUT rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH taken AS (
        DELETE FROM @extschema@.staging_recommendations RETURNING *
    ), parsed AS (
        SELECT s AS staged_row,
               @extschema@.id_value(s.user_id) AS user_id,
               @extschema@.id_value(s.track_id) AS track_id,
               @extschema@.try_timestamptz(s.recommended_at) AS recommended_at,
               nullif(btrim(s.algorithm), '') AS algorithm,
               @extschema@.try_bool(s.played) AS played
        FROM taken s
    ), checked AS (
        SELECT p.*,
               CASE WHEN num_nulls(p.user_id, p.track_id, p.recommended_at, p.algorithm, p.played,
                                   u.user_id, t.track_id) > 0
               THEN concat_ws('; ',
                   @extschema@.reason_id('user_id', (p.staged_row).user_id),
                   @extschema@.reason_id('track_id', (p.staged_row).track_id),
                   @extschema@.reason_timestamptz('recommended_at', (p.staged_row).recommended_at),
                   @extschema@.reason_required('algorithm', (p.staged_row).algorithm),
                   @extschema@.reason_bool('played', (p.staged_row).played),
                   CASE WHEN p.user_id IS NOT NULL AND u.user_id IS NULL
                        THEN 'user_id ' || @extschema@.reason_quote(p.user_id) || ' is unknown' END,
                   CASE WHEN p.track_id IS NOT NULL AND t.track_id IS NULL
                        THEN 'track_id ' || @extschema@.reason_quote(p.track_id) || ' is unknown' END)
               END AS reason
        FROM parsed p
        LEFT JOIN @extschema@.users u ON u.user_id = p.user_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = p.track_id
    ), versions AS (
        SELECT c.user_id, c.track_id, c.recommended_at, c.algorithm, count(DISTINCT c.played) AS n
        FROM checked c WHERE c.reason IS NULL
        GROUP BY c.user_id, c.track_id, c.recommended_at, c.algorithm
    ), judged AS (
        SELECT c.*,
               coalesce(c.reason,
                   CASE WHEN v.n > 1
                        THEN 'recommendation of track_id ' || @extschema@.reason_quote(c.track_id)
                             || ' to user_id ' || @extschema@.reason_quote(c.user_id)
                             || ' is staged more than once with different played values'
                        WHEN r.played IS NOT NULL AND r.played <> c.played
                        THEN 'recommendation of track_id ' || @extschema@.reason_quote(c.track_id)
                             || ' to user_id ' || @extschema@.reason_quote(c.user_id)
                             || ' already exists with played ' || r.played::text
                   END) AS final_reason,
               r.played IS NOT NULL AS present
        FROM checked c
        LEFT JOIN versions v ON (v.user_id, v.track_id, v.recommended_at, v.algorithm)
                                = (c.user_id, c.track_id, c.recommended_at, c.algorithm)
        LEFT JOIN @extschema@.recommendations r
               ON (r.user_id, r.track_id, r.recommended_at, r.algorithm)
                  = (c.user_id, c.track_id, c.recommended_at, c.algorithm)
    ), put_rejects AS (
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_recommendations', to_jsonb(j.staged_row), j.final_reason
        FROM judged j WHERE j.final_reason IS NOT NULL
        RETURNING 1
    ), put_rows AS (
        INSERT INTO @extschema@.recommendations (user_id, track_id, recommended_at, algorithm, played)
        SELECT DISTINCT j.user_id, j.track_id, j.recommended_at, j.algorithm, j.played
        FROM judged j WHERE j.final_reason IS NULL AND NOT j.present
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM taken),
           (SELECT count(*) FROM put_rows),
           (SELECT count(*) FROM put_rejects)
    INTO staged, loaded, rejected;
    already_present := staged - loaded - rejected;
END
$$;
