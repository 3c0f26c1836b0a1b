-- The platform surface (contract section 6): tables, columns, keys, staging tables,
-- function signatures, volatility and privileges.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(22);

SELECT columns_are('vinylops', 'playback_events',
    ARRAY['event_id', 'user_id', 'track_id', 'session_id', 'event_type', 'event_time', 'duration_ms',
          'error_code', 'device_type']);
SELECT columns_are('vinylops', 'subscriptions',
    ARRAY['subscription_id', 'user_id', 'plan', 'monthly_price', 'start_date', 'end_date', 'status']);
SELECT columns_are('vinylops', 'recommendations',
    ARRAY['user_id', 'track_id', 'recommended_at', 'algorithm', 'played']);
SELECT set_eq(
    $$SELECT table_name::text, column_name::text,
             CASE WHEN data_type = 'numeric' THEN format('numeric(%s,%s)', numeric_precision, numeric_scale)
                  ELSE data_type::text END
      FROM information_schema.columns
      WHERE table_schema = 'vinylops' AND table_name IN ('playback_events', 'subscriptions', 'recommendations')$$,
    $$VALUES ('playback_events', 'event_id', 'text'), ('playback_events', 'user_id', 'text'),
             ('playback_events', 'track_id', 'text'), ('playback_events', 'session_id', 'text'),
             ('playback_events', 'event_type', 'text'), ('playback_events', 'event_time', 'timestamp with time zone'),
             ('playback_events', 'duration_ms', 'integer'), ('playback_events', 'error_code', 'text'),
             ('playback_events', 'device_type', 'text'),
             ('subscriptions', 'subscription_id', 'text'), ('subscriptions', 'user_id', 'text'),
             ('subscriptions', 'plan', 'text'), ('subscriptions', 'monthly_price', 'numeric(10,2)'),
             ('subscriptions', 'start_date', 'date'), ('subscriptions', 'end_date', 'date'),
             ('subscriptions', 'status', 'text'),
             ('recommendations', 'user_id', 'text'), ('recommendations', 'track_id', 'text'),
             ('recommendations', 'recommended_at', 'timestamp with time zone'),
             ('recommendations', 'algorithm', 'text'), ('recommendations', 'played', 'boolean')$$,
    'the platform tables have the contract''s column types');
SELECT col_is_pk('vinylops', 'playback_events', 'event_id', 'playback_events.event_id is the primary key');
SELECT col_is_pk('vinylops', 'subscriptions', 'subscription_id', 'subscriptions.subscription_id is the primary key');
SELECT col_is_pk('vinylops', 'recommendations', ARRAY['user_id', 'track_id', 'recommended_at', 'algorithm']::name[],
                 'recommendations are keyed by (user_id, track_id, recommended_at, algorithm)');
SELECT fk_ok('vinylops', 'playback_events', 'user_id', 'vinylops', 'users', 'user_id');
SELECT fk_ok('vinylops', 'playback_events', 'track_id', 'vinylops', 'tracks', 'track_id');
SELECT fk_ok('vinylops', 'subscriptions', 'user_id', 'vinylops', 'users', 'user_id');
SELECT fk_ok('vinylops', 'recommendations', 'track_id', 'vinylops', 'tracks', 'track_id');
SELECT col_is_null('vinylops', 'playback_events', 'track_id', 'track_id may be NULL (errors before a track loads)');
-- Dumped with their data.
SELECT is((SELECT count(*)::int FROM pg_extension e, unnest(e.extconfig) c
           WHERE e.extname = 'vinylops'
             AND c IN ('vinylops.playback_events'::regclass, 'vinylops.subscriptions'::regclass,
                       'vinylops.recommendations'::regclass)), 3,
          'the platform tables are registered with pg_extension_config_dump');
-- Staging: all text, in the typed tables' column order.
SELECT is((SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, ordinal_position)
           FROM information_schema.columns
           WHERE table_schema = 'vinylops'
             AND table_name IN ('staging_playback_events', 'staging_subscriptions', 'staging_recommendations')),
          'staging_playback_events.event_id:text,staging_playback_events.user_id:text,staging_playback_events.track_id:text,'
          'staging_playback_events.session_id:text,staging_playback_events.event_type:text,staging_playback_events.event_time:text,'
          'staging_playback_events.duration_ms:text,staging_playback_events.error_code:text,staging_playback_events.device_type:text,'
          'staging_recommendations.user_id:text,staging_recommendations.track_id:text,staging_recommendations.recommended_at:text,'
          'staging_recommendations.algorithm:text,staging_recommendations.played:text,'
          'staging_subscriptions.subscription_id:text,staging_subscriptions.user_id:text,staging_subscriptions.plan:text,'
          'staging_subscriptions.monthly_price:text,staging_subscriptions.start_date:text,staging_subscriptions.end_date:text,'
          'staging_subscriptions.status:text',
          'staging tables are all text, in column order');

-- Report signatures and result columns.
SELECT is(pg_get_function_arguments('vinylops.playback_health(timestamptz, timestamptz)'::regprocedure),
          'from_time timestamp with time zone DEFAULT NULL::timestamp with time zone, to_time timestamp with time zone DEFAULT NULL::timestamp with time zone',
          'playback_health arguments');
SELECT is(pg_get_function_result('vinylops.playback_health(timestamptz, timestamptz)'::regprocedure),
          'TABLE(device_type text, plays bigint, play_hours numeric, buffer_events bigint, rebuffer_pct numeric, buffers_per_hour numeric, errors bigint, errors_per_1000_plays numeric, p50_startup_ms numeric, p95_startup_ms numeric, top_error_code text)',
          'playback_health columns');
SELECT is(pg_get_function_arguments('vinylops.subscription_kpis(text)'::regprocedure) || ' -> '
          || pg_get_function_result('vinylops.subscription_kpis(text)'::regprocedure),
          'grain text DEFAULT ''month''::text -> TABLE(period_start date, plan text, active_at_start bigint, new bigint, cancelled bigint, active_at_end bigint, churn_pct numeric, mrr numeric, revenue numeric)',
          'subscription_kpis signature');
SELECT is(pg_get_function_result('vinylops.recommendation_performance()'::regprocedure),
          'TABLE(algorithm text, recommended bigint, played bigint, play_through_pct numeric, users bigint)',
          'recommendation_performance columns');
SELECT is(pg_get_function_arguments('vinylops.platform_kpis(date)'::regprocedure) || ' -> '
          || pg_get_function_result('vinylops.platform_kpis(date)'::regprocedure),
          'as_of date DEFAULT NULL::date -> TABLE(revenue numeric, content_count bigint, subscribers bigint, new_subscribers bigint, cancellations bigint, buffer_events bigint, error_events bigint, device_distribution jsonb, plan_distribution jsonb)',
          'platform_kpis signature');
-- The reports: SQL-standard bodies, STABLE, PARALLEL SAFE, SECURITY INVOKER.
SELECT is((SELECT count(*)::int FROM pg_proc
           WHERE oid IN ('vinylops.playback_health(timestamptz, timestamptz)'::regprocedure,
                         'vinylops.subscription_kpis(text)'::regprocedure,
                         'vinylops.recommendation_performance()'::regprocedure,
                         'vinylops.platform_kpis(date)'::regprocedure)
             AND prosqlbody IS NOT NULL AND provolatile = 's' AND proparallel = 's' AND NOT prosecdef),
          4, 'the four reports are stable, parallel safe, invoker SQL-standard bodies');
-- Loading functions are for loaders only.
SELECT ok(NOT has_function_privilege('public', 'vinylops.ingest_playback_events()', 'EXECUTE')
          AND NOT has_function_privilege('public', 'vinylops.ingest_subscriptions()', 'EXECUTE')
          AND NOT has_function_privilege('public', 'vinylops.ingest_recommendations()', 'EXECUTE')
          AND NOT has_function_privilege('public', 'vinylops.platform_demo_fill(integer)', 'EXECUTE'),
          'platform loading functions are not executable by PUBLIC');
SELECT ok(has_function_privilege('vinylops_loader', 'vinylops.ingest_playback_events()', 'EXECUTE')
          AND has_table_privilege('vinylops_loader', 'vinylops.staging_subscriptions', 'INSERT')
          AND has_table_privilege('vinylops_reader', 'vinylops.recommendations', 'SELECT')
          AND NOT has_table_privilege('vinylops_reader', 'vinylops.staging_recommendations', 'INSERT'),
          'loaders stage and ingest the platform tables, readers read them');

SELECT * FROM finish();
ROLLBACK;
