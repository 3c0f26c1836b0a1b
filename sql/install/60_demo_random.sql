-- ---------------------------------------------------------------------------
-- Demo data, part 1: counter-based random numbers (src/demo_random.c) and the
-- id formats (src/demo_ids.c).  Every random number is a pure function
-- of (seed, row number, field salt), so generated rows do not depend on the
-- plan, on parallelism or on anything the session did before.
-- ---------------------------------------------------------------------------

-- A float8 in [0, 1): splitmix64(splitmix64(salt << 32 | seed) + n), top 53 bits.
CREATE FUNCTION @extschema@.demo_uniform(seed integer, n bigint, salt integer) RETURNS float8
    AS 'MODULE_PATHNAME', 'vinylops_demo_uniform' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The 1-based index of the weight whose share of the total contains u (u in [0, 1)).
CREATE FUNCTION @extschema@.demo_choice(u float8, weights float8[]) RETURNS integer
    AS 'MODULE_PATHNAME', 'vinylops_demo_choice' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- prefix || n zero-padded to width digits: USER_0042, TRK_0042.
CREATE FUNCTION @extschema@.demo_id(prefix text, n bigint, width integer) RETURNS text
    AS 'MODULE_PATHNAME', 'vinylops_demo_id' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- 'STR_' || YYYYMMDD || '_' || n zero-padded to width digits, the reference's stream id shape.
CREATE FUNCTION @extschema@.demo_stream_id(d date, n bigint, width integer) RETURNS text
    AS 'MODULE_PATHNAME', 'vinylops_demo_stream_id' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
