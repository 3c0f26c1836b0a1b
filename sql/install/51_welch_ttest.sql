-- ---------------------------------------------------------------------------
-- welch_ttest (contract section 3; src/welch_ttest.c, src/two_sample_state.c,
-- src/distributions.c): Welch's t-test of treatment against control.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.ttest_result AS (
    n_control      bigint,
    n_treatment    bigint,
    mean_control   float8,
    mean_treatment float8,
    sd_control     float8,
    sd_treatment   float8,
    mean_diff      float8,   -- treatment - control
    lift_pct       float8,   -- 100 * mean_diff / mean_control
    t_stat         float8,
    df             float8,   -- Welch-Satterthwaite
    p_value        float8,   -- two-sided, Student t
    ci_low         float8,   -- interval for mean_diff
    ci_high        float8,
    cohens_d       float8    -- mean_diff / pooled standard deviation
);

-- Transition functions are not STRICT: NULL rows are skipped in C, and the
-- three-argument form must see every row's confidence.
CREATE FUNCTION @extschema@.welch_ttest_accum(@extschema@.ttest_state, float8, boolean)
    RETURNS @extschema@.ttest_state
    AS 'MODULE_PATHNAME', 'vinylops_welch_ttest_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.welch_ttest_accum(@extschema@.ttest_state, float8, boolean, float8)
    RETURNS @extschema@.ttest_state
    AS 'MODULE_PATHNAME', 'vinylops_welch_ttest_accum_confidence' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.welch_ttest_combine(@extschema@.ttest_state, @extschema@.ttest_state)
    RETURNS @extschema@.ttest_state
    AS 'MODULE_PATHNAME', 'vinylops_welch_ttest_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- Also callable on a hand-made state: welch_ttest_final('(n,mean,m2,...)').
CREATE FUNCTION @extschema@.welch_ttest_final(@extschema@.ttest_state)
    RETURNS @extschema@.ttest_result
    AS 'MODULE_PATHNAME', 'vinylops_welch_ttest_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.welch_ttest(value float8, is_treatment boolean) (
    SFUNC = @extschema@.welch_ttest_accum,
    STYPE = @extschema@.ttest_state,
    INITCOND = '(0,0,0,0,0,0,0.95)',
    FINALFUNC = @extschema@.welch_ttest_final,
    COMBINEFUNC = @extschema@.welch_ttest_combine,
    PARALLEL = SAFE
);

-- The confidence level must be the same on every row; the first row sets it.
CREATE AGGREGATE @extschema@.welch_ttest(value float8, is_treatment boolean, confidence float8) (
    SFUNC = @extschema@.welch_ttest_accum,
    STYPE = @extschema@.ttest_state,
    FINALFUNC = @extschema@.welch_ttest_final,
    COMBINEFUNC = @extschema@.welch_ttest_combine,
    PARALLEL = SAFE
);
