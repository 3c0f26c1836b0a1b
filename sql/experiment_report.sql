-- experiment_report() and ship_decision() on a small simulated experiment whose every
-- number was recomputed from the raw rows with SciPy (scripts/check_experiment_report.sh,
-- same data), then the launch rule's arguments (a 52/48 split: experiment_srm).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
\i sql/include/experiment_simulator.psql

-- 600 users split by hash, +10 % session length planted in treatment, seed 0.5.
INSERT INTO vinylops.users SELECT 'C' || lpad(i::text, 4, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 600) i;
SELECT * FROM vinylops.assign_by_hash('crosscheck');
SELECT pg_temp.simulate_streams('C', 'crosscheck', 10, 0.5) AS streams;

SELECT metric, role, n_control AS n_c, n_treatment AS n_t, round(mean_control::numeric, 3) AS mean_c,
       round(mean_treatment::numeric, 3) AS mean_t, round(lift_pct::numeric, 2) AS lift_pct,
       round(p_value::numeric, 4) AS p, round(ci_low::numeric, 3) AS ci_low, round(ci_high::numeric, 3) AS ci_high,
       round(cohens_d::numeric, 4) AS d, verdict
FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14');

-- Every number against SciPy (ttest_ind(equal_var=False), t.ppf, norm, chisquare) over
-- sessions and per-user metrics rebuilt in Python: all 56 agree to 1e-9 (measured: 7.6e-14).
CREATE TEMP TABLE scipy_reference (metric text, field text, value float8);
INSERT INTO scipy_reference VALUES
    ('mean session duration (minutes)', 'n_control', 293.0),
    ('mean session duration (minutes)', 'n_treatment', 307.0),
    ('mean session duration (minutes)', 'mean_control', 7.714050056882823),
    ('mean session duration (minutes)', 'mean_treatment', 8.09410966340934),
    ('mean session duration (minutes)', 'mean_diff', 0.38005960652651627),
    ('mean session duration (minutes)', 'lift_pct', 4.926849109404079),
    ('mean session duration (minutes)', 'p_value', 0.16317439731768926),
    ('mean session duration (minutes)', 'ci_low', -0.15454739309940502),
    ('mean session duration (minutes)', 'ci_high', 0.9146666061524376),
    ('mean session duration (minutes)', 'cohens_d', 0.11380894699132155),
    ('skip rate (%)', 'n_control', 293.0),
    ('skip rate (%)', 'n_treatment', 307.0),
    ('skip rate (%)', 'mean_control', 21.70648464163822),
    ('skip rate (%)', 'mean_treatment', 21.319218241042343),
    ('skip rate (%)', 'mean_diff', -0.3872664005958768),
    ('skip rate (%)', 'lift_pct', -1.78410464425459),
    ('skip rate (%)', 'p_value', 0.8637676237552275),
    ('skip rate (%)', 'ci_low', -4.818099165721351),
    ('skip rate (%)', 'ci_high', 4.043566364529598),
    ('skip rate (%)', 'cohens_d', -0.01401918061939251),
    ('sessions per user', 'n_control', 293.0),
    ('sessions per user', 'n_treatment', 307.0),
    ('sessions per user', 'mean_control', 1.4744027303754266),
    ('sessions per user', 'mean_treatment', 1.485342019543974),
    ('sessions per user', 'mean_diff', 0.010939289168547361),
    ('sessions per user', 'lift_pct', 0.7419471588852724),
    ('sessions per user', 'p_value', 0.789044111888529),
    ('sessions per user', 'ci_low', -0.06932375092628665),
    ('sessions per user', 'ci_high', 0.09120232926338137),
    ('sessions per user', 'cohens_d', 0.021860887712477982),
    ('D1 retention (%)', 'n_control', 287.0),
    ('D1 retention (%)', 'n_treatment', 294.0),
    ('D1 retention (%)', 'mean_control', 6.968641114982578),
    ('D1 retention (%)', 'mean_treatment', 8.16326530612245),
    ('D1 retention (%)', 'mean_diff', 1.1946241911398703),
    ('D1 retention (%)', 'lift_pct', 17.14285714285714),
    ('D1 retention (%)', 'p_value', 0.5863366433709398),
    ('D1 retention (%)', 'ci_low', -3.103398720877278),
    ('D1 retention (%)', 'ci_high', 5.492647103157019),
    ('D1 retention (%)', 'cohens_d', 0.045207075999554425),
    ('artist diversity (distinct artists)', 'n_control', 293.0),
    ('artist diversity (distinct artists)', 'n_treatment', 307.0),
    ('artist diversity (distinct artists)', 'mean_control', 2.986348122866894),
    ('artist diversity (distinct artists)', 'mean_treatment', 2.9022801302931596),
    ('artist diversity (distinct artists)', 'mean_diff', -0.08406799257373443),
    ('artist diversity (distinct artists)', 'lift_pct', -2.8150767798976215),
    ('artist diversity (distinct artists)', 'p_value', 0.45583268055089854),
    ('artist diversity (distinct artists)', 'ci_low', -0.3053249209668442),
    ('artist diversity (distinct artists)', 'ci_high', 0.13718893581937536),
    ('artist diversity (distinct artists)', 'cohens_d', -0.06091395202403087),
    ('sample ratio (% in treatment)', 'n_control', 293.0),
    ('sample ratio (% in treatment)', 'n_treatment', 307.0),
    ('sample ratio (% in treatment)', 'mean_control', 50.0),
    ('sample ratio (% in treatment)', 'mean_treatment', 51.166666666666664),
    ('sample ratio (% in treatment)', 'mean_diff', 1.1666666666666714),
    ('sample ratio (% in treatment)', 'p_value', 0.5676284992633358);
CREATE TEMP TABLE report AS SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14');
SELECT count(*) AS compared,
       count(*) FILTER (WHERE abs(got - s.value) <= 1e-9 * greatest(1, abs(s.value))) AS agree
FROM scipy_reference s
JOIN LATERAL (SELECT (to_jsonb(r) ->> s.field)::float8 AS got FROM report r WHERE r.metric = s.metric) g ON true;

-- At 99 % confidence the p-values stay and the intervals widen; the verdicts use alpha 0.01.
SELECT a.metric, a.p_value = b.p_value AS same_p, (b.ci_high - b.ci_low) > (a.ci_high - a.ci_low) AS wider
FROM report a JOIN vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14', confidence => 0.99) b
  USING (metric)
WHERE a.role <> 'srm';

-- The default rule: primary p = 0.1632 is not below 0.05.
SELECT * FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14');
-- Every threshold is an argument: at alpha 0.2 the +4.93 % lift (p 0.1632) is enough ...
SELECT decision FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', alpha => 0.2);
-- ... unless the lift must exceed 5 % ...
SELECT decision FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', min_lift_pct => 5, alpha => 0.2);
-- ... or guardrails are judged at 0.5: artist diversity is 2.82 % worse at p 0.4558.
SELECT decision, reasons[5] FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', alpha => 0.2,
                                                        guardrail_alpha => 0.5);
-- ... and allowing 3 % degradation lets it through again.
SELECT decision FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', alpha => 0.2,
                                            guardrail_alpha => 0.5, guardrail_max_degradation_pct => 3);

-- Sessions follow the gap: with gap 0 no two streams of a session may be apart, so there are
-- more and shorter sessions (the simulator pauses 0-60 s between streams).
SELECT g.metric, round(g.mean_control::numeric, 3) AS gap_0_mean_c, round(r.mean_control::numeric, 3) AS gap_30_mean_c
FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14', gap => '0') g
JOIN report r USING (metric)
WHERE g.metric IN ('mean session duration (minutes)', 'sessions per user');

-- Bad arguments.
SELECT * FROM vinylops.experiment_report('nobody', '2024-03-01', '2024-03-14');
SELECT * FROM vinylops.experiment_report(NULL, '2024-03-01', '2024-03-14');
SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-14', '2024-03-01');
SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-01', NULL);
SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14', confidence => 1);
SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14', gap => '-1 minute');
SELECT * FROM vinylops.experiment_report('crosscheck', '2024-03-01', '2024-03-14', expected_treatment_share => 0);
SELECT * FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', alpha => 0);
SELECT * FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', min_lift_pct => NULL);
SELECT * FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', guardrail_max_degradation_pct => -1);
SELECT * FROM vinylops.ship_decision('crosscheck', '2024-03-01', '2024-03-14', guardrail_alpha => 1.5);
