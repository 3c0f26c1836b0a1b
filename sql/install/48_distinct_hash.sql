-- ---------------------------------------------------------------------------
-- distinct_hash_count(text): how many distinct 64-bit hashes the values have
-- (src/distinct_hash.c, doc/aggregates.md).  Equal to the number of non-NULL
-- values only when no value repeats, so data_quality() proves its ids unique
-- in the pass it makes anyway and groups the ids themselves only otherwise.
-- Values are compared as bytes (a deterministic collation).  The state is a
-- plain bigint[]: the count of hashes, then the hashes; past 2^25 values it
-- gives up (NULL), to bound its memory at 8 bytes a value.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.distinct_hash_accum(state bigint[], value text)
RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'vinylops_distinct_hash_accum'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.distinct_hash_combine(bigint[], bigint[])
RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'vinylops_distinct_hash_combine'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.distinct_hash_final(bigint[])
RETURNS bigint
    AS 'MODULE_PATHNAME', 'vinylops_distinct_hash_final'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE @extschema@.distinct_hash_count(value text) (
    SFUNC = @extschema@.distinct_hash_accum,
    STYPE = bigint[],
    FINALFUNC = @extschema@.distinct_hash_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.distinct_hash_combine,
    INITCOND = '{0}',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.distinct_hash_count(text) IS
    'number of distinct 64-bit hashes of the values: equal to the number of non-NULL values only if none repeats; NULL past 2^25 values';
