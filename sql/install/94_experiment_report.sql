-- ---------------------------------------------------------------------------
-- Experiment readout (contract section 5): experiment_report() compares the
-- arms of an experiment on one primary metric and four guardrails with the
-- hypothesis-test aggregates (welch_ttest, proportion_ztest, srm_check), and
-- ship_decision() applies the launch rule to it.  The unit of analysis is the
-- user (the unit of randomisation): each metric is one number per user, so
-- the tests' variances are right however many streams a user has.  Sessions
-- follow the rule of sessions(), rebuilt here from the assigned users' streams
-- of the period and the day before it, so a report reads only its experiment's
-- streams (sessions() would sessionize the whole table).
-- doc/engagement.md has the definitions.
-- ---------------------------------------------------------------------------

-- Rejects unusable report arguments, and an experiment nobody is assigned to.
CREATE FUNCTION @extschema@.check_experiment_args(
    experiment text, period_start date, period_end date, confidence float8,
    expected_treatment_share float8)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF experiment IS NULL THEN
        RAISE EXCEPTION 'experiment must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    ELSIF period_start IS NULL OR period_end IS NULL OR period_start > period_end
          OR NOT isfinite(period_start) OR NOT isfinite(period_end) THEN
        RAISE EXCEPTION 'period_start and period_end must be finite dates, period_start first'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The period was %s to %s; both ends are included.',
                                  coalesce(period_start::text, 'NULL'), coalesce(period_end::text, 'NULL'));
    ELSIF confidence IS NULL OR NOT (confidence > 0 AND confidence < 1) THEN
        RAISE EXCEPTION 'confidence must be between 0 and 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('confidence was %s; e.g. 0.95 for 95 %% intervals and tests at alpha 0.05.',
                                  coalesce(confidence::text, 'NULL'));
    ELSIF expected_treatment_share IS NULL
          OR NOT (expected_treatment_share > 0 AND expected_treatment_share < 1) THEN
        RAISE EXCEPTION 'expected_treatment_share must be between 0 and 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('expected_treatment_share was %s; it is the designed share of users in treatment.',
                                  coalesce(expected_treatment_share::text, 'NULL'));
    ELSIF NOT EXISTS (SELECT FROM @extschema@.experiment_assignments a WHERE a.experiment = $1) THEN
        RAISE EXCEPTION 'experiment % has no assigned users', quote_literal(experiment)
            USING ERRCODE = 'no_data_found',
                  HINT = 'Assign users first, e.g. with vinylops.assign_by_hash().';
    END IF;
    RETURN true;
END
$$;

-- A test result in words: the direction is judged by whether higher values are better.
CREATE FUNCTION @extschema@.experiment_verdict(
    p_value float8, diff float8, higher_is_better boolean, alpha float8)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN p_value IS NULL OR diff IS NULL THEN 'Not enough data'
                WHEN p_value >= alpha THEN 'No significant difference'
                WHEN (diff > 0) = higher_is_better THEN 'Significant improvement'
                ELSE 'Significant degradation'
           END;
END;

-- One row per metric of the experiment over [period_start, period_end]: the primary metric
-- (mean session length, minutes), four guardrails and a sample-ratio check, each with both
-- arms' means, the lift, p-value, an interval for the difference at `confidence`, the effect
-- size and a verdict at alpha = 1 - confidence.
CREATE FUNCTION @extschema@.experiment_report(
    experiment text,
    period_start date,
    period_end date,
    gap interval DEFAULT '30 minutes',
    confidence float8 DEFAULT 0.95,
    expected_treatment_share float8 DEFAULT 0.5)
RETURNS TABLE (
    metric           text,
    role             text,
    higher_is_better boolean,
    n_control        bigint,
    n_treatment      bigint,
    mean_control     float8,
    mean_treatment   float8,
    mean_diff        float8,
    lift_pct         float8,
    p_value          float8,
    ci_low           float8,
    ci_high          float8,
    cohens_d         float8,
    verdict          text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH arms AS (
        SELECT a.user_id, a.arm = 'treatment' AS is_treatment
        FROM @extschema@.experiment_assignments a
        WHERE a.experiment = experiment_report.experiment
    ), listened AS (          -- the assigned users' streams in the period, with each user's day 0
        SELECT s.user_id, r.is_treatment, s.stream_date, s.skipped, t.artist_name,
               pg_catalog.min(s.stream_date) OVER (PARTITION BY s.user_id) AS day0
        FROM @extschema@.streams s
        JOIN arms r ON r.user_id = s.user_id
        JOIN @extschema@.tracks t ON t.track_id = s.track_id
        WHERE s.stream_date BETWEEN period_start AND period_end
    ), per_user AS (          -- the analysed users: assigned and active in the period
        SELECT l.user_id, l.is_treatment,
               100.0::float8 * pg_catalog.count(*) FILTER (WHERE l.skipped) / pg_catalog.count(*) AS skip_rate,
               pg_catalog.count(DISTINCT l.artist_name)::float8 AS artists,
               -- D1 is observable only when day 0 + 1 is inside the period.
               CASE WHEN pg_catalog.min(l.day0) < period_end
                    THEN pg_catalog.bool_or(l.stream_date = l.day0 + 1) END AS retained_d1
        FROM listened l
        GROUP BY l.user_id, l.is_treatment
    ), context AS (           -- their streams from the day before the period on, start and end
        SELECT s.user_id, s.stream_key, s.stream_date + s.stream_time AS started,
               s.stream_date + s.stream_time + pg_catalog.make_interval(secs => s.stream_duration_sec) AS ended
        FROM @extschema@.streams s
        JOIN arms r ON r.user_id = s.user_id
        WHERE s.stream_date BETWEEN period_start - 1 AND period_end
    ), opened AS (            -- the rule of sessions(): more than `gap` after the latest end so far
        SELECT c.user_id, c.started, c.ended, c.stream_key,
               CASE WHEN c.started - pg_catalog.max(c.ended) OVER earlier > gap THEN 1 ELSE 0 END AS opens
        FROM context c
        WINDOW earlier AS (PARTITION BY c.user_id ORDER BY c.started, c.stream_key
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), numbered AS (
        SELECT o.user_id, o.started, o.ended,
               pg_catalog.sum(o.opens) OVER (PARTITION BY o.user_id ORDER BY o.started, o.stream_key
                                             ROWS UNBOUNDED PRECEDING) AS session_no
        FROM opened o
    ), user_sessions AS (
        SELECT n.user_id, pg_catalog.min(n.started) AS session_start, pg_catalog.max(n.ended) AS session_end
        FROM numbered n
        GROUP BY n.user_id, n.session_no
    ), per_user_sessions AS ( -- sessions that start in the period
        SELECT x.user_id, pg_catalog.count(*) AS sessions,
               pg_catalog.avg(pg_catalog.date_part('epoch', x.session_end - x.session_start) / 60) AS minutes
        FROM user_sessions x
        WHERE x.session_start >= period_start AND x.session_start < period_end + 1
        GROUP BY x.user_id
    ), tests AS (
        SELECT @extschema@.welch_ttest(ps.minutes, p.is_treatment, confidence) AS minutes,
               @extschema@.welch_ttest(p.skip_rate, p.is_treatment, confidence) AS skips,
               @extschema@.welch_ttest(coalesce(ps.sessions, 0)::float8, p.is_treatment, confidence) AS sessions,
               @extschema@.welch_ttest(p.artists, p.is_treatment, confidence) AS artists,
               @extschema@.proportion_ztest(p.retained_d1, p.is_treatment) AS d1,
               @extschema@.srm_check(p.is_treatment, expected_treatment_share) AS srm
        FROM per_user p
        LEFT JOIN per_user_sessions ps ON ps.user_id = p.user_id
    ), d1 AS (                -- the D1 interval at `confidence` (unpooled), and Cohen's h
        SELECT (t.d1).*,
               @extschema@.normal_quantile(0.5 + confidence / 2)
                   * pg_catalog.sqrt((t.d1).p_control * (1 - (t.d1).p_control) / nullif((t.d1).n_control, 0)
                                     + (t.d1).p_treatment * (1 - (t.d1).p_treatment) / nullif((t.d1).n_treatment, 0))
                   AS half_width,
               2 * pg_catalog.asin(pg_catalog.sqrt((t.d1).p_treatment))
                   - 2 * pg_catalog.asin(pg_catalog.sqrt((t.d1).p_control)) AS cohens_h
        FROM tests t
    ), metric_rows AS (
        SELECT 1 AS ord, 'mean session duration (minutes)' AS metric, 'primary' AS role, true AS higher_is_better,
               (t.minutes).n_control, (t.minutes).n_treatment, (t.minutes).mean_control, (t.minutes).mean_treatment,
               (t.minutes).mean_diff, (t.minutes).lift_pct, (t.minutes).p_value,
               (t.minutes).ci_low, (t.minutes).ci_high, (t.minutes).cohens_d, NULL::boolean AS mismatch
        FROM tests t
        UNION ALL
        SELECT 2, 'skip rate (%)', 'guardrail', false,
               (t.skips).n_control, (t.skips).n_treatment, (t.skips).mean_control, (t.skips).mean_treatment,
               (t.skips).mean_diff, (t.skips).lift_pct, (t.skips).p_value,
               (t.skips).ci_low, (t.skips).ci_high, (t.skips).cohens_d, NULL
        FROM tests t
        UNION ALL
        SELECT 3, 'sessions per user', 'guardrail', true,
               (t.sessions).n_control, (t.sessions).n_treatment, (t.sessions).mean_control, (t.sessions).mean_treatment,
               (t.sessions).mean_diff, (t.sessions).lift_pct, (t.sessions).p_value,
               (t.sessions).ci_low, (t.sessions).ci_high, (t.sessions).cohens_d, NULL
        FROM tests t
        UNION ALL
        SELECT 4, 'D1 retention (%)', 'guardrail', true,
               d.n_control, d.n_treatment, 100 * d.p_control, 100 * d.p_treatment,
               100 * d.diff, d.lift_pct, d.p_value,
               100 * (d.diff - d.half_width), 100 * (d.diff + d.half_width), d.cohens_h, NULL
        FROM d1 d
        UNION ALL
        SELECT 5, 'artist diversity (distinct artists)', 'guardrail', true,
               (t.artists).n_control, (t.artists).n_treatment, (t.artists).mean_control, (t.artists).mean_treatment,
               (t.artists).mean_diff, (t.artists).lift_pct, (t.artists).p_value,
               (t.artists).ci_low, (t.artists).ci_high, (t.artists).cohens_d, NULL
        FROM tests t
    )
    SELECT r.metric, r.role, r.higher_is_better, r.n_control, r.n_treatment, r.mean_control, r.mean_treatment,
           r.mean_diff, r.lift_pct, r.p_value, r.ci_low, r.ci_high, r.cohens_d,
           CASE WHEN r.role <> 'srm'
                THEN @extschema@.experiment_verdict(r.p_value, r.mean_diff, r.higher_is_better, 1 - confidence)
                WHEN r.mismatch IS NULL THEN 'Not enough data'
                WHEN r.mismatch THEN 'Sample ratio mismatch: the arms are not comparable'
                ELSE 'No sample ratio mismatch'
           END
    FROM (SELECT * FROM metric_rows
          UNION ALL
          -- Sample ratio: means are the expected and observed treatment shares (%).
          SELECT 6, 'sample ratio (% in treatment)', 'srm', NULL,
                 (t.srm).n_control, (t.srm).n_treatment,
                 100 * (t.srm).expected_treatment_share, 100 * (t.srm).observed_treatment_share,
                 100 * ((t.srm).observed_treatment_share - (t.srm).expected_treatment_share),
                 NULL, (t.srm).p_value, NULL, NULL, NULL, (t.srm).mismatch
          FROM tests t) r
    WHERE @extschema@.check_experiment_args(experiment, period_start, period_end, confidence,
                                            expected_treatment_share)
      AND @extschema@.check_session_gap(gap)
    ORDER BY r.ord;
END;

-- Rejects unusable thresholds of ship_decision().
CREATE FUNCTION @extschema@.check_ship_args(
    min_lift_pct float8, alpha float8, guardrail_max_degradation_pct float8, guardrail_alpha float8)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF min_lift_pct IS NULL OR NOT abs(min_lift_pct) < 'Infinity'::float8 THEN
        RAISE EXCEPTION 'min_lift_pct must be a finite percentage'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('min_lift_pct was %s.', coalesce(min_lift_pct::text, 'NULL'));
    ELSIF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
        RAISE EXCEPTION 'alpha must be between 0 and 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('alpha was %s.', coalesce(alpha::text, 'NULL'));
    ELSIF guardrail_max_degradation_pct IS NULL OR NOT (guardrail_max_degradation_pct >= 0)
          OR NOT guardrail_max_degradation_pct < 'Infinity'::float8 THEN
        RAISE EXCEPTION 'guardrail_max_degradation_pct must be a finite non-negative percentage'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('guardrail_max_degradation_pct was %s.', coalesce(guardrail_max_degradation_pct::text, 'NULL'));
    ELSIF guardrail_alpha IS NULL OR NOT (guardrail_alpha > 0 AND guardrail_alpha < 1) THEN
        RAISE EXCEPTION 'guardrail_alpha must be between 0 and 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('guardrail_alpha was %s.', coalesce(guardrail_alpha::text, 'NULL'));
    END IF;
    RETURN true;
END
$$;

-- A p-value as text for a reason: four decimals, or "< 0.0001".
CREATE FUNCTION @extschema@.format_p(p float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN p < 0.0001 THEN 'p < 0.0001' ELSE 'p = ' || pg_catalog.to_char(p, 'FM0.0000') END;
END;

-- 'Ship' only when the sample ratio is as designed, the primary metric lifts by more than
-- min_lift_pct % at p < alpha, and no guardrail is worse by more than
-- guardrail_max_degradation_pct % at p < guardrail_alpha; one reason per check, PASS or FAIL.
CREATE FUNCTION @extschema@.ship_decision(
    experiment text,
    period_start date,
    period_end date,
    min_lift_pct float8 DEFAULT 2,
    alpha float8 DEFAULT 0.05,
    guardrail_max_degradation_pct float8 DEFAULT 1,
    guardrail_alpha float8 DEFAULT 0.10,
    gap interval DEFAULT '30 minutes',
    expected_treatment_share float8 DEFAULT 0.5)
RETURNS TABLE (decision text, reasons text[])
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH report AS (
        SELECT r.*,
               -- How much worse the treatment is, in % of control (negative: better).
               CASE WHEN r.higher_is_better THEN -r.lift_pct ELSE r.lift_pct END AS worse_pct,
               (r.mean_diff < 0) = r.higher_is_better AS worse
        FROM @extschema@.experiment_report(experiment, period_start, period_end, gap, 1 - alpha,
                                           expected_treatment_share) WITH ORDINALITY AS r
    ), judged AS (
        SELECT r.ordinality AS ord,
               CASE r.role
                   -- srm_check flags a mismatch at p < 0.001.
                   WHEN 'srm' THEN r.p_value >= 0.001
                   WHEN 'primary' THEN r.p_value < alpha AND r.lift_pct > min_lift_pct
                   ELSE r.p_value IS NOT NULL
                        AND NOT (r.worse AND r.p_value < guardrail_alpha
                                 AND coalesce(r.worse_pct > guardrail_max_degradation_pct, true))
               END AS passed,
               CASE r.role
                   WHEN 'srm' THEN
                       pg_catalog.format('sample ratio: %s of users in treatment, expected %s (%s)',
                           pg_catalog.to_char(r.mean_treatment, 'FM990.0') || ' %',
                           pg_catalog.to_char(r.mean_control, 'FM990.0') || ' %',
                           @extschema@.format_p(r.p_value))
                   WHEN 'primary' THEN
                       pg_catalog.format('%s: lift %s (%s); needs more than %s at p < %s',
                           r.metric, pg_catalog.to_char(r.lift_pct, 'FMSG9999990.00') || ' %',
                           @extschema@.format_p(r.p_value),
                           pg_catalog.to_char(min_lift_pct, 'FMSG9999990.00') || ' %', alpha)
                   ELSE
                       pg_catalog.format('%s: change %s (%s); blocks if worse by more than %s at p < %s',
                           r.metric, pg_catalog.to_char(r.lift_pct, 'FMSG9999990.00') || ' %',
                           @extschema@.format_p(r.p_value),
                           guardrail_max_degradation_pct || ' %', guardrail_alpha)
               END AS detail
        FROM report r
    )
    SELECT CASE WHEN pg_catalog.bool_and(coalesce(j.passed, false)) THEN 'Ship' ELSE 'Don''t ship' END,
           pg_catalog.array_agg(CASE WHEN coalesce(j.passed, false) THEN 'PASS ' ELSE 'FAIL ' END
                                || CASE WHEN j.passed IS NULL THEN j.detail || ' - not enough data'
                                        ELSE j.detail END
                                ORDER BY j.ord)
    FROM judged j
    WHERE @extschema@.check_ship_args(min_lift_pct, alpha, guardrail_max_degradation_pct, guardrail_alpha);
END;

COMMENT ON FUNCTION @extschema@.experiment_report(text, date, date, interval, float8, float8) IS
'Experiment readout per user: mean session minutes (primary), skip rate, sessions per user, D1 retention, artist diversity (guardrails) and sample ratio';
COMMENT ON FUNCTION @extschema@.ship_decision(text, date, date, float8, float8, float8, float8, interval, float8) IS
'Ship or Don''t ship, with one PASS/FAIL reason per check: sample ratio, primary lift, each guardrail';
