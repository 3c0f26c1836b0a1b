-- ---------------------------------------------------------------------------
-- Platform reports (contract section 6): subscription KPIs per period and plan.
-- A subscription is active on the days start_date <= d < end_date (end_date,
-- when set, is the first day without the plan).  doc/platform.md.
-- ---------------------------------------------------------------------------

-- The length of one period of a grain ('day', 'week', 'month', 'quarter', 'year'); raises otherwise.
CREATE FUNCTION @extschema@.platform_grain_step(grain text) RETURNS interval
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    CASE grain
        WHEN 'day' THEN RETURN interval '1 day';
        WHEN 'week' THEN RETURN interval '1 week';
        WHEN 'month' THEN RETURN interval '1 month';
        WHEN 'quarter' THEN RETURN interval '3 months';
        WHEN 'year' THEN RETURN interval '1 year';
        ELSE
            RAISE EXCEPTION 'grain must be day, week, month, quarter or year'
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('grain is %s.', coalesce(quote_literal(grain), 'NULL'));
    END CASE;
END
$$;

-- Revenue of a subscription over [from_day, to_day): the monthly price prorated by
-- the days it is active there, at a daily rate of monthly_price x 12 / 365.
CREATE FUNCTION @extschema@.subscription_revenue(monthly_price numeric, start_date date, end_date date,
                                                 from_day date, to_day date) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT monthly_price * 12 / 365
           * greatest(least(coalesce(end_date, to_day), to_day) - greatest(start_date, from_day), 0);
END;

-- subscription_kpis(): per period of the grain (from the first start to the last
-- start or end in the ledger) and plan with any subscription active in it.
CREATE FUNCTION @extschema@.subscription_kpis(grain text DEFAULT 'month')
RETURNS TABLE (period_start date, plan text, active_at_start bigint, new bigint, cancelled bigint,
               active_at_end bigint, churn_pct numeric, mrr numeric, revenue numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT k.ps, k.plan, k.active_at_start, k.new, k.cancelled, k.active_at_end,
           round(100.0 * k.cancelled / nullif(k.active_at_start, 0), 1),
           round(k.mrr, 2),
           round(k.revenue, 2)
    FROM (SELECT p.ps, s.plan,
                 count(*) FILTER (WHERE s.start_date < p.ps
                                    AND (s.end_date IS NULL OR s.end_date >= p.ps)) AS active_at_start,
                 count(*) FILTER (WHERE s.start_date >= p.ps) AS new,
                 count(*) FILTER (WHERE s.status = 'cancelled' AND s.end_date < p.pe) AS cancelled,
                 count(*) FILTER (WHERE s.end_date IS NULL OR s.end_date >= p.pe) AS active_at_end,
                 coalesce(sum(s.monthly_price) FILTER (WHERE s.end_date IS NULL OR s.end_date >= p.pe), 0) AS mrr,
                 sum(@extschema@.subscription_revenue(s.monthly_price, s.start_date, s.end_date,
                                                      p.ps, p.pe)) AS revenue
          FROM (SELECT d::date AS ps, (d + g.step)::date AS pe
                FROM (SELECT @extschema@.platform_grain_step(grain) AS step) g,
                     (SELECT min(x.start_date) AS first_day,
                             max(greatest(x.start_date, x.end_date)) AS last_day
                      FROM @extschema@.subscriptions x) b,
                     pg_catalog.generate_series(pg_catalog.date_trunc(grain, b.first_day::timestamp),
                                                pg_catalog.date_trunc(grain, b.last_day::timestamp),
                                                g.step) AS d) p
          JOIN @extschema@.subscriptions s
            ON s.start_date < p.pe AND (s.end_date IS NULL OR s.end_date >= p.ps)
          GROUP BY p.ps, s.plan) k
    ORDER BY k.ps, k.plan COLLATE "C";
END;
