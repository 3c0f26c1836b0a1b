-- ---------------------------------------------------------------------------
-- Last.fm listening logs (contract section 5): the Last.fm 1K format, six
-- tab-separated text columns, staged as they are and turned into users,
-- tracks and streams by ingest_scrobbles().  A log records only that a play
-- started; how long it lasted is derived from the same user's next play.
-- doc/engagement.md has the mapping and the COPY options.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.staging_scrobbles (
    user_id     text,
    played_at   text,
    artist_mbid text,
    artist_name text,
    track_mbid  text,
    track_name  text
);

-- Rejects NULL or negative thresholds, a max_play under one second, and skip_under > max_play.
CREATE FUNCTION @extschema@.check_scrobble_args(skip_under interval, max_play interval)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF skip_under IS NULL OR skip_under < interval '0' THEN
        RAISE EXCEPTION 'skip_under must be a non-negative interval'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('skip_under was %s; a play shorter than skip_under counts as skipped.',
                                  coalesce(skip_under::text, 'NULL'));
    ELSIF max_play IS NULL OR max_play < interval '1 second' THEN
        RAISE EXCEPTION 'max_play must be at least 1 second'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('max_play was %s; it caps a play''s duration and is the duration given to derived tracks.',
                                  coalesce(max_play::text, 'NULL'));
    ELSIF skip_under > max_play THEN
        RAISE EXCEPTION 'skip_under must not exceed max_play'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('skip_under was %s and max_play %s: every play would count as skipped.',
                                  skip_under, max_play);
    END IF;
    RETURN true;
END
$$;

-- The key of a scrobbled track: its MusicBrainz id, or, without one,
-- 'lfm:' || md5(artist_name || U+001F || track_name) of the trimmed names.
CREATE FUNCTION @extschema@.scrobble_track_key(track_mbid text, artist_name text, track_name text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(nullif(pg_catalog.btrim(track_mbid), ''),
                    'lfm:' || pg_catalog.md5(coalesce(pg_catalog.btrim(artist_name), '') || E'\x1f'
                                             || coalesce(pg_catalog.btrim(track_name), '')));
END;

-- A played_at value as a UTC timestamp, or NULL when it is not YYYY-MM-DDTHH:MM:SS with an
-- optional UTC designator (Z, +00, +0000, +00:00); a space may replace the T.
CREATE FUNCTION @extschema@.try_utc_timestamp(v text) RETURNS timestamp
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN pg_catalog.btrim(v) ~ '^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(Z|\+00(:?00)?)?$'
                THEN @extschema@.try_date(pg_catalog.substr(pg_catalog.btrim(v), 1, 10))
                     + @extschema@.try_time(pg_catalog.substr(pg_catalog.btrim(v), 12, 8))
           END;
END;

-- ingest_scrobbles(): loads staging_scrobbles into users, tracks and streams.  A play lasts
-- until the same user's next play, capped at max_play (the user's last play in the batch gets
-- max_play); a play shorter than skip_under is skipped, any other completed.
CREATE FUNCTION @extschema@.ingest_scrobbles(
    skip_under interval DEFAULT '30 seconds',
    max_play interval DEFAULT '10 minutes')
RETURNS TABLE (source text, staged bigint, loaded bigint, already_present bigint, rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_sec integer;
    skip_sec integer;
    n_staged bigint;
    n_rejected bigint;
    n_users bigint;
    n_new_users bigint;
    n_tracks bigint;
    n_new_tracks bigint;
    n_new_streams bigint;
BEGIN
    PERFORM @extschema@.check_scrobble_args(skip_under, max_play);
    max_sec := floor(extract(epoch FROM max_play))::integer;
    skip_sec := ceil(extract(epoch FROM skip_under))::integer;
    -- As in ingest(): a second session ingesting the same batch waits, then finds staging empty.
    LOCK TABLE @extschema@.staging_scrobbles IN SHARE ROW EXCLUSIVE MODE;

    WITH taken AS (
        DELETE FROM @extschema@.staging_scrobbles RETURNING *
    ), put_rejects AS (       -- reasons are worded only for the rows that need one
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_scrobbles', to_jsonb(s),
               concat_ws('; ',
                   @extschema@.reason_required('user_id', s.user_id),
                   CASE WHEN s.played_at IS NULL OR btrim(s.played_at) = '' THEN 'played_at is empty'
                        WHEN @extschema@.try_utc_timestamp(s.played_at) IS NULL
                        THEN 'played_at ' || @extschema@.reason_quote(s.played_at)
                             || ' is not a UTC timestamp (YYYY-MM-DDTHH:MM:SSZ)'
                   END,
                   @extschema@.reason_required('artist_name', s.artist_name),
                   CASE WHEN nullif(btrim(s.track_mbid), '') IS NULL AND nullif(btrim(s.track_name), '') IS NULL
                        THEN 'track_mbid and track_name are both empty' END)
        FROM taken s
        WHERE nullif(btrim(s.user_id), '') IS NULL
           OR @extschema@.try_utc_timestamp(s.played_at) IS NULL
           OR nullif(btrim(s.artist_name), '') IS NULL
           OR (nullif(btrim(s.track_mbid), '') IS NULL AND nullif(btrim(s.track_name), '') IS NULL)
        RETURNING 1
    ), good AS (              -- the same tests, negated: every staged row is in exactly one of the two
        SELECT btrim(s.user_id) AS user_id, @extschema@.try_utc_timestamp(s.played_at) AS played,
               btrim(s.artist_name) AS artist_name,
               @extschema@.scrobble_track_key(s.track_mbid, s.artist_name, s.track_name) AS track_key
        FROM taken s
        WHERE nullif(btrim(s.user_id), '') IS NOT NULL
          AND @extschema@.try_utc_timestamp(s.played_at) IS NOT NULL
          AND nullif(btrim(s.artist_name), '') IS NOT NULL
          AND (nullif(btrim(s.track_mbid), '') IS NOT NULL OR nullif(btrim(s.track_name), '') IS NOT NULL)
    ), batch_users AS (
        SELECT g.user_id FROM good g GROUP BY g.user_id
    ), batch_tracks AS (      -- an id seen with several artist spellings takes the first in C order
        SELECT g.track_key, min(g.artist_name COLLATE "C") AS artist_name FROM good g GROUP BY g.track_key
    ), plays AS (             -- one row per (user, second, track); a repeated line is one play
        SELECT DISTINCT ON (g.user_id, g.played, g.track_key COLLATE "C")
               g.user_id, g.played, g.track_key
        FROM good g
        ORDER BY g.user_id, g.played, g.track_key COLLATE "C"
    ), timed AS (             -- gap to the user's next play; same-second plays in track_key order
        SELECT p.*,
               extract(epoch FROM lead(p.played) OVER w - p.played)::bigint AS gap_sec,
               lag(p.track_key) OVER w AS previous_key
        FROM plays p
        WINDOW w AS (PARTITION BY p.user_id ORDER BY p.played, p.track_key COLLATE "C")
    ), derived AS (
        SELECT t.*,
               -- Unique by construction; in the order the rows are inserted, so the
               -- stream_id index grows at its right edge instead of at random pages.
               t.user_id || '@' || to_char(t.played, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '/' || t.track_key
                   AS stream_id,
               least(coalesce(t.gap_sec, max_sec), max_sec)::integer AS duration_sec
        FROM timed t
    ), put_users AS (
        INSERT INTO @extschema@.users (user_id, user_type, user_age_group, geographic_region, is_quebec_resident)
        SELECT b.user_id, 'Free', NULL, NULL, false
        FROM batch_users b
        WHERE NOT EXISTS (SELECT FROM @extschema@.users u WHERE u.user_id = b.user_id)
        ON CONFLICT (user_id) DO NOTHING
        RETURNING user_id, user_key
    ), put_tracks AS (
        INSERT INTO @extschema@.tracks (track_id, artist_name, genre, track_duration_sec, is_french_language)
        SELECT b.track_key, b.artist_name, 'Unknown', max_sec, false
        FROM batch_tracks b
        WHERE NOT EXISTS (SELECT FROM @extschema@.tracks t WHERE t.track_id = b.track_key)
        ON CONFLICT (track_id) DO NOTHING
        RETURNING track_id, track_key
    ), put_streams AS (
        INSERT INTO @extschema@.streams (stream_id, user_id, track_id, stream_date, stream_time,
                                         hour_of_day, device_type, stream_duration_sec,
                                         completed, skipped, replayed, added_to_playlist,
                                         user_key, track_key)
        SELECT d.stream_id, d.user_id, d.track_key, d.played::date, d.played::time,
               extract(hour FROM d.played)::smallint, 'Unknown', d.duration_sec,
               d.duration_sec >= skip_sec, d.duration_sec < skip_sec,
               coalesce(d.previous_key = d.track_key, false), false,
               -- The surrogate keys of users and tracks this batch adds come from
               -- their inserts (reading them also runs those inserts first); a
               -- key still missing is looked up by streams_fill_keys().
               coalesce(ku.user_key, nu.user_key), coalesce(kt.track_key, nt.track_key)
        FROM derived d
        LEFT JOIN @extschema@.users ku ON ku.user_id = d.user_id
        LEFT JOIN put_users nu ON nu.user_id = d.user_id
        LEFT JOIN @extschema@.tracks kt ON kt.track_id = d.track_key
        LEFT JOIN put_tracks nt ON nt.track_id = d.track_key
        WHERE NOT EXISTS (SELECT FROM @extschema@.streams s WHERE s.stream_id = d.stream_id)
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM taken),
           (SELECT count(*) FROM put_rejects),
           (SELECT count(*) FROM batch_users),
           (SELECT count(*) FROM put_users),
           (SELECT count(*) FROM batch_tracks),
           (SELECT count(*) FROM put_tracks),
           (SELECT count(*) FROM put_streams)
    INTO n_staged, n_rejected, n_users, n_new_users, n_tracks, n_new_tracks, n_new_streams;

    RETURN QUERY VALUES
        ('users'::text, n_users, n_new_users, n_users - n_new_users, 0::bigint),
        ('tracks'::text, n_tracks, n_new_tracks, n_tracks - n_new_tracks, 0::bigint),
        ('streams'::text, n_staged, n_new_streams, n_staged - n_new_streams - n_rejected, n_rejected);
END
$$;

COMMENT ON FUNCTION @extschema@.ingest_scrobbles(interval, interval) IS
'Loads staging_scrobbles (Last.fm 1K format) into users, tracks and streams; durations from the gap to the next play, capped at max_play';

-- Loading writes: not for PUBLIC (95_privileges.sql grants loaders what they need).
REVOKE EXECUTE ON FUNCTION @extschema@.ingest_scrobbles(interval, interval) FROM PUBLIC;
