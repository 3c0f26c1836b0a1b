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
