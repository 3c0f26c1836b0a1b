-- ---------------------------------------------------------------------------
-- playback_metrics (issue 8, item 5): the counts and the buffer time of a
-- group of player events in one C call per row, for playback_health.  A
-- concrete fixed-length state of six int64, so parallel query and Citus can
-- aggregate partially and combine (src/playback_metrics.c, doc/platform.md).
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.playback_metrics_state;

CREATE FUNCTION @extschema@.playback_metrics_state_in(cstring)
RETURNS @extschema@.playback_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.playback_metrics_state_out(@extschema@.playback_metrics_state)
RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.playback_metrics_state_recv(internal)
RETURNS @extschema@.playback_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.playback_metrics_state_send(@extschema@.playback_metrics_state)
RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- events, plays, buffers, buffer_ms sum and count, errors (struct PlaybackMetricsState).
CREATE TYPE @extschema@.playback_metrics_state (
    INTERNALLENGTH = 48,
    INPUT = @extschema@.playback_metrics_state_in,
    OUTPUT = @extschema@.playback_metrics_state_out,
    RECEIVE = @extschema@.playback_metrics_state_recv,
    SEND = @extschema@.playback_metrics_state_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.playback_metrics_state IS
    'transition state of playback_metrics: event counts and the buffer-time sum';

-- What playback_health reads its ratios from.
CREATE TYPE @extschema@.playback_metrics_result AS (
    events          bigint,
    plays           bigint,
    buffer_events   bigint,
    buffer_ms       bigint,
    errors          bigint
);

-- Not strict: every row counts in events, whatever its columns hold.
CREATE FUNCTION @extschema@.playback_metrics_accum(@extschema@.playback_metrics_state, text, integer)
RETURNS @extschema@.playback_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds two partial states (parallel workers, partitions, Citus shards).
CREATE FUNCTION @extschema@.playback_metrics_combine(@extschema@.playback_metrics_state,
                                                     @extschema@.playback_metrics_state)
RETURNS @extschema@.playback_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.playback_metrics_final(@extschema@.playback_metrics_state)
RETURNS @extschema@.playback_metrics_result
    AS 'MODULE_PATHNAME', 'vinylops_playback_metrics_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Per group of playback events: all events, 'play' / 'buffer' / 'error' events,
-- and the buffer time (sum of the buffers' duration_ms, 0 without any).
CREATE AGGREGATE @extschema@.playback_metrics(event_type text, duration_ms integer) (
    SFUNC = @extschema@.playback_metrics_accum,
    STYPE = @extschema@.playback_metrics_state,
    FINALFUNC = @extschema@.playback_metrics_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.playback_metrics_combine,
    INITCOND = 'events=0 plays=0 buffers=0 buffer_ms=0/0 errors=0',
    PARALLEL = SAFE
);
