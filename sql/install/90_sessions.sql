-- ---------------------------------------------------------------------------
-- Sessions (contract section 5): listening sessions cut at gaps of inactivity.
-- A stream runs from stream_date + stream_time for stream_duration_sec
-- seconds.  Inactivity is measured from the END of the earlier streams (the
-- latest end among them, normally the previous stream's): a user who listens
-- to a 50-minute album track and presses play 20 minutes after it ended is in
-- the same session under a 30-minute gap, though 70 minutes passed between
-- the two starts.  doc/engagement.md has the definitions.
-- ---------------------------------------------------------------------------

-- Rejects a NULL or negative session gap; returns true otherwise.
CREATE FUNCTION @extschema@.check_session_gap(gap interval) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF gap IS NULL THEN
        RAISE EXCEPTION 'gap must not be null'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'gap is the inactivity after which a new listening session starts.',
                  HINT = 'Omit the argument for the default of 30 minutes.';
    ELSIF gap < interval '0' THEN
        RAISE EXCEPTION 'gap must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('gap was %s.', gap),
                  HINT = 'Pass interval ''0'' to split at every pause, however short.';
    END IF;
    RETURN true;
END
$$;

-- One row per listening session: a new session starts when a stream begins more than
-- `gap` after the latest end of the user's earlier streams (a gap of exactly `gap` does not split).
CREATE FUNCTION @extschema@.sessions(gap interval DEFAULT '30 minutes')
RETURNS TABLE (
    user_id          text,
    session_start    timestamp,
    session_end      timestamp,
    streams          bigint,
    listened_sec     bigint,
    skips            bigint,
    distinct_artists bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH timed AS (
        SELECT s.user_id, s.stream_key, s.stream_duration_sec, s.skipped, t.artist_name,
               s.stream_date + s.stream_time AS started,
               s.stream_date + s.stream_time
                   + pg_catalog.make_interval(secs => s.stream_duration_sec) AS ended
        FROM @extschema@.streams s
        JOIN @extschema@.tracks t ON t.track_id = s.track_id
    ), marked AS (            -- 1 where a stream opens a new session (the first has no predecessor)
        SELECT m.*,
               CASE WHEN m.started - pg_catalog.max(m.ended) OVER earlier > gap
                    THEN 1 ELSE 0 END AS opens
        FROM timed m
        WINDOW earlier AS (PARTITION BY m.user_id ORDER BY m.started, m.stream_key
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), numbered AS (
        SELECT n.*,
               pg_catalog.sum(n.opens) OVER (PARTITION BY n.user_id ORDER BY n.started, n.stream_key
                                             ROWS UNBOUNDED PRECEDING) AS session_no
        FROM marked n
    )
    SELECT n.user_id, pg_catalog.min(n.started), pg_catalog.max(n.ended),
           pg_catalog.count(*), pg_catalog.sum(n.stream_duration_sec),
           pg_catalog.count(*) FILTER (WHERE n.skipped),
           pg_catalog.count(DISTINCT n.artist_name)
    FROM numbered n
    WHERE @extschema@.check_session_gap(gap)
    GROUP BY n.user_id, n.session_no
    ORDER BY n.user_id COLLATE "C", pg_catalog.min(n.started);
END;

COMMENT ON FUNCTION @extschema@.sessions(interval) IS
'One row per listening session; a new session starts after more than `gap` without anything playing (measured from the end of the previous streams)';
