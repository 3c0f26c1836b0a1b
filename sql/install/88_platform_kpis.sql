-- ---------------------------------------------------------------------------
-- Platform reports (contract section 6): recommendation performance and the
-- one-row operations dashboard.  doc/platform.md.
-- ---------------------------------------------------------------------------

-- recommendation_performance(): per algorithm, how many recommendations were played.
CREATE FUNCTION @extschema@.recommendation_performance()
RETURNS TABLE (algorithm text, recommended bigint, played bigint, play_through_pct numeric, users bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.algorithm, count(*), count(*) FILTER (WHERE r.played),
           round(100.0 * count(*) FILTER (WHERE r.played) / count(*), 1),
           count(DISTINCT r.user_id)
    FROM @extschema@.recommendations r
    GROUP BY r.algorithm
    ORDER BY r.algorithm COLLATE "C";
END;

-- platform_kpis(): the dashboard cards for the month ending at as_of (the days
-- as_of - 1 month + 1 day .. as_of; event times read in UTC).  as_of defaults
-- to the latest day in the data: the last stream, event, subscription start or
-- recommendation.
CREATE FUNCTION @extschema@.platform_kpis(as_of date DEFAULT NULL)
RETURNS TABLE (revenue numeric, content_count bigint,
               subscribers bigint, new_subscribers bigint, cancellations bigint,
               buffer_events bigint, error_events bigint, device_distribution jsonb,
               plan_distribution jsonb)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT (SELECT round(coalesce(sum(@extschema@.subscription_revenue(s.monthly_price, s.start_date,
                                                                       s.end_date, w.day_from, w.day_to)), 0), 2)
            FROM @extschema@.subscriptions s
            WHERE greatest(s.start_date, w.day_from) < least(coalesce(s.end_date, w.day_to), w.day_to)),
           (SELECT count(*) FROM @extschema@.tracks),
           (SELECT count(DISTINCT s.user_id) FROM @extschema@.subscriptions s
            WHERE greatest(s.start_date, w.day_from) < least(coalesce(s.end_date, w.day_to), w.day_to)),
           (SELECT count(DISTINCT s.user_id) FROM @extschema@.subscriptions s
            WHERE s.start_date >= w.day_from AND s.start_date < w.day_to),
           (SELECT count(*) FROM @extschema@.subscriptions s
            WHERE s.status = 'cancelled' AND s.end_date >= w.day_from AND s.end_date < w.day_to),
           e.buffer_events, e.error_events,
           (SELECT coalesce(jsonb_object_agg(d.device_type, d.pct), '{}'::jsonb)
            FROM (SELECT p.device_type, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct
                  FROM @extschema@.playback_events p
                  WHERE p.event_type = 'play' AND p.event_time >= w.t_from AND p.event_time < w.t_to
                  GROUP BY p.device_type) d),
           (SELECT coalesce(jsonb_object_agg(d.plan, d.pct), '{}'::jsonb)
            FROM (SELECT s.plan, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct
                  FROM @extschema@.subscriptions s
                  WHERE s.start_date < w.day_to AND (s.end_date IS NULL OR s.end_date >= w.day_to)
                  GROUP BY s.plan) d)
    FROM (SELECT b.day_from, b.day_to,
                 pg_catalog.timezone('UTC', b.day_from::timestamp) AS t_from,
                 pg_catalog.timezone('UTC', b.day_to::timestamp) AS t_to
          FROM (SELECT (a.d - interval '1 month')::date + 1 AS day_from, a.d + 1 AS day_to
                FROM (SELECT coalesce(as_of,
                                      greatest((SELECT max(s.stream_date) FROM @extschema@.streams s),
                                               (SELECT max(pg_catalog.timezone('UTC', p.event_time))::date
                                                FROM @extschema@.playback_events p),
                                               (SELECT max(s.start_date) FROM @extschema@.subscriptions s),
                                               (SELECT max(pg_catalog.timezone('UTC', r.recommended_at))::date
                                                FROM @extschema@.recommendations r))) AS d) a) b) w,
         LATERAL (SELECT count(*) FILTER (WHERE p.event_type = 'buffer') AS buffer_events,
                         count(*) FILTER (WHERE p.event_type = 'error') AS error_events
                  FROM @extschema@.playback_events p
                  WHERE p.event_time >= w.t_from AND p.event_time < w.t_to) e;
END;
