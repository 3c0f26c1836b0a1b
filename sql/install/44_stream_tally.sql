-- ---------------------------------------------------------------------------
-- stream_tally (issue 6): per-user stream counts in one dense array indexed by
-- users.user_key, for the per-user reports.  GROUP BY user_key hashes each of
-- 19 M streams into a table of a few hundred bytes per user, larger than the
-- CPU caches; stream_tally is one aggregate group whose state holds 4 to 44
-- bytes per key (the counts its rows need), and partial states from parallel workers (or Citus shards) add
-- slot by slot.  stream_tally_rows lists the keys with their counts and
-- rates.  src/stream_tally*.c, doc/aggregates.md.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.stream_tally;

CREATE FUNCTION @extschema@.stream_tally_in(cstring)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_tally_out(@extschema@.stream_tally)
RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_tally_recv(internal)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.stream_tally_send(@extschema@.stream_tally)
RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Text form {(key,streams,completed,replayed,playlisted,marked,dated,last_day),...},
-- keys ascending, last_day a day number (days from 2000-01-01).
CREATE TYPE @extschema@.stream_tally (
    INTERNALLENGTH = VARIABLE,
    INPUT = @extschema@.stream_tally_in,
    OUTPUT = @extschema@.stream_tally_out,
    RECEIVE = @extschema@.stream_tally_recv,
    SEND = @extschema@.stream_tally_send,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.stream_tally IS
    'per-key stream counts (streams, completed, replayed, playlisted, marked, first and latest day, duration) in a dense array: the state of stream_tally';

-- Not strict: a NULL key skips the row, NULL flags count as not TRUE.
CREATE FUNCTION @extschema@.stream_tally_accum(@extschema@.stream_tally, integer, boolean, boolean,
                                               boolean, boolean, date, integer)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Adds two partial tallies (parallel workers, partitions, Citus shards).
CREATE FUNCTION @extschema@.stream_tally_combine(@extschema@.stream_tally, @extschema@.stream_tally)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Settles the rows the transition's lookahead holds back (stream_tally.h), so
-- the aggregate's result has them in their slots; changes its state in place.
CREATE FUNCTION @extschema@.stream_tally_final(@extschema@.stream_tally)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_final'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Per key, in one pass: streams, how many were completed, replayed, added to a
-- playlist and marked (a flag of the caller's choosing, e.g. French), the
-- first and latest day, and the sum of the durations.  The state is the
-- result; read it with stream_tally_rows.
-- SSPACE: one aggregate group holds every key (up to 44 bytes each).
CREATE AGGREGATE @extschema@.stream_tally(key integer, completed boolean, replayed boolean,
                                          added_to_playlist boolean, marked boolean, day date,
                                          duration integer) (
    SFUNC = @extschema@.stream_tally_accum,
    STYPE = @extschema@.stream_tally,
    SSPACE = 10000000,
    FINALFUNC = @extschema@.stream_tally_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.stream_tally_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stream_tally(integer, boolean, boolean, boolean, boolean, date, integer) IS
    'per-key counts of streams, completed, replayed, playlist-added and marked rows, the first and latest day and the summed duration, in one dense array (keys such as users.user_key)';

-- The keys of a tally in ascending order with their counts, the counts as
-- percentages of streams (the formula stream_metrics uses), the first and
-- latest day, the summed duration and the mean (stream_metrics' mean).
CREATE FUNCTION @extschema@.stream_tally_rows(tally @extschema@.stream_tally)
RETURNS TABLE (key integer, streams bigint, completed bigint, replayed bigint, playlisted bigint,
               marked bigint, completion_pct float8, replay_pct float8, playlist_add_pct float8,
               marked_pct float8, first_day date, last_day date, total_duration bigint,
               avg_duration_sec float8)
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_rows'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 100000;
COMMENT ON FUNCTION @extschema@.stream_tally_rows(@extschema@.stream_tally) IS
    'the keys of a stream_tally with their counts, rates (percent of streams), first and latest day and durations, keys ascending';

-- The same with the mark looked up inside the aggregate: marked when
-- marks[mark_key] is 1 (an int4 array by key, such as dense_int_array
-- builds); with known_only, rows whose mark_key is NULL, outside marks or on a
-- negative element are left out.  Replaces a SQL subscript per stream.
CREATE FUNCTION @extschema@.stream_tally_marks_accum(@extschema@.stream_tally, integer, boolean, boolean,
                                                     boolean, integer[], integer, boolean, date, integer)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_stream_tally_marks_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.stream_tally(key integer, completed boolean, replayed boolean,
                                          added_to_playlist boolean, marks integer[], mark_key integer,
                                          known_only boolean, day date, duration integer) (
    SFUNC = @extschema@.stream_tally_marks_accum,
    STYPE = @extschema@.stream_tally,
    SSPACE = 10000000,
    FINALFUNC = @extschema@.stream_tally_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.stream_tally_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stream_tally(integer, boolean, boolean, boolean, integer[], integer, boolean,
                                              date, integer) IS
    'stream_tally with the mark looked up as marks[mark_key] = 1; with known_only, rows without an element of marks >= 0 are left out';
