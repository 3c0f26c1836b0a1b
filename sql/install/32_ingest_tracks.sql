-- ingest_tracks(): loads staging_tracks into tracks, with the same rules as ingest_users().
CREATE FUNCTION @extschema@.ingest_tracks(
    OUT staged bigint, OUT loaded bigint, OUT already_present bigint, OUT rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH taken AS (
        DELETE FROM @extschema@.staging_tracks RETURNING *
    ), parsed AS (
        SELECT to_jsonb(s) AS raw_row,
               @extschema@.id_value(s.track_id) AS track_id,
               nullif(btrim(s.artist_name), '') AS artist_name,
               nullif(btrim(s.genre), '') AS genre,
               @extschema@.try_int(s.track_duration_sec) AS track_duration_sec,
               @extschema@.try_bool(s.is_french_language) AS is_french_language,
               nullif(concat_ws('; ',
                   @extschema@.reason_id('track_id', s.track_id),
                   @extschema@.reason_required('artist_name', s.artist_name),
                   @extschema@.reason_required('genre', s.genre),
                   @extschema@.reason_int('track_duration_sec', s.track_duration_sec, 1, NULL,
                                          'is not a positive number of seconds'),
                   @extschema@.reason_bool('is_french_language', s.is_french_language)), '') AS reason
        FROM taken s
    ), versions AS (
        SELECT p.track_id, count(DISTINCT (p.artist_name, p.genre, p.track_duration_sec,
                                           p.is_french_language)) AS n
        FROM parsed p WHERE p.reason IS NULL GROUP BY p.track_id
    ), judged AS (
        SELECT p.raw_row, p.track_id, p.artist_name, p.genre, p.track_duration_sec, p.is_french_language,
               coalesce(p.reason,
                   CASE WHEN v.n > 1
                        THEN 'track_id ' || @extschema@.reason_quote(p.track_id) || ' is staged more than once with different content'
                        WHEN t.track_id IS NOT NULL AND
                             (t.artist_name, t.genre, t.track_duration_sec, t.is_french_language)
                             IS DISTINCT FROM
                             (p.artist_name, p.genre, p.track_duration_sec, p.is_french_language)
                        THEN 'track_id ' || @extschema@.reason_quote(p.track_id) || ' already exists with different content'
                   END) AS reason,
               t.track_id IS NOT NULL AS present
        FROM parsed p
        LEFT JOIN versions v ON v.track_id = p.track_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = p.track_id
    ), put_rejects AS (
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_tracks', j.raw_row, j.reason FROM judged j WHERE j.reason IS NOT NULL
        RETURNING 1
    ), put_rows AS (
        INSERT INTO @extschema@.tracks
        SELECT DISTINCT j.track_id, j.artist_name, j.genre, j.track_duration_sec, j.is_french_language
        FROM judged j WHERE j.reason IS NULL AND NOT j.present
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM taken),
           (SELECT count(*) FROM put_rows),
           (SELECT count(*) FROM put_rejects)
    INTO staged, loaded, rejected;
    already_present := staged - loaded - rejected;
END
$$;
