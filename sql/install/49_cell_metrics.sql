-- ---------------------------------------------------------------------------
-- cell_metrics(label, code, user_key, <stream_metrics' six arguments>): per
-- cell (label, code), stream_metrics' counts and the distinct user keys, in
-- one aggregate group (src/cell_metrics*.c, doc/aggregates.md).  The cell
-- reports group 19 M streams by a few dozen cells; this replaces their hash
-- aggregation over text keys, which called stream_metrics and distinct_count
-- per stream, by one call per stream.  cell_metrics_rows lists the cells.
-- The text and binary forms of the state are those of cell_metrics_cell[].
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.cell_metrics_state;

CREATE FUNCTION @extschema@.cell_metrics_state_in(cstring)
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_state_in'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cell_metrics_state_out(@extschema@.cell_metrics_state)
RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_state_out'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cell_metrics_state_recv(internal)
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_state_recv'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.cell_metrics_state_send(@extschema@.cell_metrics_state)
RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_state_send'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.cell_metrics_state (
    INTERNALLENGTH = VARIABLE,
    INPUT = @extschema@.cell_metrics_state_in,
    OUTPUT = @extschema@.cell_metrics_state_out,
    RECEIVE = @extschema@.cell_metrics_state_recv,
    SEND = @extschema@.cell_metrics_state_send,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.cell_metrics_state IS
    'transition state of cell_metrics: per (label, code) cell, stream_metrics'' counts and the distinct user keys';

-- One cell in the text and binary forms of cell_metrics_state.
CREATE TYPE @extschema@.cell_metrics_cell AS (
    label   text,
    code    bigint,
    metrics @extschema@.stream_metrics_state,
    users   @extschema@.int_set
);

CREATE FUNCTION @extschema@.cell_metrics_accum(
    @extschema@.cell_metrics_state, text, bigint, integer,
    boolean, boolean, boolean, boolean, integer, integer)
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.cell_metrics_combine(
    @extschema@.cell_metrics_state, @extschema@.cell_metrics_state)
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_combine'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- SSPACE: one group holds every cell (a few hundred bytes each, plus its users).
CREATE AGGREGATE @extschema@.cell_metrics(label text, code bigint, user_key integer,
                                          completed boolean, skipped boolean, replayed boolean,
                                          added_to_playlist boolean, stream_duration_sec integer,
                                          track_duration_sec integer) (
    SFUNC = @extschema@.cell_metrics_accum,
    STYPE = @extschema@.cell_metrics_state,
    SSPACE = 1000000,
    COMBINEFUNC = @extschema@.cell_metrics_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cell_metrics(text, bigint, integer, boolean, boolean, boolean,
                                              boolean, integer, integer) IS
    'per (label, code) cell: stream_metrics'' counts and the distinct non-NULL user keys; read it with cell_metrics_rows';

CREATE FUNCTION @extschema@.cell_metrics_keyed_accum(
    @extschema@.cell_metrics_state, text, bigint, integer[], integer, integer,
    boolean, boolean, boolean, boolean, integer, integer[], integer)
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_keyed_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- cell_metrics with its lookups by key done inside (doc/aggregates.md): the
-- code is code + code_map[code_key] (NULL for a key that is NULL or outside
-- the array; code alone when code_map is NULL), the track duration
-- duration_map[track_key], and a row whose track_key is NULL, outside
-- duration_map or on a negative element is left out, as an inner join to the
-- tracks leaves it.  Arrays that stay the same for the whole aggregation (an
-- InitPlan's dense_int_array) are read a few rows later, prefetched, where a
-- subscript in SQL stalled on a cache miss per stream.
CREATE AGGREGATE @extschema@.cell_metrics_keyed(label text, code bigint, code_map integer[],
                                                code_key integer, user_key integer,
                                                completed boolean, skipped boolean,
                                                replayed boolean, added_to_playlist boolean,
                                                stream_duration_sec integer,
                                                duration_map integer[], track_key integer) (
    SFUNC = @extschema@.cell_metrics_keyed_accum,
    STYPE = @extschema@.cell_metrics_state,
    SSPACE = 1000000,
    COMBINEFUNC = @extschema@.cell_metrics_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cell_metrics_keyed(text, bigint, integer[], integer, integer, boolean,
                                                    boolean, boolean, boolean, integer, integer[], integer) IS
    'cell_metrics with the code''s addend and the track duration looked up by key in integer arrays';

CREATE FUNCTION @extschema@.cell_metrics_keyed_accum(
    @extschema@.cell_metrics_state, text, bigint, integer[], integer, integer,
    boolean, boolean, boolean, boolean, integer, integer[], integer, integer[], integer)
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_keyed_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The same with a second addend looked up by a second key: the code is code +
-- code_map[code_key] + code_map2[code_key2] (NULL when either key is NULL or
-- outside its array).  artist_partnership_roi's cell is the track's (artist,
-- genre) code and the user's type: both lookups inside, where the first was a
-- SQL subscript per stream.  Fourteen arguments, so no call of the twelve can
-- mean this one.
CREATE AGGREGATE @extschema@.cell_metrics_keyed(label text, code bigint, code_map integer[],
                                                code_key integer, user_key integer,
                                                completed boolean, skipped boolean,
                                                replayed boolean, added_to_playlist boolean,
                                                stream_duration_sec integer,
                                                duration_map integer[], track_key integer,
                                                code_map2 integer[], code_key2 integer) (
    SFUNC = @extschema@.cell_metrics_keyed_accum,
    STYPE = @extschema@.cell_metrics_state,
    SSPACE = 1000000,
    COMBINEFUNC = @extschema@.cell_metrics_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cell_metrics_keyed(text, bigint, integer[], integer, integer, boolean,
                                                    boolean, boolean, boolean, integer, integer[], integer,
                                                    integer[], integer) IS
    'cell_metrics with two addends of the code and the track duration looked up by key in integer arrays';

CREATE FUNCTION @extschema@.cell_metrics_keyed_accum(
    @extschema@.cell_metrics_state, text, bigint, integer[], integer, integer,
    boolean, boolean, boolean, boolean, integer, integer[], integer, integer[], integer, integer[])
RETURNS @extschema@.cell_metrics_state
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_keyed_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The same with user_map: a cell's user set holds user_map[user_key] in place
-- of user_key (no user when the key is NULL, outside the array or on a
-- negative element; user_key itself when user_map is NULL).  Numbered
-- one-to-one within each cell (peak_usage: the user's rank within the region
-- in the cell's code), the set counts the same users, and its bitmap spans
-- the cell's own users: the sets of 432 cells over 194,000 user keys took
-- 10 MB per process, and setting their bits was 31 % of peak_usage()
-- (doc/performance.md, twelfth measurement).
CREATE AGGREGATE @extschema@.cell_metrics_keyed(label text, code bigint, code_map integer[],
                                                code_key integer, user_key integer,
                                                completed boolean, skipped boolean,
                                                replayed boolean, added_to_playlist boolean,
                                                stream_duration_sec integer,
                                                duration_map integer[], track_key integer,
                                                code_map2 integer[], code_key2 integer,
                                                user_map integer[]) (
    SFUNC = @extschema@.cell_metrics_keyed_accum,
    STYPE = @extschema@.cell_metrics_state,
    SSPACE = 1000000,
    COMBINEFUNC = @extschema@.cell_metrics_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cell_metrics_keyed(text, bigint, integer[], integer, integer, boolean,
                                                    boolean, boolean, boolean, integer, integer[], integer,
                                                    integer[], integer, integer[]) IS
    'cell_metrics_keyed with two addends of the code, and the users'' set values looked up by key in integer arrays';

CREATE FUNCTION @extschema@.cell_metrics_rows(state @extschema@.cell_metrics_state)
RETURNS TABLE (label text, code bigint, metrics @extschema@.stream_metrics_state, users bigint)
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_rows'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.cell_metrics_rows(@extschema@.cell_metrics_state) IS
    'the cells of a cell_metrics state by label then code (NULLs last): stream_metrics_state (for stream_metrics_final) and distinct users';

-- The cells' user-key sets themselves, for a caller that reads more than
-- their size (user_lifecycle: per user, how many day cells hold it).
CREATE FUNCTION @extschema@.cell_metrics_user_sets(state @extschema@.cell_metrics_state)
RETURNS TABLE (label text, code bigint, users @extschema@.int_set)
    AS 'MODULE_PATHNAME', 'vinylops_cell_metrics_user_sets'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.cell_metrics_user_sets(@extschema@.cell_metrics_state) IS
    'the cells of a cell_metrics state by label then code (NULLs last), each with its set of user keys';

-- A date as its day number (days since 2000-01-01; -infinity and infinity the
-- ends of int32), for a code that keys on the day.
CREATE FUNCTION @extschema@.day_number(day date)
RETURNS integer
    AS 'MODULE_PATHNAME', 'vinylops_day_number'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.day_number(date) IS
    'days since 2000-01-01 as PostgreSQL stores a date (-infinity and infinity the ends of int32)';
