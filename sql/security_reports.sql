-- Reports under hostile conditions: row-level security holds in every report
-- (all functions are SECURITY INVOKER), and look-alike functions and operators
-- placed ahead of pg_catalog in the caller's search_path change nothing.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
DROP ROLE IF EXISTS regress_vinylops_analyst;
RESET client_min_messages;
CREATE EXTENSION vinylops;
SELECT count(*) FROM vinylops.generate_demo_data(3000, 5);

-- Every report, called with its defaults, as one md5 per report.
CREATE FUNCTION pg_temp.report_fingerprints()
RETURNS TABLE (report text, row_count bigint, fingerprint text)
LANGUAGE plpgsql AS $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['churn_risk', 'user_lifecycle', 'engagement_quality', 'market_viability',
                             'french_content_performance', 'quebec_cultural_engagement',
                             'artist_partnership_roi', 'user_segment_revenue', 'feature_monetization',
                             'peak_usage', 'device_performance', 'data_quality',
                             'quebec_expansion_summary', 'playback_health', 'subscription_kpis',
                             'recommendation_performance', 'platform_kpis'] LOOP
        report := f;
        EXECUTE format('SELECT count(*), md5(coalesce(string_agg(r::text, %L), %L)) FROM vinylops.%I() r',
                       '|', '', f)
            INTO row_count, fingerprint;
        RETURN NEXT;
    END LOOP;
END
$$;
CREATE TEMP TABLE honest AS SELECT * FROM pg_temp.report_fingerprints();
SELECT count(*) AS reports, bool_and(row_count > 0) AS all_have_rows FROM honest;

-- 1. Look-alikes in public, and public searched before pg_catalog.
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'hijacked' $$;
CREATE FUNCTION public.round(numeric, integer) RETURNS numeric LANGUAGE sql AS $$ SELECT 0::numeric $$;
CREATE FUNCTION public.round(double precision) RETURNS double precision LANGUAGE sql AS $$ SELECT 0::float8 $$;
CREATE FUNCTION public.count(anyelement) RETURNS bigint LANGUAGE sql AS $$ SELECT 0::bigint $$;
CREATE FUNCTION public.always_true(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.always_true);
CREATE FUNCTION public.always_true_bool(boolean, boolean) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
CREATE OPERATOR public.= (LEFTARG = boolean, RIGHTARG = boolean, FUNCTION = public.always_true_bool);
CREATE TABLE public.streams (LIKE vinylops.streams);
CREATE TABLE public.users (LIKE vinylops.users);
SET search_path = public, pg_catalog, vinylops;
SELECT 'a'::text = 'b'::text AS lookalike_operator_active, lower('X') AS lookalike_function_active;
CREATE TEMP TABLE hostile AS SELECT * FROM pg_temp.report_fingerprints();
RESET search_path;   -- compare with the real operators
SELECT h.report, p.row_count = h.row_count AND p.fingerprint = h.fingerprint AS same_rows
FROM honest h JOIN hostile p ON p.report = h.report
ORDER BY h.report COLLATE "C";
DROP OPERATOR public.= (text, text);
DROP OPERATOR public.= (boolean, boolean);
DROP FUNCTION public.always_true(text, text), public.always_true_bool(boolean, boolean),
              public.lower(text), public.round(numeric, integer), public.round(double precision),
              public.count(anyelement);
DROP TABLE public.streams, public.users;

-- 2. Row-level security: a policy hides Montreal users (and their streams) from an analyst.
CREATE ROLE regress_vinylops_analyst IN ROLE vinylops_reader;
ALTER TABLE vinylops.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE vinylops.streams ENABLE ROW LEVEL SECURITY;
CREATE POLICY hide_montreal ON vinylops.users FOR SELECT TO regress_vinylops_analyst
    USING (geographic_region IS DISTINCT FROM 'Montreal');
CREATE POLICY hide_montreal_streams ON vinylops.streams FOR SELECT TO regress_vinylops_analyst
    USING (user_id IN (SELECT u.user_id FROM vinylops.users u));
SET ROLE regress_vinylops_analyst;
SELECT count(*) AS visible_montreal_users FROM vinylops.users WHERE geographic_region = 'Montreal';
-- No report row names Montreal, Quebec or a Quebec resident; every report still has rows.
CREATE TEMP TABLE analyst_rows (report text, r jsonb);
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['churn_risk', 'user_lifecycle', 'engagement_quality', 'market_viability',
                             'french_content_performance', 'quebec_cultural_engagement',
                             'artist_partnership_roi', 'user_segment_revenue', 'feature_monetization',
                             'peak_usage', 'device_performance', 'data_quality'] LOOP
        EXECUTE format('INSERT INTO analyst_rows SELECT %L, to_jsonb(r) FROM vinylops.%I() r', f, f);
    END LOOP;
END
$$;
SELECT report, count(*) > 0 AS has_rows,
       count(*) FILTER (WHERE r ->> 'geographic_region' = 'Montreal' OR r ->> 'market' ~ 'Montreal'
                              OR r ->> 'is_quebec_resident' = 'true') AS montreal_rows
FROM analyst_rows GROUP BY report ORDER BY report COLLATE "C";
RESET ROLE;
-- The owner, whom the policies do not name, still sees Montreal.
SELECT count(*) > 0 AS owner_sees_montreal FROM vinylops.market_viability() WHERE market ~ 'Montreal';

-- 2b. A policy on users alone (streams unfiltered): french_content_performance
-- never needed users, so the analyst sees the owner's rows, every stream and
-- listener counted (it must not count listeners through the filtered join).
ALTER TABLE vinylops.streams DISABLE ROW LEVEL SECURITY;
CREATE TEMP TABLE owner_french AS SELECT * FROM vinylops.french_content_performance();
SET ROLE regress_vinylops_analyst;
SELECT count(*) AS visible_montreal_users FROM vinylops.users WHERE geographic_region = 'Montreal';
CREATE TEMP TABLE analyst_french AS SELECT * FROM vinylops.french_content_performance();
RESET ROLE;
SELECT (SELECT count(*) FROM owner_french) AS owner_rows,
       (SELECT count(*) FROM (SELECT * FROM owner_french EXCEPT SELECT * FROM analyst_french) d) AS missing,
       (SELECT count(*) FROM (SELECT * FROM analyst_french EXCEPT SELECT * FROM owner_french) d) AS extra;
DROP TABLE owner_french, analyst_french;

DROP TABLE analyst_rows, honest, hostile;
DROP EXTENSION vinylops CASCADE;
DROP ROLE regress_vinylops_analyst;
