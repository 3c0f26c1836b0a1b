-- ---------------------------------------------------------------------------
-- Report 1, churn_risk(as_of): users who stopped streaming or rarely finish a
-- track.  Measured against as_of (default: the latest stream_date loaded), not
-- the wall clock, so the report does not drift as the data ages; only streams
-- up to as_of count, so a past as_of shows the picture as it was that day.
-- ---------------------------------------------------------------------------

-- Lists users at risk of churning, most inactive first (doc/reports.md, report 1).
CREATE FUNCTION @extschema@.churn_risk(as_of date DEFAULT NULL)
RETURNS TABLE (
    user_id                text,
    user_type              text,
    geographic_region      text,
    is_quebec_resident     boolean,
    total_streams          bigint,
    completion_rate        numeric,
    last_stream_date       date,
    days_since_last_stream integer,
    churn_risk_category    text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    -- One pass over streams: the per-user counts in one dense tally
    -- (stream_tally, doc/performance.md) and the latest stream_date, the
    -- default as_of, so that costs no second scan.  A given as_of reaches the
    -- scan as a constant bound and prunes the later months of a partitioned
    -- streams.
    WITH pass AS (
        SELECT @extschema@.stream_tally(s.user_key, s.completed, NULL, NULL, NULL, s.stream_date, NULL) AS tally,
               pg_catalog.max(s.stream_date) AS latest_date
        FROM @extschema@.streams s
        WHERE s.stream_date <= COALESCE(churn_risk.as_of, 'infinity'::date)
    ), cutoff AS (
        SELECT COALESCE(churn_risk.as_of, p.latest_date) AS day FROM pass p
    ), classified AS (
        SELECT a.key AS user_key, a.streams AS total_streams,
               -- From the counts, exact (rounded_quotient; engagement_quality).
               @extschema@.rounded_quotient(100 * a.completed, a.streams, 1) AS completion_rate,
               a.last_day AS last_stream_date,
               (SELECT c.day FROM cutoff c) - a.last_day AS days_since_last_stream
        FROM pass p, @extschema@.stream_tally_rows(p.tally) a
    ), categorised AS (
        SELECT k.*,
               CASE WHEN k.days_since_last_stream > 60 THEN 'High Risk'
                    WHEN k.days_since_last_stream > 30 THEN 'Medium Risk'
                    WHEN k.completion_rate < 50 THEN 'Low Engagement'
               END AS churn_risk_category
        FROM classified k
    )
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident,
           k.total_streams, k.completion_rate, k.last_stream_date, k.days_since_last_stream,
           k.churn_risk_category
    FROM categorised k
    JOIN @extschema@.users u ON u.user_key = k.user_key
    WHERE k.churn_risk_category IS NOT NULL
      AND @extschema@.check_as_of(churn_risk.as_of)
    ORDER BY k.days_since_last_stream DESC, k.completion_rate, u.user_id COLLATE "C";
END;

COMMENT ON FUNCTION @extschema@.churn_risk(date) IS
'Report 1: users inactive for more than 30 days before as_of (default: the latest stream_date) or completing under 50 % of their streams, with a churn risk category';
