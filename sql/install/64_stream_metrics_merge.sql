-- ---------------------------------------------------------------------------
-- Two-stage stream metrics (issue 6): stream_metrics_partial aggregates
-- streams into a stream_metrics_state without finishing it, and
-- stream_metrics_merge adds such states and finishes them like
-- stream_metrics.  Reports that count distinct users per group aggregate per
-- (group, user) with the first and per group with the second, counting rows
-- for the users: both stages can hash and aggregate partially in parallel
-- workers, which count(DISTINCT) never does (doc/performance.md).
-- stream_metrics_merge(stream_metrics_partial(...)) over any split of the rows
-- equals stream_metrics(...) over all of them, exactly: the state holds only
-- integer counts and sums.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.stream_metrics_state_final(@extschema@.stream_metrics_state)
RETURNS @extschema@.stream_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_stream_metrics_state_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stream_metrics_state_final(@extschema@.stream_metrics_state) IS
    'final function of stream_metrics_partial: the state itself';

-- stream_metrics' state, unfinished, for stream_metrics_merge.
CREATE AGGREGATE @extschema@.stream_metrics_partial(
    completed boolean, skipped boolean, replayed boolean, added_to_playlist boolean,
    stream_duration_sec integer, track_duration_sec integer) (
    SFUNC = @extschema@.stream_metrics_accum,
    STYPE = @extschema@.stream_metrics_state,
    FINALFUNC = @extschema@.stream_metrics_state_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stream_metrics_partial(boolean, boolean, boolean, boolean, integer, integer) IS
    'stream_metrics'' state over the rows, unfinished, to be merged by stream_metrics_merge';

-- Adds stream_metrics_state values (NULLs skipped) and finishes them as stream_metrics does.
CREATE AGGREGATE @extschema@.stream_metrics_merge(state @extschema@.stream_metrics_state) (
    SFUNC = @extschema@.stream_metrics_combine,
    STYPE = @extschema@.stream_metrics_state,
    FINALFUNC = @extschema@.stream_metrics_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_metrics_combine,
    INITCOND = 'rows=0 completed=0/0 skipped=0/0 replayed=0/0 playlisted=0/0 duration=0/0 listen=0/0/0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stream_metrics_merge(@extschema@.stream_metrics_state) IS
    'stream_metrics_result of the sum of stream_metrics_state values (from stream_metrics_partial)';

-- The planner prices a transition function at COST × cpu_operator_cost per row.
-- stream_metrics_accum counts a row, four flags and two durations: measured at
-- 1 M streams it costs about what five count() calls cost (doc/performance.md),
-- so at the default COST 1 the planner thought a parallel partial aggregate over
-- it bought almost nothing and kept the per-user reports serial.
ALTER FUNCTION @extschema@.stream_metrics_accum(@extschema@.stream_metrics_state, boolean, boolean,
                                                boolean, boolean, integer, integer) COST 5;
