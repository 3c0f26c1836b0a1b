-- ingest_playback_events(): loads staging_playback_events into playback_events.
-- event_id is the key: an id staged with two different contents, or loaded
-- already with other content, is rejected; an identical row is already present.
CREATE FUNCTION @extschema@.ingest_playback_events(
    OUT staged bigint, OUT loaded bigint, OUT already_present bigint, OUT rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH taken AS (
        DELETE FROM @extschema@.staging_playback_events RETURNING *
    ), parsed AS (            -- typed values; NULL wherever a value is missing or malformed
        SELECT s AS staged_row,
               @extschema@.id_value(s.event_id) AS event_id,
               @extschema@.id_value(s.user_id) AS user_id,
               nullif(btrim(s.track_id), '') AS track_id,
               nullif(btrim(s.session_id), '') AS session_id,
               CASE WHEN lower(btrim(s.event_type)) IN ('play', 'pause', 'resume', 'stop', 'buffer', 'error')
                    THEN lower(btrim(s.event_type)) END AS event_type,
               @extschema@.try_timestamptz(s.event_time) AS event_time,
               CASE WHEN @extschema@.try_int(s.duration_ms) >= 0
                    THEN @extschema@.try_int(s.duration_ms) END AS duration_ms,
               nullif(btrim(s.duration_ms), '') IS NULL AS no_duration,
               nullif(btrim(s.error_code), '') AS error_code,
               nullif(btrim(s.device_type), '') AS device_type
        FROM taken s
    ), checked AS (           -- reasons are worded only for the rows that need one
        SELECT p.*,
               CASE WHEN num_nulls(p.event_id, p.user_id, p.session_id, p.event_type, p.event_time,
                                   p.device_type, u.user_id) > 0
                      OR (p.duration_ms IS NULL AND NOT p.no_duration)
                      OR (p.duration_ms IS NULL AND p.event_type IN ('play', 'buffer'))
                      OR ((p.event_type = 'error') <> (p.error_code IS NOT NULL))
                      OR (p.track_id IS NULL AND p.event_type <> 'error')
                      OR (p.track_id IS NOT NULL AND t.track_id IS NULL)
               THEN concat_ws('; ',
                   @extschema@.reason_id('event_id', (p.staged_row).event_id),
                   @extschema@.reason_id('user_id', (p.staged_row).user_id),
                   CASE WHEN p.track_id IS NULL AND p.event_type <> 'error'
                        THEN 'track_id is empty (only an ''error'' event may have none)' END,
                   @extschema@.reason_required('session_id', (p.staged_row).session_id),
                   CASE WHEN nullif(btrim((p.staged_row).event_type), '') IS NULL THEN 'event_type is empty'
                        WHEN p.event_type IS NULL
                        THEN 'event_type ' || @extschema@.reason_quote((p.staged_row).event_type)
                             || ' is not play, pause, resume, stop, buffer or error' END,
                   @extschema@.reason_timestamptz('event_time', (p.staged_row).event_time),
                   CASE WHEN p.no_duration AND p.event_type IN ('play', 'buffer')
                        THEN 'duration_ms is empty (a ''' || p.event_type || ''' event needs one)'
                        WHEN NOT p.no_duration
                        THEN @extschema@.reason_int('duration_ms', (p.staged_row).duration_ms, 0, NULL,
                                                    'is a negative number of milliseconds') END,
                   CASE WHEN p.event_type = 'error' AND p.error_code IS NULL
                        THEN 'error_code is empty (an ''error'' event needs one)'
                        WHEN p.event_type <> 'error' AND p.error_code IS NOT NULL
                        THEN 'error_code ' || @extschema@.reason_quote(p.error_code)
                             || ' is only allowed on ''error'' events' END,
                   @extschema@.reason_required('device_type', (p.staged_row).device_type),
                   CASE WHEN p.user_id IS NOT NULL AND u.user_id IS NULL
                        THEN 'user_id ' || @extschema@.reason_quote(p.user_id) || ' is unknown' END,
                   CASE WHEN p.track_id IS NOT NULL AND t.track_id IS NULL
                        THEN 'track_id ' || @extschema@.reason_quote(p.track_id) || ' is unknown' END)
               END AS reason
        FROM parsed p
        LEFT JOIN @extschema@.users u ON u.user_id = p.user_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = p.track_id
    ), versions AS (          -- distinct contents staged per valid event_id
        SELECT c.event_id, count(DISTINCT (c.user_id, c.track_id, c.session_id, c.event_type,
                                           c.event_time, c.duration_ms, c.error_code,
                                           c.device_type)) AS n
        FROM checked c WHERE c.reason IS NULL GROUP BY c.event_id
    ), judged AS (
        SELECT c.*,
               coalesce(c.reason,
                   CASE WHEN v.n > 1
                        THEN 'event_id ' || @extschema@.reason_quote(c.event_id) || ' is staged more than once with different content'
                        WHEN e.event_id IS NOT NULL AND
                             (e.user_id, e.track_id, e.session_id, e.event_type, e.event_time,
                              e.duration_ms, e.error_code, e.device_type)
                             IS DISTINCT FROM
                             (c.user_id, c.track_id, c.session_id, c.event_type, c.event_time,
                              c.duration_ms, c.error_code, c.device_type)
                        THEN 'event_id ' || @extschema@.reason_quote(c.event_id) || ' already exists with different content'
                   END) AS final_reason,
               e.event_id IS NOT NULL AS present
        FROM checked c
        LEFT JOIN versions v ON v.event_id = c.event_id
        LEFT JOIN @extschema@.playback_events e ON e.event_id = c.event_id
    ), put_rejects AS (
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_playback_events', to_jsonb(j.staged_row), j.final_reason
        FROM judged j WHERE j.final_reason IS NOT NULL
        RETURNING 1
    ), put_rows AS (
        INSERT INTO @extschema@.playback_events (event_id, user_id, track_id, session_id, event_type,
                                                 event_time, duration_ms, error_code, device_type)
        SELECT DISTINCT j.event_id, j.user_id, j.track_id, j.session_id, j.event_type,
               j.event_time, j.duration_ms, j.error_code, j.device_type
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
