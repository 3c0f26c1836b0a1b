-- ---------------------------------------------------------------------------
-- stream_checks: the per-stream checks of data_quality() (report 12) in one
-- aggregate call per stream, where ten count(*) FILTER (...) aggregates cost
-- more than the scan (src/stream_checks.c, doc/aggregates.md).  The state is a
-- plain bigint[] of 11 counters, merged by stream_checks_combine.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.stream_checks_result AS (
    streams               bigint,
    no_user_key           bigint,
    no_track_key          bigint,
    unknown_track         bigint,
    longer_than_track     bigint,
    longest_excess_sec    bigint,
    completed_and_skipped bigint,
    zero_duration         bigint,
    hour_mismatch         bigint,
    future                bigint,
    latest_date           date
);
COMMENT ON TYPE @extschema@.stream_checks_result IS
    'stream_checks: streams, and how many fail each per-stream data-quality check';

-- Not strict: a NULL column is a case of its own (no key, no duration, no date).
CREATE FUNCTION @extschema@.stream_checks_accum(
    state bigint[], user_key integer, track_key integer, track_duration_sec integer,
    completed boolean, skipped boolean, stream_duration_sec integer,
    hour_of_day smallint, stream_time time, stream_date date, today date)
RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'vinylops_stream_checks_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_checks_combine(bigint[], bigint[])
RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'vinylops_stream_checks_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_checks_final(bigint[])
RETURNS @extschema@.stream_checks_result
    AS 'MODULE_PATHNAME', 'vinylops_stream_checks_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- track_duration_sec is the caller's lookup of the stream's track: NULL or
-- negative means the track_key names no track.  today bounds "dated after today".
CREATE AGGREGATE @extschema@.stream_checks(
    user_key integer, track_key integer, track_duration_sec integer,
    completed boolean, skipped boolean, stream_duration_sec integer,
    hour_of_day smallint, stream_time time, stream_date date, today date) (
    SFUNC = @extschema@.stream_checks_accum,
    STYPE = bigint[],
    FINALFUNC = @extschema@.stream_checks_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_checks_combine,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,-9223372036854775808}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stream_checks(integer, integer, integer, boolean, boolean, integer,
                                               smallint, time, date, date) IS
    'data_quality''s per-stream checks in one pass: missing keys, unknown tracks, streams longer than their track, completed and skipped, zero durations, hour_of_day against stream_time, dates after today, the latest date';

-- stream_checks_keyed: the same with the track's duration looked up inside
-- the aggregate (named apart, as cell_metrics_keyed is, so that a NULL third
-- argument still names one aggregate):
-- track_durations[track_key] (NULL when the key is NULL or outside the array),
-- where data_quality()'s SQL subscript per stream cost as much as the checks.
CREATE FUNCTION @extschema@.stream_checks_keyed_accum(
    state bigint[], user_key integer, track_key integer, track_durations integer[],
    completed boolean, skipped boolean, stream_duration_sec integer,
    hour_of_day smallint, stream_time time, stream_date date, today date)
RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'vinylops_stream_checks_keyed_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.stream_checks_keyed(
    user_key integer, track_key integer, track_durations integer[],
    completed boolean, skipped boolean, stream_duration_sec integer,
    hour_of_day smallint, stream_time time, stream_date date, today date) (
    SFUNC = @extschema@.stream_checks_keyed_accum,
    STYPE = bigint[],
    FINALFUNC = @extschema@.stream_checks_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stream_checks_combine,
    INITCOND = '{0,0,0,0,0,0,0,0,0,0,-9223372036854775808}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stream_checks_keyed(integer, integer, integer[], boolean, boolean, integer,
                                                     smallint, time, date, date) IS
    'stream_checks with the track''s duration looked up as track_durations[track_key] (an int4 array by key, such as dense_int_array builds)';
