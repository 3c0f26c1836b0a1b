-- ---------------------------------------------------------------------------
-- State types of the hypothesis-test aggregates (src/stats_state.c and the
-- per-test files).  Concrete types, not `internal`, so parallel query and
-- Citus can run the aggregates in parts and ship partial states: text form
-- "(field,...)" with exact float round trip, a versioned binary form, and
-- strict validation of both (anyone can write '...'::vinylops.ttest_state).
-- doc/statistics.md lists the fields of each.
-- ---------------------------------------------------------------------------

-- welch_ttest: per arm n, mean, M2, and the confidence level.
CREATE TYPE @extschema@.ttest_state;
CREATE FUNCTION @extschema@.ttest_state_in(cstring) RETURNS @extschema@.ttest_state
    AS 'MODULE_PATHNAME', 'vinylops_ttest_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttest_state_out(@extschema@.ttest_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_ttest_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttest_state_recv(internal) RETURNS @extschema@.ttest_state
    AS 'MODULE_PATHNAME', 'vinylops_ttest_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttest_state_send(@extschema@.ttest_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_ttest_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.ttest_state (
    INPUT = @extschema@.ttest_state_in, OUTPUT = @extschema@.ttest_state_out,
    RECEIVE = @extschema@.ttest_state_recv, SEND = @extschema@.ttest_state_send,
    INTERNALLENGTH = 56, ALIGNMENT = double, STORAGE = plain);

-- proportion_ztest: per arm rows and successes.
CREATE TYPE @extschema@.ztest_state;
CREATE FUNCTION @extschema@.ztest_state_in(cstring) RETURNS @extschema@.ztest_state
    AS 'MODULE_PATHNAME', 'vinylops_ztest_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ztest_state_out(@extschema@.ztest_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_ztest_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ztest_state_recv(internal) RETURNS @extschema@.ztest_state
    AS 'MODULE_PATHNAME', 'vinylops_ztest_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ztest_state_send(@extschema@.ztest_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_ztest_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.ztest_state (
    INPUT = @extschema@.ztest_state_in, OUTPUT = @extschema@.ztest_state_out,
    RECEIVE = @extschema@.ztest_state_recv, SEND = @extschema@.ztest_state_send,
    INTERNALLENGTH = 32, ALIGNMENT = double, STORAGE = plain);

-- srm_check: per arm rows and the expected treatment share.
CREATE TYPE @extschema@.srm_state;
CREATE FUNCTION @extschema@.srm_state_in(cstring) RETURNS @extschema@.srm_state
    AS 'MODULE_PATHNAME', 'vinylops_srm_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.srm_state_out(@extschema@.srm_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'vinylops_srm_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.srm_state_recv(internal) RETURNS @extschema@.srm_state
    AS 'MODULE_PATHNAME', 'vinylops_srm_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.srm_state_send(@extschema@.srm_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'vinylops_srm_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.srm_state (
    INPUT = @extschema@.srm_state_in, OUTPUT = @extschema@.srm_state_out,
    RECEIVE = @extschema@.srm_state_recv, SEND = @extschema@.srm_state_send,
    INTERNALLENGTH = 24, ALIGNMENT = double, STORAGE = plain);
