-- ingest_users(): loads staging_users into users.  A user_id staged with two
-- different contents, or already loaded with other content, is rejected rather
-- than guessed at; an identical row is counted as already present.
CREATE FUNCTION @extschema@.ingest_users(
    OUT staged bigint, OUT loaded bigint, OUT already_present bigint, OUT rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH taken AS (
        DELETE FROM @extschema@.staging_users RETURNING *
    ), parsed AS (
        SELECT to_jsonb(s) AS raw_row,
               @extschema@.id_value(s.user_id) AS user_id,
               CASE lower(btrim(s.user_type)) WHEN 'free' THEN 'Free'
                                              WHEN 'premium' THEN 'Premium' END AS user_type,
               nullif(btrim(s.user_age_group), '') AS user_age_group,
               nullif(btrim(s.geographic_region), '') AS geographic_region,
               @extschema@.try_bool(s.is_quebec_resident) AS is_quebec_resident,
               nullif(concat_ws('; ',
                   @extschema@.reason_id('user_id', s.user_id),
                   CASE WHEN s.user_type IS NULL OR btrim(s.user_type) = '' THEN 'user_type is empty'
                        WHEN lower(btrim(s.user_type)) NOT IN ('free', 'premium')
                        THEN 'user_type ' || @extschema@.reason_quote(s.user_type) || ' is not Free or Premium'
                   END,
                   @extschema@.reason_bool('is_quebec_resident', s.is_quebec_resident)), '') AS reason
        FROM taken s
    ), versions AS (          -- distinct contents staged per valid user_id
        SELECT p.user_id, count(DISTINCT (p.user_type, p.user_age_group, p.geographic_region,
                                          p.is_quebec_resident)) AS n
        FROM parsed p WHERE p.reason IS NULL GROUP BY p.user_id
    ), judged AS (
        SELECT p.raw_row, p.user_id, p.user_type, p.user_age_group, p.geographic_region,
               p.is_quebec_resident,
               coalesce(p.reason,
                   CASE WHEN v.n > 1
                        THEN 'user_id ' || @extschema@.reason_quote(p.user_id) || ' is staged more than once with different content'
                        WHEN u.user_id IS NOT NULL AND
                             (u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident)
                             IS DISTINCT FROM
                             (p.user_type, p.user_age_group, p.geographic_region, p.is_quebec_resident)
                        THEN 'user_id ' || @extschema@.reason_quote(p.user_id) || ' already exists with different content'
                   END) AS reason,
               u.user_id IS NOT NULL AS present
        FROM parsed p
        LEFT JOIN versions v ON v.user_id = p.user_id
        LEFT JOIN @extschema@.users u ON u.user_id = p.user_id
    ), put_rejects AS (
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_users', j.raw_row, j.reason FROM judged j WHERE j.reason IS NOT NULL
        RETURNING 1
    ), put_rows AS (
        INSERT INTO @extschema@.users
        SELECT DISTINCT j.user_id, j.user_type, j.user_age_group, j.geographic_region, j.is_quebec_resident
        FROM judged j WHERE j.reason IS NULL AND NOT j.present
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM taken),
           (SELECT count(*) FROM put_rows),
           (SELECT count(*) FROM put_rejects)
    INTO staged, loaded, rejected;
    already_present := staged - loaded - rejected;
END
$$;
