-- ---------------------------------------------------------------------------
-- int_histogram (issue 8, item 5): an exact value -> count histogram of
-- integers, built by the int_histogram_agg aggregate and merged like two
-- sorted runs, so parallel query and Citus can build it in parts; from it
-- histogram_percentile_cont gives percentile_cont's exact values (startup
-- times in playback_health).  src/int_histogram*.c, doc/platform.md.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.int_histogram;

CREATE FUNCTION @extschema@.int_histogram_in(cstring)
RETURNS @extschema@.int_histogram
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.int_histogram_out(@extschema@.int_histogram)
RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.int_histogram_recv(internal)
RETURNS @extschema@.int_histogram
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.int_histogram_send(@extschema@.int_histogram)
RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A varlena of (value, count) pairs; text form {value:count,...}, values ascending.
CREATE TYPE @extschema@.int_histogram (
    INTERNALLENGTH = VARIABLE,
    INPUT = @extschema@.int_histogram_in,
    OUTPUT = @extschema@.int_histogram_out,
    RECEIVE = @extschema@.int_histogram_recv,
    SEND = @extschema@.int_histogram_send,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.int_histogram IS
    'exact histogram of integers: each distinct value with its count';

-- Not strict: NULL values are skipped, and the first value makes the state.
CREATE FUNCTION @extschema@.int_histogram_accum(@extschema@.int_histogram, integer)
RETURNS @extschema@.int_histogram
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Merges two partial histograms (parallel workers, partitions, Citus shards).
CREATE FUNCTION @extschema@.int_histogram_combine(@extschema@.int_histogram, @extschema@.int_histogram)
RETURNS @extschema@.int_histogram
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The canonical histogram (pending values merged, no spare room).
CREATE FUNCTION @extschema@.int_histogram_final(@extschema@.int_histogram)
RETURNS @extschema@.int_histogram
    AS 'MODULE_PATHNAME', 'vinylops_int_histogram_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The histogram of a column's non-NULL values; NULL when there are none.
CREATE AGGREGATE @extschema@.int_histogram_agg(value integer) (
    SFUNC = @extschema@.int_histogram_accum,
    STYPE = @extschema@.int_histogram,
    FINALFUNC = @extschema@.int_histogram_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.int_histogram_combine,
    PARALLEL = SAFE
);

-- How many values a histogram counts.
CREATE FUNCTION @extschema@.histogram_count(histogram @extschema@.int_histogram)
RETURNS bigint
    AS 'MODULE_PATHNAME', 'vinylops_histogram_count'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- percentile_cont(fraction) WITHIN GROUP (ORDER BY value) of the counted values,
-- exactly (the same float8 interpolation); NULL for a NULL argument or no values.
CREATE FUNCTION @extschema@.histogram_percentile_cont(histogram @extschema@.int_histogram, fraction float8)
RETURNS float8
    AS 'MODULE_PATHNAME', 'vinylops_histogram_percentile_cont'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
