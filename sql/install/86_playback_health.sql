-- ---------------------------------------------------------------------------
-- Platform reports (contract section 6): playback health.  doc/platform.md
-- defines every column.
-- ---------------------------------------------------------------------------

-- True when [from_time, to_time) is a usable window (NULL = open end); raises otherwise.
CREATE FUNCTION @extschema@.platform_window_ok(from_time timestamptz, to_time timestamptz)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF from_time > to_time THEN
        RAISE EXCEPTION 'from_time must not be after to_time'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('from_time is %s and to_time is %s.', from_time, to_time),
                  HINT = 'Pass NULL for an open end of the window.';
    END IF;
    RETURN true;
END
$$;

-- playback_health(): per device, from the player events in [from_time, to_time)
-- and the streams that start in it (their listened seconds are the play time).
CREATE FUNCTION @extschema@.playback_health(from_time timestamptz DEFAULT NULL,
                                            to_time timestamptz DEFAULT NULL)
RETURNS TABLE (device_type text, plays bigint, play_hours numeric, buffer_events bigint,
               rebuffer_pct numeric, buffers_per_hour numeric, errors bigint,
               errors_per_1000_plays numeric, p50_startup_ms numeric, p95_startup_ms numeric,
               top_error_code text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT e.device_type,
           e.plays,
           round(coalesce(w.play_sec, 0) / 3600.0, 2),
           e.buffer_events,
           round(100.0 * e.buffer_ms / 1000.0
                 / nullif(coalesce(w.play_sec, 0) + e.buffer_ms / 1000.0, 0), 2),
           round(e.buffer_events * 3600.0 / nullif(w.play_sec, 0), 2),
           e.errors,
           round(1000.0 * e.errors / nullif(e.plays, 0), 2),
           round(e.p50::numeric),
           round(e.p95::numeric),
           (SELECT x.error_code FROM @extschema@.playback_events x
            WHERE x.device_type = e.device_type AND x.event_type = 'error'
              AND (from_time IS NULL OR x.event_time >= from_time)
              AND (to_time IS NULL OR x.event_time < to_time)
            GROUP BY x.error_code
            ORDER BY count(*) DESC, x.error_code COLLATE "C"
            LIMIT 1)
    FROM (SELECT p.device_type,
                 count(*) FILTER (WHERE p.event_type = 'play') AS plays,
                 count(*) FILTER (WHERE p.event_type = 'buffer') AS buffer_events,
                 coalesce(sum(p.duration_ms) FILTER (WHERE p.event_type = 'buffer'), 0) AS buffer_ms,
                 count(*) FILTER (WHERE p.event_type = 'error') AS errors,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY p.duration_ms)
                     FILTER (WHERE p.event_type = 'play') AS p50,
                 percentile_cont(0.95) WITHIN GROUP (ORDER BY p.duration_ms)
                     FILTER (WHERE p.event_type = 'play') AS p95
          FROM @extschema@.playback_events p
          WHERE @extschema@.platform_window_ok(from_time, to_time)
            AND (from_time IS NULL OR p.event_time >= from_time)
            AND (to_time IS NULL OR p.event_time < to_time)
          GROUP BY p.device_type) e
    LEFT JOIN (SELECT s.device_type, sum(s.stream_duration_sec) AS play_sec
               FROM @extschema@.streams s
               WHERE (from_time IS NULL OR pg_catalog.timezone('UTC', s.stream_date + s.stream_time) >= from_time)
                 AND (to_time IS NULL OR pg_catalog.timezone('UTC', s.stream_date + s.stream_time) < to_time)
               GROUP BY s.device_type) w ON w.device_type = e.device_type
    WHERE @extschema@.platform_window_ok(from_time, to_time)
    ORDER BY e.device_type COLLATE "C";
END;
