-- The report contract (spec section 4): every report function's exact
-- signature -- argument names, types and defaults -- and its result columns,
-- names and order as the contract's table lists them (types as doc/reports.md
-- documents them), plus the attributes the contract requires.
BEGIN;
CREATE EXTENSION vinylops;
SELECT plan(96);

CREATE TEMP TABLE contract (position int, signature text, arguments text, result text);
INSERT INTO contract VALUES
 (1, 'vinylops.churn_risk(date)', 'as_of date DEFAULT NULL::date',
  'TABLE(user_id text, user_type text, geographic_region text, is_quebec_resident boolean, total_streams bigint, completion_rate numeric, last_stream_date date, days_since_last_stream integer, churn_risk_category text)'),
 (2, 'vinylops.user_lifecycle()', '',
  'TABLE(cohort_month text, user_type text, is_quebec_resident boolean, cohort_size bigint, avg_streams_per_user numeric, avg_active_days numeric, avg_duration_seconds numeric)'),
 (3, 'vinylops.engagement_quality(integer)', 'min_streams integer DEFAULT 3',
  'TABLE(user_id text, user_type text, geographic_region text, is_quebec_resident boolean, total_streams bigint, completion_rate numeric, replay_rate numeric, playlist_add_rate numeric, engagement_quality_score numeric, user_segment text)'),
 (4, 'vinylops.market_viability()', '',
  'TABLE(market text, unique_users bigint, total_streams bigint, streams_per_user numeric, avg_stream_duration numeric, completion_rate numeric, playlist_add_rate numeric, premium_users bigint, premium_penetration numeric, market_health_score numeric)'),
 (5, 'vinylops.french_content_performance()', '',
  'TABLE(language_category text, genre text, total_streams bigint, unique_listeners bigint, streams_per_listener numeric, avg_stream_duration numeric, completion_rate numeric, replay_rate numeric, playlist_add_rate numeric, content_performance_score numeric)'),
 (6, 'vinylops.quebec_cultural_engagement(integer)', 'min_streams integer DEFAULT 5',
  'TABLE(user_id text, geographic_region text, user_type text, is_quebec_resident boolean, total_streams bigint, french_streams bigint, french_content_pct numeric, quebec_affinity_score numeric, audience_segment text)'),
 (7, 'vinylops.artist_partnership_roi(numeric,numeric)', 'premium_rate numeric DEFAULT 0.004, free_rate numeric DEFAULT 0.0025',
  'TABLE(artist_name text, genre text, total_streams bigint, unique_listeners bigint, premium_streams bigint, free_streams bigint, completion_rate numeric, estimated_royalty_value numeric, streams_per_listener numeric, partnership_tier text)'),
 (8, 'vinylops.user_segment_revenue(numeric,numeric)', 'premium_rate numeric DEFAULT 0.004, free_rate numeric DEFAULT 0.0025',
  'TABLE(user_type text, user_age_group text, geographic_region text, is_quebec_resident boolean, user_count bigint, total_streams bigint, streams_per_user numeric, estimated_segment_revenue numeric, revenue_per_user numeric, pct_of_total_revenue numeric)'),
 (9, 'vinylops.feature_monetization(integer)', 'min_streams integer DEFAULT 5',
  'TABLE(playlist_user_segment text, user_type text, is_quebec_resident boolean, user_count bigint, avg_streams numeric, avg_playlist_rate numeric, avg_replay_rate numeric, premium_conversion_rate numeric)'),
 (10, 'vinylops.peak_usage()', '',
  'TABLE(hour integer, device_type text, geographic_region text, stream_count bigint, concurrent_users bigint, avg_stream_duration numeric, pct_of_device_traffic numeric, usage_period text)'),
 (11, 'vinylops.device_performance()', '',
  'TABLE(device_type text, user_type text, total_streams bigint, unique_users bigint, completion_rate numeric, skip_rate numeric, avg_stream_duration numeric, avg_listen_through_pct numeric, device_experience_score numeric, ux_priority text)'),
 (12, 'vinylops.data_quality()', '',
  'TABLE(check_name text, severity text, issue_count bigint, status text, detail text)'),
 (13, 'vinylops.quebec_expansion_summary()', '',
  'TABLE(area text, question text, figures text, outlook text, verdict text)');

-- 13 x 7 tests: exists, arguments, result columns, language, volatility, parallel safety, invoker rights.
SELECT ok(to_regprocedure(signature) IS NOT NULL, signature || ' exists')
FROM contract ORDER BY position;
SELECT is(pg_get_function_arguments(to_regprocedure(signature)), arguments,
          signature || ' takes (' || arguments || ')')
FROM contract ORDER BY position;
SELECT is(pg_get_function_result(to_regprocedure(signature)), result,
          signature || ' returns the contract''s columns in order')
FROM contract ORDER BY position;
SELECT is((SELECT l.lanname::text FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
           WHERE p.oid = to_regprocedure(signature)), 'sql',
          signature || ' is a SQL function')
FROM contract ORDER BY position;
SELECT is((SELECT p.provolatile::text FROM pg_proc p WHERE p.oid = to_regprocedure(signature)), 's',
          signature || ' is STABLE')
FROM contract ORDER BY position;
SELECT is((SELECT p.proparallel::text FROM pg_proc p WHERE p.oid = to_regprocedure(signature)), 's',
          signature || ' is PARALLEL SAFE')
FROM contract ORDER BY position;
SELECT is((SELECT p.prosecdef FROM pg_proc p WHERE p.oid = to_regprocedure(signature)), false,
          signature || ' is SECURITY INVOKER')
FROM contract ORDER BY position;

-- Nothing else of these names: no overloads a caller could hit by accident.
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'vinylops'
             AND p.proname IN (SELECT split_part(substr(signature, 10), '(', 1) FROM contract)),
          13, 'each report name has exactly one function');

-- The pgTAP view of the same, for three representative signatures.
SELECT function_returns('vinylops', 'churn_risk', ARRAY['date'], 'setof record');
SELECT volatility_is('vinylops', 'data_quality', ARRAY[]::text[], 'stable');
SELECT isnt_definer('vinylops', 'quebec_expansion_summary', ARRAY[]::text[]);

-- The argument checks are callable and say true for good arguments.
SELECT ok(vinylops.check_min_streams(0) AND vinylops.check_rate('premium_rate', 0)
          AND vinylops.check_as_of(NULL) AND vinylops.check_as_of(current_date),
          'argument checks accept 0, a zero rate, no as_of and today');

SELECT * FROM finish();
ROLLBACK;
