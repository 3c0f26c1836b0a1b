-- ---------------------------------------------------------------------------
-- srm_check (contract section 5; src/srm_check.c): sample-ratio-mismatch check.
-- Aggregates cannot have DEFAULT arguments, so the contract's
-- `expected_treatment_share DEFAULT 0.5` is a one-argument aggregate
-- expecting 0.5 beside the two-argument one.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.srm_result AS (
    n_control                bigint,
    n_treatment              bigint,
    expected_treatment_share float8,
    observed_treatment_share float8,
    chi_square               float8,   -- Pearson, 1 degree of freedom
    p_value                  float8,
    mismatch                 boolean   -- p_value < 0.001
);

CREATE FUNCTION @extschema@.srm_check_accum(@extschema@.srm_state, boolean)
    RETURNS @extschema@.srm_state
    AS 'MODULE_PATHNAME', 'vinylops_srm_check_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.srm_check_accum(@extschema@.srm_state, boolean, float8)
    RETURNS @extschema@.srm_state
    AS 'MODULE_PATHNAME', 'vinylops_srm_check_accum_share' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.srm_check_combine(@extschema@.srm_state, @extschema@.srm_state)
    RETURNS @extschema@.srm_state
    AS 'MODULE_PATHNAME', 'vinylops_srm_check_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.srm_check_final(@extschema@.srm_state)
    RETURNS @extschema@.srm_result
    AS 'MODULE_PATHNAME', 'vinylops_srm_check_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.srm_check(is_treatment boolean) (
    SFUNC = @extschema@.srm_check_accum,
    STYPE = @extschema@.srm_state,
    INITCOND = '(0,0,0.5)',
    FINALFUNC = @extschema@.srm_check_final,
    COMBINEFUNC = @extschema@.srm_check_combine,
    PARALLEL = SAFE
);

-- The expected share must be the same on every row; the first row sets it.
CREATE AGGREGATE @extschema@.srm_check(is_treatment boolean, expected_treatment_share float8) (
    SFUNC = @extschema@.srm_check_accum,
    STYPE = @extschema@.srm_state,
    FINALFUNC = @extschema@.srm_check_final,
    COMBINEFUNC = @extschema@.srm_check_combine,
    PARALLEL = SAFE
);
