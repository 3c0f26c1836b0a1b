-- ---------------------------------------------------------------------------
-- Stream metrics (contract section 3): engagement_score, experience_score and
-- the one-pass stream_metrics, sharing one concrete state type so parallel
-- query and Citus can aggregate partially and combine (src/stream_metrics*.c,
-- doc/aggregates.md).
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.stream_metrics_state;

CREATE FUNCTION @extschema@.stream_metrics_state_in(cstring)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_state_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_metrics_state_out(@extschema@.stream_metrics_state)
RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_state_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_metrics_state_recv(internal)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_state_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_metrics_state_send(@extschema@.stream_metrics_state)
RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_state_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Fourteen int64 counts and sums (struct StreamMetricsState); no float in it,
-- so partial states add exactly in any order.
CREATE TYPE @extschema@.stream_metrics_state (
    INTERNALLENGTH = 112,
    INPUT = @extschema@.stream_metrics_state_in,
    OUTPUT = @extschema@.stream_metrics_state_out,
    RECEIVE = @extschema@.stream_metrics_state_recv,
    SEND = @extschema@.stream_metrics_state_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.stream_metrics_state IS
    'transition state of engagement_score, experience_score and stream_metrics: counts and integer duration sums';

-- What the twelve reports read their rates from, in one pass.
CREATE TYPE @extschema@.stream_metrics_result AS (
    streams             bigint,
    completion_pct      float8,
    skip_pct            float8,
    replay_pct          float8,
    playlist_add_pct    float8,
    avg_duration_sec    float8,
    listen_through_pct  float8
);

-- Transition functions: not strict, because a row counts in rows even when its inputs are NULL.
CREATE FUNCTION @extschema@.engagement_score_accum(
    @extschema@.stream_metrics_state, boolean, boolean, boolean)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_engagement_score_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.experience_score_accum(
    @extschema@.stream_metrics_state, boolean, boolean, integer, integer)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_experience_score_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_metrics_accum(
    @extschema@.stream_metrics_state, boolean, boolean, boolean, boolean, integer, integer)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Merges two partial states (parallel workers, partitions, Citus shards).
CREATE FUNCTION @extschema@.stream_metrics_combine(
    @extschema@.stream_metrics_state, @extschema@.stream_metrics_state)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.engagement_score_final(@extschema@.stream_metrics_state)
RETURNS float8
    AS 'MODULE_PATHNAME', 'vinylops_engagement_score_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.experience_score_final(@extschema@.stream_metrics_state)
RETURNS float8
    AS 'MODULE_PATHNAME', 'vinylops_experience_score_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_metrics_final(@extschema@.stream_metrics_state)
RETURNS @extschema@.stream_metrics_result
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 0.4 × completion % + 0.3 × replay % + 0.3 × playlist-add %.
CREATE AGGREGATE @extschema@.engagement_score(
    completed boolean, replayed boolean, added_to_playlist boolean) (
    SFUNC = @extschema@.engagement_score_accum,
    STYPE = @extschema@.stream_metrics_state,
    FINALFUNC = @extschema@.engagement_score_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0',
    PARALLEL = SAFE
);

-- 0.5 × completion % + 0.3 × (100 − skip %) + 0.2 × listen-through %.
CREATE AGGREGATE @extschema@.experience_score(
    completed boolean, skipped boolean, stream_duration_sec integer, track_duration_sec integer) (
    SFUNC = @extschema@.experience_score_accum,
    STYPE = @extschema@.stream_metrics_state,
    FINALFUNC = @extschema@.experience_score_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0',
    PARALLEL = SAFE
);

-- Every per-stream rate in one pass.
CREATE AGGREGATE @extschema@.stream_metrics(
    completed boolean, skipped boolean, replayed boolean, added_to_playlist boolean,
    stream_duration_sec integer, track_duration_sec integer) (
    SFUNC = @extschema@.stream_metrics_accum,
    STYPE = @extschema@.stream_metrics_state,
    FINALFUNC = @extschema@.stream_metrics_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0',
    PARALLEL = SAFE
);
