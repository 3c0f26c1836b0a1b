-- ---------------------------------------------------------------------------
-- int_set and distinct_count (issue 6): count(DISTINCT x) in one hashing pass,
-- with a mergeable state.  count(DISTINCT) sorts every row and never runs in
-- parallel workers; distinct_count adds each row to its group's set (a bitmap
-- or a hash table, whichever is smaller) and combines partial sets as unions,
-- so parallel query and Citus can split it.  tid_ordinal gives a table's rows
-- an integer key within one query, for counting rows whose key is text
-- (distinct users through the join to users).  src/int_set*.c,
-- doc/performance.md.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.int_set;

CREATE FUNCTION @extschema@.int_set_in(cstring)
RETURNS @extschema@.int_set
    AS 'MODULE_PATHNAME', 'vinylops_int_set_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.int_set_out(@extschema@.int_set)
RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_int_set_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.int_set_recv(internal)
RETURNS @extschema@.int_set
    AS 'MODULE_PATHNAME', 'vinylops_int_set_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.int_set_send(@extschema@.int_set)
RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_int_set_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A varlena set of 32-bit integers; text form {value,...}, values ascending.
CREATE TYPE @extschema@.int_set (
    INTERNALLENGTH = VARIABLE,
    INPUT = @extschema@.int_set_in,
    OUTPUT = @extschema@.int_set_out,
    RECEIVE = @extschema@.int_set_recv,
    SEND = @extschema@.int_set_send,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.int_set IS
    'exact set of 32-bit integers (a bitmap or a hash table): the state of distinct_count';

-- Not strict: NULL values are skipped, and the first value makes the state.
CREATE FUNCTION @extschema@.int_set_accum(@extschema@.int_set, integer)
RETURNS @extschema@.int_set
    AS 'MODULE_PATHNAME', 'vinylops_int_set_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- A date is its day number (infinities included), so the same C function serves.
CREATE FUNCTION @extschema@.int_set_accum(@extschema@.int_set, date)
RETURNS @extschema@.int_set
    AS 'MODULE_PATHNAME', 'vinylops_int_set_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The union of two partial sets (parallel workers, partitions, Citus shards).
CREATE FUNCTION @extschema@.int_set_combine(@extschema@.int_set, @extschema@.int_set)
RETURNS @extschema@.int_set
    AS 'MODULE_PATHNAME', 'vinylops_int_set_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- How many values a set holds; 0 for NULL (no values), as count(DISTINCT).
CREATE FUNCTION @extschema@.int_set_count(@extschema@.int_set)
RETURNS bigint
    AS 'MODULE_PATHNAME', 'vinylops_int_set_count'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- count(DISTINCT value), exactly, in one pass and in parallel.  SSPACE tells
-- the planner a group's state is small (a few words for a user's days).
CREATE AGGREGATE @extschema@.distinct_count(value integer) (
    SFUNC = @extschema@.int_set_accum,
    STYPE = @extschema@.int_set,
    SSPACE = 64,
    FINALFUNC = @extschema@.int_set_count,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.int_set_combine,
    PARALLEL = SAFE
);

CREATE AGGREGATE @extschema@.distinct_count(value date) (
    SFUNC = @extschema@.int_set_accum,
    STYPE = @extschema@.int_set,
    SSPACE = 64,
    FINALFUNC = @extschema@.int_set_count,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.int_set_combine,
    PARALLEL = SAFE
);

-- The set itself, for a caller that reads more than its size (int_set_tally).
CREATE AGGREGATE @extschema@.int_set_agg(value integer) (
    SFUNC = @extschema@.int_set_accum,
    STYPE = @extschema@.int_set,
    SSPACE = 64,
    COMBINEFUNC = @extschema@.int_set_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.int_set_agg(integer) IS
    'the set of the distinct non-NULL values, as an int_set (distinct_count is its size)';

-- The row's position as an integer (block x 291 + offset - 1): distinct for
-- the rows one query sees, so distinct_count(tid_ordinal(u.ctid)) counts users.
CREATE FUNCTION @extschema@.tid_ordinal(tid)
RETURNS integer
    AS 'MODULE_PATHNAME', 'vinylops_tid_ordinal'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
