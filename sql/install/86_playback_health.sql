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
-- One pass over the events gives each device's counts and buffer time
-- (playback_metrics) and its startup-time histogram (int_histogram_agg, read
-- with percentile_cont's definition); both aggregate partially in parallel
-- workers.  The most frequent error code per device comes from one more pass
-- over the window's errors.
CREATE FUNCTION @extschema@.playback_health(from_time timestamptz DEFAULT NULL,
                                            to_time timestamptz DEFAULT NULL)
RETURNS TABLE (device_type text, plays bigint, play_hours numeric, buffer_events bigint,
               rebuffer_pct numeric, buffers_per_hour numeric, errors bigint,
               errors_per_1000_plays numeric, p50_startup_ms numeric, p95_startup_ms numeric,
               top_error_code text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT e.device_type,
           (e.m).plays,
           round(coalesce(w.play_sec, 0) / 3600.0, 2),
           (e.m).buffer_events,
           round(100.0 * (e.m).buffer_ms / 1000.0
                 / nullif(coalesce(w.play_sec, 0) + (e.m).buffer_ms / 1000.0, 0), 2),
           round((e.m).buffer_events * 3600.0 / nullif(w.play_sec, 0), 2),
           (e.m).errors,
           round(1000.0 * (e.m).errors / nullif((e.m).plays, 0), 2),
           round(@extschema@.histogram_percentile_cont(e.startup, 0.5)::numeric),
           round(@extschema@.histogram_percentile_cont(e.startup, 0.95)::numeric),
           c.error_code
    FROM (SELECT p.device_type,
                 @extschema@.playback_metrics(p.event_type, p.duration_ms) AS m,
                 @extschema@.int_histogram_agg(p.duration_ms) FILTER (WHERE p.event_type = 'play') AS startup
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
    -- Per device the code with the most errors; ties go to the first in byte order.
    LEFT JOIN (SELECT DISTINCT ON (x.device_type) x.device_type, x.error_code
               FROM (SELECT p.device_type, p.error_code, count(*) AS n
                     FROM @extschema@.playback_events p
                     WHERE p.event_type = 'error'
                       AND (from_time IS NULL OR p.event_time >= from_time)
                       AND (to_time IS NULL OR p.event_time < to_time)
                     GROUP BY p.device_type, p.error_code) x
               ORDER BY x.device_type, x.n DESC, x.error_code COLLATE "C") c ON c.device_type = e.device_type
    WHERE @extschema@.platform_window_ok(from_time, to_time)
    ORDER BY e.device_type COLLATE "C";
END;
