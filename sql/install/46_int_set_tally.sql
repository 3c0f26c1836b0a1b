-- ---------------------------------------------------------------------------
-- int_set_tally (issue 6): over sets of keys, how many sets hold each key, as
-- a stream_tally (the key's streams).  user_lifecycle counts a user's active
-- days as the number of per-day sets of users that hold the user, where
-- grouping 19 M streams by user kept a set of days per user in a hash table
-- larger than the CPU caches.  src/int_set_tally.c, doc/aggregates.md.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.int_set_tally_accum(@extschema@.stream_tally, @extschema@.int_set)
RETURNS @extschema@.stream_tally
    AS 'MODULE_PATHNAME', 'vinylops_int_set_tally_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.int_set_tally(keys @extschema@.int_set) (
    SFUNC = @extschema@.int_set_tally_accum,
    STYPE = @extschema@.stream_tally,
    SSPACE = 10000000,
    FINALFUNC = @extschema@.stream_tally_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = @extschema@.stream_tally_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.int_set_tally(@extschema@.int_set) IS
    'per key, the number of the sets that hold it (as the streams of a stream_tally)';
