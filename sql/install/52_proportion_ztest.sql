-- ---------------------------------------------------------------------------
-- proportion_ztest (contract section 5; src/proportion_ztest.c): two-proportion
-- z-test of treatment against control.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.ztest_result AS (
    n_control           bigint,
    n_treatment         bigint,
    successes_control   bigint,
    successes_treatment bigint,
    p_control           float8,
    p_treatment         float8,
    diff                float8,   -- p_treatment - p_control
    lift_pct            float8,   -- 100 * diff / p_control
    z_stat              float8,   -- pooled standard error
    p_value             float8,   -- two-sided, normal
    ci_low              float8,   -- 95 % interval for diff, unpooled standard error
    ci_high             float8
);

CREATE FUNCTION @extschema@.proportion_ztest_accum(@extschema@.ztest_state, boolean, boolean)
    RETURNS @extschema@.ztest_state
    AS 'MODULE_PATHNAME', 'vinylops_proportion_ztest_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_ztest_combine(@extschema@.ztest_state, @extschema@.ztest_state)
    RETURNS @extschema@.ztest_state
    AS 'MODULE_PATHNAME', 'vinylops_proportion_ztest_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.proportion_ztest_final(@extschema@.ztest_state)
    RETURNS @extschema@.ztest_result
    AS 'MODULE_PATHNAME', 'vinylops_proportion_ztest_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.proportion_ztest(success boolean, is_treatment boolean) (
    SFUNC = @extschema@.proportion_ztest_accum,
    STYPE = @extschema@.ztest_state,
    INITCOND = '(0,0,0,0)',
    FINALFUNC = @extschema@.proportion_ztest_final,
    COMBINEFUNC = @extschema@.proportion_ztest_combine,
    PARALLEL = SAFE
);
