-- ---------------------------------------------------------------------------
-- Experiment design (contract section 5): who is in which arm, decided by a
-- hash anyone can recompute outside PostgreSQL (doc/engagement.md has the
-- bytes and a worked example).
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.experiment_assignments (
    experiment  text        NOT NULL CHECK (experiment <> ''),
    user_id     text        NOT NULL REFERENCES @extschema@.users (user_id),
    arm         text        NOT NULL CHECK (arm IN ('control', 'treatment')),
    assigned_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (experiment, user_id)
);
-- Serves the foreign key when users are deleted, and per-user lookups across experiments.
CREATE INDEX experiment_assignments_user_id_idx ON @extschema@.experiment_assignments (user_id);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.experiment_assignments', '');

-- The user's bucket 0..99 in an experiment: the first 8 bytes of
-- md5(UTF-8 bytes of experiment || ':' || user_id), read as an unsigned big-endian
-- integer, modulo 100.  STABLE only because convert_to() is.
CREATE FUNCTION @extschema@.experiment_bucket(experiment text, user_id text) RETURNS integer
LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT ((('x' || pg_catalog.substr(h.hex, 1, 8))::bit(32)::bigint::numeric * 4294967296
             + ('x' || pg_catalog.substr(h.hex, 9, 8))::bit(32)::bigint) % 100)::integer
    FROM (SELECT pg_catalog.md5(pg_catalog.convert_to(experiment || ':' || user_id, 'UTF8')) AS hex) h;
END;

-- Rejects a NULL or empty experiment name and a treatment share outside 0..100.
CREATE FUNCTION @extschema@.check_assignment_args(experiment text, treatment_pct integer)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF experiment IS NULL OR btrim(experiment) = '' THEN
        RAISE EXCEPTION 'experiment must not be null or empty'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The experiment name is part of the hashed text that decides each user''s arm.';
    ELSIF treatment_pct IS NULL OR treatment_pct < 0 OR treatment_pct > 100 THEN
        RAISE EXCEPTION 'treatment_pct must be between 0 and 100'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('treatment_pct was %s.', coalesce(treatment_pct::text, 'NULL')),
                  HINT = 'It is the percentage of users put in the treatment arm; omit it for 50.';
    END IF;
    RETURN true;
END
$$;

-- Assigns every user not yet in the experiment to an arm by experiment_bucket() < treatment_pct;
-- users already assigned keep their arm.  One row per arm with the counts.
CREATE FUNCTION @extschema@.assign_by_hash(experiment text, treatment_pct integer DEFAULT 50)
RETURNS TABLE (arm text, newly_assigned bigint, already_assigned bigint, total bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@.check_assignment_args(assign_by_hash.experiment, assign_by_hash.treatment_pct);
    RETURN QUERY
    WITH before AS (
        SELECT a.arm, count(*) AS n
        FROM @extschema@.experiment_assignments a
        WHERE a.experiment = assign_by_hash.experiment
        GROUP BY a.arm
    ), added AS (
        INSERT INTO @extschema@.experiment_assignments AS a (experiment, user_id, arm)
        SELECT assign_by_hash.experiment, u.user_id,
               CASE WHEN @extschema@.experiment_bucket(assign_by_hash.experiment, u.user_id)
                         < assign_by_hash.treatment_pct
                    THEN 'treatment' ELSE 'control' END
        FROM @extschema@.users u
        ON CONFLICT ON CONSTRAINT experiment_assignments_pkey DO NOTHING
        RETURNING a.arm
    ), added_per_arm AS (
        SELECT d.arm, count(*) AS n FROM added d GROUP BY d.arm
    )
    SELECT arms.arm, coalesce(ad.n, 0), coalesce(b.n, 0), coalesce(ad.n, 0) + coalesce(b.n, 0)
    FROM (VALUES ('control'), ('treatment')) AS arms (arm)
    LEFT JOIN added_per_arm ad ON ad.arm = arms.arm
    LEFT JOIN before b ON b.arm = arms.arm
    ORDER BY arms.arm;
END
$$;

COMMENT ON FUNCTION @extschema@.experiment_bucket(text, text) IS
'0..99: first 8 bytes of md5(UTF-8 of experiment || '':'' || user_id) as an unsigned big-endian integer, mod 100';
COMMENT ON FUNCTION @extschema@.assign_by_hash(text, integer) IS
'Puts every unassigned user in control or treatment (treatment when experiment_bucket < treatment_pct); existing assignments are kept';

-- The standard normal quantile, Wichura's AS 241 (src/sample_size.c).
CREATE FUNCTION @extschema@.normal_quantile(p float8) RETURNS float8
    AS 'MODULE_PATHNAME', 'vinylops_normal_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Rejects arguments of required_sample_size() that leave the sample size undefined.
CREATE FUNCTION @extschema@.check_sample_size_args(
    kind text, baseline float8, min_lift_pct float8, sd float8, alpha float8, power float8)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    target float8 := baseline * (1 + min_lift_pct / 100);
BEGIN
    IF kind IS NULL OR kind NOT IN ('mean', 'proportion') THEN
        RAISE EXCEPTION 'kind must be ''mean'' or ''proportion'''
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('kind was %s.', coalesce(quote_literal(kind), 'NULL'));
    ELSIF alpha IS NULL OR NOT (alpha > 0 AND alpha < 1) THEN
        RAISE EXCEPTION 'alpha must be between 0 and 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('alpha was %s; it is the two-sided false-positive rate, e.g. 0.05.', coalesce(alpha::text, 'NULL'));
    ELSIF power IS NULL OR NOT (power >= 0.5 AND power < 1) THEN
        RAISE EXCEPTION 'power must be at least 0.5 and less than 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('power was %s; it is the chance of detecting the lift when it is real, e.g. 0.8.', coalesce(power::text, 'NULL'));
    ELSIF min_lift_pct IS NULL OR min_lift_pct = 0 OR NOT abs(min_lift_pct) < 'Infinity'::float8 THEN
        RAISE EXCEPTION 'min_lift_pct must be a finite non-zero percentage'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('min_lift_pct was %s; no sample detects a lift of zero.', coalesce(min_lift_pct::text, 'NULL'));
    ELSIF kind = 'mean' AND (baseline IS NULL OR baseline = 0 OR NOT abs(baseline) < 'Infinity'::float8) THEN
        RAISE EXCEPTION 'baseline must be a finite non-zero mean'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('baseline was %s; the lift is relative to it.', coalesce(baseline::text, 'NULL'));
    ELSIF kind = 'mean' AND (sd IS NULL OR NOT (sd > 0) OR NOT abs(sd) < 'Infinity'::float8) THEN
        RAISE EXCEPTION 'sd must be a finite positive standard deviation for kind ''mean'''
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('sd was %s.', coalesce(sd::text, 'NULL'));
    ELSIF kind = 'proportion' AND sd IS NOT NULL THEN
        RAISE EXCEPTION 'sd applies only to kind ''mean'''
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A proportion''s variance follows from its rate.';
    ELSIF kind = 'proportion' AND (baseline IS NULL OR NOT (baseline > 0 AND baseline < 1)) THEN
        RAISE EXCEPTION 'baseline must be a rate between 0 and 1 for kind ''proportion'''
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('baseline was %s.', coalesce(baseline::text, 'NULL'));
    ELSIF kind = 'proportion' AND NOT (target > 0 AND target < 1) THEN
        RAISE EXCEPTION 'the lifted rate must be between 0 and 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('baseline %s lifted by %s %% is %s.', baseline, min_lift_pct, target);
    END IF;
    RETURN true;
END
$$;

-- Users per arm for a two-sided test at `alpha` to detect a relative lift of min_lift_pct %
-- with probability `power`: for a mean, 2 sd^2 (z_a + z_b)^2 / delta^2; for a proportion,
-- (z_a sqrt(2 pbar (1 - pbar)) + z_b sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2;
-- z_a = normal_quantile(1 - alpha / 2), z_b = normal_quantile(power); rounded up.
CREATE FUNCTION @extschema@.required_sample_size(
    kind text,
    baseline float8,
    min_lift_pct float8,
    sd float8 DEFAULT NULL,
    alpha float8 DEFAULT 0.05,
    power float8 DEFAULT 0.80)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.ceil(
               CASE WHEN kind = 'mean'
                    THEN 2 * (sd * (v.z_a + v.z_b)) ^ 2 / (v.p2 - v.p1) ^ 2
                    ELSE (v.z_a * pg_catalog.sqrt((v.p1 + v.p2) * (1 - (v.p1 + v.p2) / 2))
                          + v.z_b * pg_catalog.sqrt(v.p1 * (1 - v.p1) + v.p2 * (1 - v.p2))) ^ 2
                         / (v.p2 - v.p1) ^ 2
               END)::bigint
    FROM (SELECT @extschema@.normal_quantile(1 - alpha / 2) AS z_a,
                 @extschema@.normal_quantile(power) AS z_b,
                 baseline AS p1, baseline * (1 + min_lift_pct / 100) AS p2) v
    WHERE @extschema@.check_sample_size_args(kind, baseline, min_lift_pct, sd, alpha, power);
END;

COMMENT ON FUNCTION @extschema@.normal_quantile(float8) IS
'Standard normal quantile (inverse CDF), Wichura AS 241';
COMMENT ON FUNCTION @extschema@.required_sample_size(text, float8, float8, float8, float8, float8) IS
'Users per arm to detect a relative lift of a mean (kind ''mean'', needs sd) or a rate (kind ''proportion'') at two-sided alpha and power';

-- Assigning writes: not for PUBLIC (95_privileges.sql grants loaders what they need).
REVOKE EXECUTE ON FUNCTION @extschema@.assign_by_hash(text, integer) FROM PUBLIC;
