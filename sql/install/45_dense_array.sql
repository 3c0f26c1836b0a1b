-- ---------------------------------------------------------------------------
-- dense_int_array (issue 6): a user's or a track's attribute as an int4 array
-- subscripted by its surrogate key, so a report's scan of streams looks the
-- attribute up in a cache-sized array instead of probing a hash join of
-- users or tracks once per stream.  src/dense_array.c, doc/performance.md.
-- ---------------------------------------------------------------------------

-- a[keys[i]] = vals[i], lower bound the smallest key, fill between the keys;
-- NULL for no keys.  Keys distinct, keys and values without NULL (a NULL
-- would make each subscript walk the array); keys below 2147483647 spanning
-- at most 2^24 values.
CREATE FUNCTION @extschema@.dense_int_array(keys integer[], vals integer[], fill integer)
RETURNS integer[]
    AS 'MODULE_PATHNAME', 'vinylops_dense_int_array'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dense_int_array(integer[], integer[], integer) IS
    'an int4 array a with a[keys[i]] = vals[i] (lower bound the smallest key, fill between keys): a lookup by dense key such as users.user_key';
