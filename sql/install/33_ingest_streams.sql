-- ingest_streams(): loads staging_streams into streams.  stream_id is not a
-- key (real data reuses it), so a staged stream is "already present" only
-- when an identical stream is loaded or staged earlier in the batch.
--
-- A bulk load (at least 100,000 staged streams, and at least as many as are
-- loaded already) run by the tables' owner sets the foreign keys of streams
-- aside and adds them back afterwards: PostgreSQL then validates every row in
-- one join instead of two checks per row, most of a first load's time.  The
-- rows were already checked against users and tracks; adding the keys back
-- re-checks them under lock, so a user deleted meanwhile fails the load
-- instead of leaving an orphan.
CREATE FUNCTION @extschema@.ingest_streams(
    OUT staged bigint, OUT loaded bigint, OUT already_present bigint, OUT rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    streams_rel CONSTANT regclass := '@extschema@.streams'::regclass;
    put_back text[] := '{}';
    fk record;
BEGIN
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = streams_rel), 'USAGE')
       AND (SELECT count(*) FROM @extschema@.staging_streams)
           >= greatest(100000, (SELECT reltuples FROM pg_class WHERE oid = streams_rel))
    THEN
        LOCK TABLE @extschema@.streams IN ACCESS EXCLUSIVE MODE;
        FOR fk IN SELECT c.conname, pg_get_constraintdef(c.oid) AS def
                  FROM pg_constraint c WHERE c.conrelid = streams_rel AND c.contype = 'f'
                  ORDER BY c.conname LOOP
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', streams_rel, fk.conname);
            put_back := put_back || format('ALTER TABLE %s ADD CONSTRAINT %I %s',
                                           streams_rel, fk.conname, fk.def);
        END LOOP;
    END IF;

    WITH taken AS (
        DELETE FROM @extschema@.staging_streams RETURNING *
    ), parsed AS (            -- typed values; NULL wherever a value is missing or malformed
        SELECT s AS staged_row,
               @extschema@.id_value(s.stream_id) AS stream_id,
               @extschema@.id_value(s.user_id) AS user_id,
               @extschema@.id_value(s.track_id) AS track_id,
               @extschema@.try_date(s.stream_date) AS stream_date,
               @extschema@.try_time(s.stream_time) AS stream_time,
               CASE WHEN @extschema@.try_int(s.hour_of_day) BETWEEN 0 AND 23
                    THEN @extschema@.try_int(s.hour_of_day)::smallint END AS hour_of_day,
               nullif(btrim(s.device_type), '') AS device_type,
               CASE WHEN @extschema@.try_int(s.stream_duration_sec) >= 0
                    THEN @extschema@.try_int(s.stream_duration_sec) END AS stream_duration_sec,
               @extschema@.try_bool(s.completed) AS completed,
               @extschema@.try_bool(s.skipped) AS skipped,
               @extschema@.try_bool(s.replayed) AS replayed,
               @extschema@.try_bool(s.added_to_playlist) AS added_to_playlist
        FROM taken s
    ), judged AS (            -- reasons are worded only for the rows that need one
        SELECT p.*, u.user_key, t.track_key,
               CASE WHEN num_nulls(p.stream_id, p.user_id, p.track_id, p.stream_date, p.stream_time,
                                   p.hour_of_day, p.device_type, p.stream_duration_sec, p.completed,
                                   p.skipped, p.replayed, p.added_to_playlist, u.user_id, t.track_id) > 0
               THEN concat_ws('; ',
                   @extschema@.reason_id('stream_id', (p.staged_row).stream_id),
                   @extschema@.reason_id('user_id', (p.staged_row).user_id),
                   @extschema@.reason_id('track_id', (p.staged_row).track_id),
                   @extschema@.reason_date('stream_date', (p.staged_row).stream_date),
                   @extschema@.reason_time('stream_time', (p.staged_row).stream_time),
                   @extschema@.reason_int('hour_of_day', (p.staged_row).hour_of_day, 0, 23,
                                          'is not between 0 and 23'),
                   @extschema@.reason_required('device_type', (p.staged_row).device_type),
                   @extschema@.reason_int('stream_duration_sec', (p.staged_row).stream_duration_sec, 0, NULL,
                                          'is a negative number of seconds'),
                   @extschema@.reason_bool('completed', (p.staged_row).completed),
                   @extschema@.reason_bool('skipped', (p.staged_row).skipped),
                   @extschema@.reason_bool('replayed', (p.staged_row).replayed),
                   @extschema@.reason_bool('added_to_playlist', (p.staged_row).added_to_playlist),
                   CASE WHEN p.user_id IS NOT NULL AND u.user_id IS NULL
                        THEN 'user_id ' || @extschema@.reason_quote(p.user_id) || ' is unknown' END,
                   CASE WHEN p.track_id IS NOT NULL AND t.track_id IS NULL
                        THEN 'track_id ' || @extschema@.reason_quote(p.track_id) || ' is unknown' END)
               END AS reason
        FROM parsed p
        LEFT JOIN @extschema@.users u ON u.user_id = p.user_id
        LEFT JOIN @extschema@.tracks t ON t.track_id = p.track_id
    ), put_rejects AS (
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_streams', to_jsonb(j.staged_row), j.reason FROM judged j WHERE j.reason IS NOT NULL
        RETURNING 1
    ), put_rows AS (
        INSERT INTO @extschema@.streams (stream_id, user_id, track_id, stream_date, stream_time,
                                         hour_of_day, device_type, stream_duration_sec,
                                         completed, skipped, replayed, added_to_playlist,
                                         user_key, track_key)
        SELECT DISTINCT j.stream_id, j.user_id, j.track_id, j.stream_date, j.stream_time,
               j.hour_of_day, j.device_type, j.stream_duration_sec,
               j.completed, j.skipped, j.replayed, j.added_to_playlist, j.user_key, j.track_key
        FROM judged j
        WHERE j.reason IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM @extschema@.streams s
              WHERE s.stream_id = j.stream_id
                AND (s.user_id, s.track_id, s.stream_date, s.stream_time, s.hour_of_day,
                     s.device_type, s.stream_duration_sec, s.completed, s.skipped,
                     s.replayed, s.added_to_playlist)
                  = (j.user_id, j.track_id, j.stream_date, j.stream_time, j.hour_of_day,
                     j.device_type, j.stream_duration_sec, j.completed, j.skipped,
                     j.replayed, j.added_to_playlist))
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM taken),
           (SELECT count(*) FROM put_rows),
           (SELECT count(*) FROM put_rejects)
    INTO staged, loaded, rejected;
    already_present := staged - loaded - rejected;

    FOR i IN 1 .. cardinality(put_back) LOOP
        EXECUTE put_back[i];
    END LOOP;
END
$$;

-- ingest(): the one loading entry point.  Staging tables are locked for the
-- whole call, so two sessions ingesting the same batch load it exactly once:
-- the second waits, then finds staging empty.
CREATE FUNCTION @extschema@.ingest()
RETURNS TABLE (source text, staged bigint, loaded bigint, already_present bigint, rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    LOCK TABLE @extschema@.staging_users, @extschema@.staging_tracks, @extschema@.staging_streams,
               @extschema@.staging_playback_events, @extschema@.staging_subscriptions,
               @extschema@.staging_recommendations
        IN SHARE ROW EXCLUSIVE MODE;
    -- Parents before children, so streams may refer to users and tracks staged with them.
    RETURN QUERY SELECT 'users'::text, r.* FROM @extschema@.ingest_users() r;
    RETURN QUERY SELECT 'tracks'::text, r.* FROM @extschema@.ingest_tracks() r;
    RETURN QUERY SELECT 'streams'::text, r.* FROM @extschema@.ingest_streams() r;
    -- The platform sources (sql/install/37-39) refer to users and tracks only.
    RETURN QUERY SELECT 'playback_events'::text, r.* FROM @extschema@.ingest_playback_events() r;
    RETURN QUERY SELECT 'subscriptions'::text, r.* FROM @extschema@.ingest_subscriptions() r;
    RETURN QUERY SELECT 'recommendations'::text, r.* FROM @extschema@.ingest_recommendations() r;
END
$$;
