-- ingest_subscriptions(): loads staging_subscriptions into subscriptions, with
-- the key rules of ingest_users() (subscription_id is the key).
CREATE FUNCTION @extschema@.ingest_subscriptions(
    OUT staged bigint, OUT loaded bigint, OUT already_present bigint, OUT rejected bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    WITH taken AS (
        DELETE FROM @extschema@.staging_subscriptions RETURNING *
    ), parsed AS (
        SELECT s AS staged_row,
               @extschema@.id_value(s.subscription_id) AS subscription_id,
               @extschema@.id_value(s.user_id) AS user_id,
               nullif(btrim(s.plan), '') AS plan,
               @extschema@.try_amount(s.monthly_price) AS monthly_price,
               @extschema@.try_date(s.start_date) AS start_date,
               @extschema@.try_date(s.end_date) AS end_date,
               nullif(btrim(s.end_date), '') IS NULL AS no_end,
               CASE WHEN lower(btrim(s.status)) IN ('active', 'cancelled', 'expired')
                    THEN lower(btrim(s.status)) END AS status
        FROM taken s
    ), checked AS (
        SELECT p.*,
               CASE WHEN num_nulls(p.subscription_id, p.user_id, p.plan, p.monthly_price, p.start_date,
                                   p.status, u.user_id) > 0
                      OR (p.end_date IS NULL AND NOT p.no_end)
                      OR p.end_date < p.start_date
                      OR ((p.status = 'active') <> p.no_end)
               THEN concat_ws('; ',
                   @extschema@.reason_id('subscription_id', (p.staged_row).subscription_id),
                   @extschema@.reason_id('user_id', (p.staged_row).user_id),
                   @extschema@.reason_required('plan', (p.staged_row).plan),
                   @extschema@.reason_amount('monthly_price', (p.staged_row).monthly_price),
                   @extschema@.reason_date('start_date', (p.staged_row).start_date),
                   CASE WHEN NOT p.no_end THEN @extschema@.reason_date('end_date', (p.staged_row).end_date) END,
                   CASE WHEN p.end_date < p.start_date
                        THEN 'end_date ' || @extschema@.reason_quote((p.staged_row).end_date)
                             || ' is before start_date ' || @extschema@.reason_quote((p.staged_row).start_date) END,
                   CASE WHEN nullif(btrim((p.staged_row).status), '') IS NULL THEN 'status is empty'
                        WHEN p.status IS NULL
                        THEN 'status ' || @extschema@.reason_quote((p.staged_row).status)
                             || ' is not active, cancelled or expired'
                        WHEN p.status <> 'active' AND p.no_end
                        THEN 'end_date is empty (' || CASE p.status WHEN 'expired' THEN 'an' ELSE 'a' END
                             || ' ''' || p.status || ''' subscription needs one)'
                        WHEN p.status = 'active' AND NOT p.no_end
                        THEN 'end_date ' || @extschema@.reason_quote((p.staged_row).end_date)
                             || ' is set on an ''active'' subscription (it ends only when cancelled or expired)' END,
                   CASE WHEN p.user_id IS NOT NULL AND u.user_id IS NULL
                        THEN 'user_id ' || @extschema@.reason_quote(p.user_id) || ' is unknown' END)
               END AS reason
        FROM parsed p
        LEFT JOIN @extschema@.users u ON u.user_id = p.user_id
    ), versions AS (
        SELECT c.subscription_id, count(DISTINCT (c.user_id, c.plan, c.monthly_price, c.start_date,
                                                  c.end_date, c.status)) AS n
        FROM checked c WHERE c.reason IS NULL GROUP BY c.subscription_id
    ), judged AS (
        SELECT c.*,
               coalesce(c.reason,
                   CASE WHEN v.n > 1
                        THEN 'subscription_id ' || @extschema@.reason_quote(c.subscription_id) || ' is staged more than once with different content'
                        WHEN x.subscription_id IS NOT NULL AND
                             (x.user_id, x.plan, x.monthly_price, x.start_date, x.end_date, x.status)
                             IS DISTINCT FROM
                             (c.user_id, c.plan, c.monthly_price, c.start_date, c.end_date, c.status)
                        THEN 'subscription_id ' || @extschema@.reason_quote(c.subscription_id) || ' already exists with different content'
                   END) AS final_reason,
               x.subscription_id IS NOT NULL AS present
        FROM checked c
        LEFT JOIN versions v ON v.subscription_id = c.subscription_id
        LEFT JOIN @extschema@.subscriptions x ON x.subscription_id = c.subscription_id
    ), put_rejects AS (
        INSERT INTO @extschema@.rejected_rows (source, raw_row, reason)
        SELECT 'staging_subscriptions', to_jsonb(j.staged_row), j.final_reason
        FROM judged j WHERE j.final_reason IS NOT NULL
        RETURNING 1
    ), put_rows AS (
        INSERT INTO @extschema@.subscriptions (subscription_id, user_id, plan, monthly_price,
                                               start_date, end_date, status)
        SELECT DISTINCT j.subscription_id, j.user_id, j.plan, j.monthly_price, j.start_date,
               j.end_date, j.status
        FROM judged j WHERE j.final_reason IS NULL AND NOT j.present
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM taken),
           (SELECT count(*) FROM put_rows),
           (SELECT count(*) FROM put_rejects)
    INTO staged, loaded, rejected;
    already_present := staged - loaded - rejected;
END
$$;
