-- The twelve reports and the Quebec summary on the reference data set
-- (../shared/data/vinyl-ops-2024).  Every report is checked row by row against
-- a second formulation written here from the contract's text (spec section 4)
-- as an analyst would write it: one query joining streams to users and tracks,
-- with count(*) FILTER for the rates and row_number() for the contract's order.
-- The function's rows are taken WITH ORDINALITY, so the comparison (EXCEPT ALL
-- both ways; both counts must be 0) checks the order as well as every value.
-- Where the data is absent the test reports itself skipped (expected/reports_reference_1.out).
\getenv vinylops_data VINYLOPS_DATA
\if :{?vinylops_data}
\else
\echo 'SKIPPED: reference data not found (set VINYLOPS_DATA to a copy of shared/data)'
\quit
\endif
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

\copy vinylops.staging_users FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/users_table.csv"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_tracks FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/tracks_table.csv"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_streams FROM PROGRAM 'cat "$VINYLOPS_DATA/vinyl-ops-2024/streams_table.csv"' WITH (FORMAT csv, HEADER)
SELECT source, loaded, rejected FROM vinylops.ingest();

-- The data's last day, which churn_risk() measures against by default.
SELECT max(stream_date) AS last_stream_date FROM vinylops.streams;

-- ---------------------------------------------------------------------------
-- 1. churn_risk(): users with streams, completion rate, days since their last
-- stream before as_of (default: the data's last day, 2024-06-30); > 60 days
-- High Risk, > 30 Medium Risk, completion < 50 % Low Engagement, others left out.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.churn_risk() WITH ORDINALITY
), per_user AS (
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident,
           count(s.stream_id) AS n,
           round(count(s.stream_id) FILTER (WHERE s.completed) * 100.0 / count(s.stream_id), 1) AS completion,
           max(s.stream_date) AS last_day,
           DATE '2024-06-30' - max(s.stream_date) AS idle_days
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident
), r AS (
    SELECT user_id, user_type, geographic_region, is_quebec_resident, n, completion, last_day, idle_days,
           CASE WHEN idle_days > 60 THEN 'High Risk' WHEN idle_days > 30 THEN 'Medium Risk'
                ELSE 'Low Engagement' END,
           row_number() OVER (ORDER BY idle_days DESC, completion, user_id COLLATE "C")
    FROM per_user
    WHERE idle_days > 30 OR completion < 50
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.churn_risk() LIMIT 5;
SELECT churn_risk_category, count(*) FROM vinylops.churn_risk()
GROUP BY 1 ORDER BY churn_risk_category COLLATE "C";

-- An earlier as_of sees only the streams up to that day.
WITH f AS (
    SELECT * FROM vinylops.churn_risk('2024-03-31') WITH ORDINALITY
), per_user AS (
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident,
           count(s.stream_id) AS n,
           round(count(s.stream_id) FILTER (WHERE s.completed) * 100.0 / count(s.stream_id), 1) AS completion,
           max(s.stream_date) AS last_day,
           DATE '2024-03-31' - max(s.stream_date) AS idle_days
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    WHERE s.stream_date <= DATE '2024-03-31'
    GROUP BY u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident
), r AS (
    SELECT user_id, user_type, geographic_region, is_quebec_resident, n, completion, last_day, idle_days,
           CASE WHEN idle_days > 60 THEN 'High Risk' WHEN idle_days > 30 THEN 'Medium Risk'
                ELSE 'Low Engagement' END,
           row_number() OVER (ORDER BY idle_days DESC, completion, user_id COLLATE "C")
    FROM per_user
    WHERE idle_days > 30 OR completion < 50
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows,
       (SELECT max(last_stream_date) FROM f) AS latest_stream_seen;

-- ---------------------------------------------------------------------------
-- 2. user_lifecycle(): cohort = month of the first stream; per user streams,
-- distinct days and mean duration (whole seconds, as the original rounded it),
-- averaged per cohort, user type and Quebec flag.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.user_lifecycle() WITH ORDINALITY
), firsts AS (
    SELECT DISTINCT ON (s.user_id) s.user_id, s.stream_date AS first_day
    FROM vinylops.streams s ORDER BY s.user_id, s.stream_date
), per_user AS (
    SELECT s.user_id, count(*) AS n, count(DISTINCT s.stream_date) AS days,
           round(sum(s.stream_duration_sec)::numeric / count(*)) AS mean_sec
    FROM vinylops.streams s GROUP BY s.user_id
), r AS (
    SELECT to_char(date_trunc('month', fi.first_day), 'YYYY-MM') AS cohort, u.user_type, u.is_quebec_resident,
           count(*) AS size,
           round(sum(p.n)::numeric / count(*), 1),
           round(sum(p.days)::numeric / count(*), 1),
           round(sum(p.mean_sec) / count(*)),
           row_number() OVER (ORDER BY to_char(date_trunc('month', fi.first_day), 'YYYY-MM') COLLATE "C",
                                       u.user_type COLLATE "C", u.is_quebec_resident)
    FROM firsts fi
    JOIN per_user p ON p.user_id = fi.user_id
    JOIN vinylops.users u ON u.user_id = fi.user_id
    GROUP BY 1, u.user_type, u.is_quebec_resident
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows,
       (SELECT sum(cohort_size) FROM f) AS users_in_cohorts;
SELECT * FROM vinylops.user_lifecycle() LIMIT 5;

-- ---------------------------------------------------------------------------
-- 3. engagement_quality(min_streams): users with >= min_streams streams;
-- score = 0.4 completion + 0.3 replay + 0.3 playlist (from the rounded rates);
-- >= 40 Power, >= 25 Engaged, >= 15 Casual, else At-Risk.  Default 3, and 5.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.engagement_quality() WITH ORDINALITY
), rates AS (
    SELECT u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident, count(*) AS n,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS c,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS rp,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS pl
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.geographic_region, u.is_quebec_resident
    HAVING count(*) >= 3
), r AS (
    SELECT user_id, user_type, geographic_region, is_quebec_resident, n, c, rp, pl,
           round(c * 0.4 + rp * 0.3 + pl * 0.3, 1) AS score,
           CASE WHEN round(c * 0.4 + rp * 0.3 + pl * 0.3, 1) >= 40 THEN 'Power User'
                WHEN round(c * 0.4 + rp * 0.3 + pl * 0.3, 1) >= 25 THEN 'Engaged User'
                WHEN round(c * 0.4 + rp * 0.3 + pl * 0.3, 1) >= 15 THEN 'Casual User'
                ELSE 'At-Risk User' END,
           row_number() OVER (ORDER BY round(c * 0.4 + rp * 0.3 + pl * 0.3, 1) DESC, user_id COLLATE "C")
    FROM rates
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.engagement_quality() LIMIT 5;
SELECT user_segment, count(*) FROM vinylops.engagement_quality()
GROUP BY 1 ORDER BY user_segment COLLATE "C";
-- min_streams = 5: the users with at least five streams, counted directly.
SELECT (SELECT count(*) FROM vinylops.engagement_quality(5)) AS rows,
       (SELECT count(*) FROM (SELECT user_id FROM vinylops.streams GROUP BY user_id
                              HAVING count(*) >= 5) x) AS users_with_5_streams;

-- ---------------------------------------------------------------------------
-- 4. market_viability(): market = 'Quebec (Montreal)' for residents, else the
-- region; health = 0.4 completion + 0.3 playlist + 0.3 premium penetration
-- (Premium share of the market's users who streamed).
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.market_viability() WITH ORDINALITY
), m AS (
    SELECT CASE WHEN u.is_quebec_resident THEN 'Quebec (Montreal)' ELSE u.geographic_region END AS market,
           count(DISTINCT u.user_id) AS users, count(*) AS n,
           round(count(*) * 1.0 / count(DISTINCT u.user_id), 1) AS per_user,
           round(sum(s.stream_duration_sec)::numeric / count(*)) AS dur,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS c,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS pl,
           count(DISTINCT CASE WHEN u.user_type = 'Premium' THEN u.user_id END) AS premium,
           round(count(DISTINCT CASE WHEN u.user_type = 'Premium' THEN u.user_id END) * 100.0
                 / count(DISTINCT u.user_id), 1) AS penetration
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY 1
), r AS (
    SELECT market, users, n, per_user, dur, c, pl, premium, penetration,
           round(c * 0.4 + pl * 0.3 + penetration * 0.3, 1),
           row_number() OVER (ORDER BY round(c * 0.4 + pl * 0.3 + penetration * 0.3, 1) DESC, market COLLATE "C")
    FROM m
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.market_viability() LIMIT 5;

-- ---------------------------------------------------------------------------
-- 5. french_content_performance(): per language x genre; score = 0.35
-- completion + 0.35 replay + 0.30 playlist; by genre, French first.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.french_content_performance() WITH ORDINALITY
), g AS (
    SELECT CASE WHEN t.is_french_language THEN 'French' ELSE 'Non-French' END AS lang, t.genre,
           count(*) AS n, count(DISTINCT s.user_id) AS listeners,
           round(count(*) * 1.0 / count(DISTINCT s.user_id), 1) AS per_listener,
           round(sum(s.stream_duration_sec)::numeric / count(*)) AS dur,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS c,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS rp,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS pl
    FROM vinylops.streams s JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY 1, 2
), r AS (
    SELECT lang, genre, n, listeners, per_listener, dur, c, rp, pl,
           round(c * 0.35 + rp * 0.35 + pl * 0.30, 1),
           row_number() OVER (ORDER BY genre COLLATE "C", lang COLLATE "C")
    FROM g
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.french_content_performance() LIMIT 5;

-- The data set's headline fact, from the report itself: French tracks 77.3 %
-- completion and 19.9 % replay against 76.5 % and 17.8 % (data/README.md).
-- The report shows rounded per-genre rates; each genre has fewer than 1,000
-- streams, so rate x streams / 100 rounds back to the exact count (the
-- rounding error is at most 0.05 x streams / 100 < 0.5), and the counts add up
-- across genres.
SELECT language_category,
       sum(total_streams) AS streams,
       round(sum(round(completion_rate * total_streams / 100)) * 100.0 / sum(total_streams), 1) AS completion_rate,
       round(sum(round(replay_rate * total_streams / 100)) * 100.0 / sum(total_streams), 1) AS replay_rate,
       bool_and(total_streams < 1000) AS counts_recoverable
FROM vinylops.french_content_performance()
GROUP BY language_category ORDER BY language_category COLLATE "C";

-- ---------------------------------------------------------------------------
-- 6. quebec_cultural_engagement(min_streams): users with >= min_streams
-- (default 5); French share; affinity = 60 if resident + 0.4 French %.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.quebec_cultural_engagement() WITH ORDINALITY
), p AS (
    SELECT u.user_id, u.geographic_region, u.user_type, u.is_quebec_resident, count(*) AS n,
           count(*) FILTER (WHERE t.is_french_language) AS fr,
           round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) AS fr_pct
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY u.user_id, u.geographic_region, u.user_type, u.is_quebec_resident
    HAVING count(*) >= 5
), r AS (
    SELECT user_id, geographic_region, user_type, is_quebec_resident, n, fr, fr_pct,
           round(fr_pct * 0.4 + CASE WHEN is_quebec_resident THEN 60 ELSE 0 END, 1),
           CASE WHEN is_quebec_resident THEN
                    CASE WHEN fr_pct >= 30 THEN 'Core Quebec Audience'
                         WHEN fr_pct >= 15 THEN 'Quebec Resident - Moderate French'
                         ELSE 'Quebec Resident - Low French' END
                WHEN fr_pct >= 25 THEN 'Non-Quebec Francophile'
                ELSE 'General Audience' END,
           row_number() OVER (ORDER BY round(fr_pct * 0.4 + CASE WHEN is_quebec_resident THEN 60 ELSE 0 END, 1) DESC,
                                       user_id COLLATE "C")
    FROM p
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.quebec_cultural_engagement() LIMIT 5;
-- With min_streams = 2 more users qualify; checked the same way.
WITH f AS (
    SELECT user_id, french_streams, french_content_pct, quebec_affinity_score, audience_segment
    FROM vinylops.quebec_cultural_engagement(2)
), r AS (
    SELECT u.user_id, count(*) FILTER (WHERE t.is_french_language),
           round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) AS fr_pct,
           round(round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) * 0.4
                 + CASE WHEN u.is_quebec_resident THEN 60 ELSE 0 END, 1),
           CASE WHEN u.is_quebec_resident THEN
                    CASE WHEN round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) >= 30 THEN 'Core Quebec Audience'
                         WHEN round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) >= 15 THEN 'Quebec Resident - Moderate French'
                         ELSE 'Quebec Resident - Low French' END
                WHEN round(count(*) FILTER (WHERE t.is_french_language) * 100.0 / count(*), 1) >= 25 THEN 'Non-Quebec Francophile'
                ELSE 'General Audience' END
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY u.user_id, u.is_quebec_resident
    HAVING count(*) >= 2
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT audience_segment, count(*) FROM vinylops.quebec_cultural_engagement(2)
GROUP BY 1 ORDER BY audience_segment COLLATE "C";

-- ---------------------------------------------------------------------------
-- 7. artist_partnership_roi(premium_rate, free_rate): per artist x genre;
-- royalty = premium streams x premium_rate + free streams x free_rate
-- (cents); tiers at 10 / 5 / 2 dollars.  Default rates; then two pairs of
-- higher rates, which between them reach every tier (artists have 31 to 114
-- streams), passed through LATERAL so the rates are columns, not constants.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.artist_partnership_roi() WITH ORDINALITY
), a AS (
    SELECT t.artist_name, t.genre, count(*) AS n, count(DISTINCT s.user_id) AS listeners,
           count(*) FILTER (WHERE u.user_type = 'Premium') AS premium,
           count(*) FILTER (WHERE u.user_type = 'Free') AS free,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS c,
           round(0.004 * count(*) FILTER (WHERE u.user_type = 'Premium')
                 + 0.0025 * count(*) FILTER (WHERE u.user_type = 'Free'), 2) AS royalty,
           round(count(*) * 1.0 / count(DISTINCT s.user_id), 1) AS per_listener
    FROM vinylops.streams s
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY t.artist_name, t.genre
), r AS (
    SELECT artist_name, genre, n, listeners, premium, free, c, royalty, per_listener,
           CASE WHEN royalty >= 10 THEN 'Tier 1 - High Value' WHEN royalty >= 5 THEN 'Tier 2 - Medium Value'
                WHEN royalty >= 2 THEN 'Tier 3 - Growing' ELSE 'Tier 4 - Emerging' END,
           row_number() OVER (ORDER BY royalty DESC, artist_name COLLATE "C", genre COLLATE "C")
    FROM a
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.artist_partnership_roi() LIMIT 5;

WITH rates (premium_rate, free_rate) AS (
    VALUES (0.12, 0.06), (0.08, 0.04)
), f AS (
    SELECT x.premium_rate, x.free_rate, a.artist_name, a.genre, a.estimated_royalty_value, a.partnership_tier
    FROM rates x, LATERAL vinylops.artist_partnership_roi(x.premium_rate, x.free_rate) a
), v AS (
    SELECT x.premium_rate, x.free_rate, t.artist_name, t.genre,
           round(x.premium_rate * count(*) FILTER (WHERE u.user_type = 'Premium')
                 + x.free_rate * count(*) FILTER (WHERE u.user_type = 'Free'), 2) AS royalty
    FROM rates x
    CROSS JOIN vinylops.streams s
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY x.premium_rate, x.free_rate, t.artist_name, t.genre
), r AS (
    SELECT premium_rate, free_rate, artist_name, genre, royalty,
           CASE WHEN royalty >= 10 THEN 'Tier 1 - High Value' WHEN royalty >= 5 THEN 'Tier 2 - Medium Value'
                WHEN royalty >= 2 THEN 'Tier 3 - Growing' ELSE 'Tier 4 - Emerging' END
    FROM v
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT premium_rate, free_rate, partnership_tier, count(*)
FROM (VALUES (0.12, 0.06), (0.08, 0.04)) x (premium_rate, free_rate),
     LATERAL vinylops.artist_partnership_roi(x.premium_rate, x.free_rate)
GROUP BY 1, 2, 3 ORDER BY 1 DESC, partnership_tier COLLATE "C";

-- ---------------------------------------------------------------------------
-- 8. user_segment_revenue(premium_rate, free_rate): revenue = streams x the
-- user type's rate (cents); per-user revenue and share of the total from the
-- rounded revenue shown, as the original did.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.user_segment_revenue() WITH ORDINALITY
), seg AS (
    SELECT u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident,
           count(DISTINCT u.user_id) AS users, count(*) AS n,
           round(count(*) * 1.0 / count(DISTINCT u.user_id), 1) AS per_user,
           round(count(*) * CASE u.user_type WHEN 'Premium' THEN 0.004 ELSE 0.0025 END, 2) AS revenue
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_type, u.user_age_group, u.geographic_region, u.is_quebec_resident
), r AS (
    SELECT user_type, user_age_group, geographic_region, is_quebec_resident, users, n, per_user, revenue,
           round(revenue / users, 2),
           round(revenue * 100.0 / (SELECT sum(revenue) FROM seg), 1),
           row_number() OVER (ORDER BY revenue DESC, user_type COLLATE "C", user_age_group COLLATE "C",
                                       geographic_region COLLATE "C", is_quebec_resident)
    FROM seg
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows,
       (SELECT sum(estimated_segment_revenue) FROM f) AS total_revenue;
SELECT * FROM vinylops.user_segment_revenue() LIMIT 5;
-- Other rates scale the revenue: at 1 and 0 dollars a segment's revenue is its Premium streams.
SELECT bool_and(estimated_segment_revenue = CASE WHEN user_type = 'Premium' THEN total_streams ELSE 0 END)
           AS revenue_follows_rates,
       sum(pct_of_total_revenue) FILTER (WHERE user_type = 'Free') AS free_share
FROM vinylops.user_segment_revenue(1, 0);

-- ---------------------------------------------------------------------------
-- 9. feature_monetization(min_streams): users with >= min_streams, bucketed
-- by their (rounded) playlist-add rate x user type x Quebec flag; averages of
-- the per-user figures; Premium share of the bucket.  Default 5, and 3.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.feature_monetization() WITH ORDINALITY
), pu AS (
    SELECT u.user_id, u.user_type, u.is_quebec_resident, count(*) AS n,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS pl,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS rp
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.is_quebec_resident
    HAVING count(*) >= 5
), b AS (
    SELECT pu.*, CASE WHEN pl >= 20 THEN 'High Playlist User' WHEN pl >= 10 THEN 'Medium Playlist User'
                      WHEN pl > 0 THEN 'Light Playlist User' ELSE 'Non-Playlist User' END AS bucket
    FROM pu
), r AS (
    SELECT bucket, user_type, is_quebec_resident, count(*),
           round(sum(n)::numeric / count(*), 1), round(sum(pl) / count(*), 1), round(sum(rp) / count(*), 1),
           round(count(*) FILTER (WHERE user_type = 'Premium') * 100.0 / count(*), 1),
           row_number() OVER (ORDER BY array_position(ARRAY['High Playlist User', 'Medium Playlist User',
                                                            'Light Playlist User', 'Non-Playlist User'], bucket),
                                       user_type COLLATE "C", is_quebec_resident)
    FROM b GROUP BY bucket, user_type, is_quebec_resident
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.feature_monetization() LIMIT 5;

WITH f AS (
    SELECT * FROM vinylops.feature_monetization(3) WITH ORDINALITY
), pu AS (
    SELECT u.user_id, u.user_type, u.is_quebec_resident, count(*) AS n,
           round(count(*) FILTER (WHERE s.added_to_playlist) * 100.0 / count(*), 1) AS pl,
           round(count(*) FILTER (WHERE s.replayed) * 100.0 / count(*), 1) AS rp
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY u.user_id, u.user_type, u.is_quebec_resident
    HAVING count(*) >= 3
), b AS (
    SELECT pu.*, CASE WHEN pl >= 20 THEN 'High Playlist User' WHEN pl >= 10 THEN 'Medium Playlist User'
                      WHEN pl > 0 THEN 'Light Playlist User' ELSE 'Non-Playlist User' END AS bucket
    FROM pu
), r AS (
    SELECT bucket, user_type, is_quebec_resident, count(*),
           round(sum(n)::numeric / count(*), 1), round(sum(pl) / count(*), 1), round(sum(rp) / count(*), 1),
           round(count(*) FILTER (WHERE user_type = 'Premium') * 100.0 / count(*), 1),
           row_number() OVER (ORDER BY array_position(ARRAY['High Playlist User', 'Medium Playlist User',
                                                            'Light Playlist User', 'Non-Playlist User'], bucket),
                                       user_type COLLATE "C", is_quebec_resident)
    FROM b GROUP BY bucket, user_type, is_quebec_resident
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows,
       (SELECT sum(user_count) FROM f) AS users;

-- ---------------------------------------------------------------------------
-- 10. peak_usage(): per hour x device x region; distinct users; share of the
-- device's streams; 18-22 Peak Evening, 12-14 Lunch Rush, 6-9 Morning Commute,
-- 23 and 0-5 Late Night, else Off-Peak.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.peak_usage() WITH ORDINALITY
), cell AS (
    SELECT s.hour_of_day::int AS hour, s.device_type, u.geographic_region,
           count(*) AS n, count(DISTINCT s.user_id) AS users,
           round(sum(s.stream_duration_sec)::numeric / count(*)) AS dur
    FROM vinylops.streams s JOIN vinylops.users u ON u.user_id = s.user_id
    GROUP BY 1, 2, 3
), device AS (
    SELECT s.device_type, count(*) AS n FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id GROUP BY 1
), r AS (
    SELECT c.hour, c.device_type, c.geographic_region, c.n, c.users, c.dur,
           round(c.n * 100.0 / d.n, 1),
           CASE WHEN c.hour IN (18, 19, 20, 21, 22) THEN 'Peak Evening'
                WHEN c.hour IN (12, 13, 14) THEN 'Lunch Rush'
                WHEN c.hour IN (6, 7, 8, 9) THEN 'Morning Commute'
                WHEN c.hour IN (23, 0, 1, 2, 3, 4, 5) THEN 'Late Night'
                ELSE 'Off-Peak' END,
           row_number() OVER (ORDER BY c.n DESC, c.hour, c.device_type COLLATE "C", c.geographic_region COLLATE "C")
    FROM cell c JOIN device d ON d.device_type = c.device_type
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.peak_usage() LIMIT 5;
-- Every period is reached, Late Night included (hours 23 and 0-5).
SELECT usage_period, sum(stream_count) AS streams, min(hour) AS min_hour, max(hour) AS max_hour
FROM vinylops.peak_usage() GROUP BY 1 ORDER BY usage_period COLLATE "C";

-- ---------------------------------------------------------------------------
-- 11. device_performance(): per device x user type; listen-through = 100 x
-- mean stream duration / mean track duration; score = 0.5 completion + 0.3
-- (100 - skip) + 0.2 listen-through; priority by skip, completion, listen-through.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT * FROM vinylops.device_performance() WITH ORDINALITY
), d AS (
    SELECT s.device_type, u.user_type, count(*) AS n, count(DISTINCT s.user_id) AS users,
           round(count(*) FILTER (WHERE s.completed) * 100.0 / count(*), 1) AS c,
           round(count(*) FILTER (WHERE s.skipped) * 100.0 / count(*), 1) AS sk,
           round(sum(s.stream_duration_sec)::numeric / count(*)) AS dur,
           round((sum(s.stream_duration_sec)::numeric / count(*))
                 / (sum(t.track_duration_sec)::numeric / count(*)) * 100, 1) AS lt
    FROM vinylops.streams s
    JOIN vinylops.users u ON u.user_id = s.user_id
    JOIN vinylops.tracks t ON t.track_id = s.track_id
    GROUP BY 1, 2
), r AS (
    SELECT device_type, user_type, n, users, c, sk, dur, lt,
           round(c * 0.5 + (100 - sk) * 0.3 + lt * 0.2, 1),
           CASE WHEN sk > 50 THEN 'Critical - High Skip Rate'
                WHEN c < 60 THEN 'Needs Improvement - Low Completion'
                WHEN lt < 70 THEN 'Monitor - Short Listen Time'
                ELSE 'Healthy Performance' END,
           row_number() OVER (ORDER BY round(c * 0.5 + (100 - sk) * 0.3 + lt * 0.2, 1),
                                       device_type COLLATE "C", user_type COLLATE "C")
    FROM d
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.device_performance() LIMIT 5;

-- ---------------------------------------------------------------------------
-- 12. data_quality(): each check counted here on its own, with anti-joins.
-- The data set's known flaws: 82 streams longer than their track, one
-- stream_id shared by two streams, no orphans (data/README.md).  It has no
-- platform rows, so the five platform checks count 0 and pass.
-- ---------------------------------------------------------------------------
WITH f AS (
    SELECT check_name, severity, issue_count, status, ordinality FROM vinylops.data_quality() WITH ORDINALITY
), counts (check_name, severity, issue_count) AS (
    VALUES ('Streams without a user', 'Critical',
            (SELECT count(*) FROM vinylops.streams s
             WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = s.user_id))),
           ('Streams without a track', 'Critical',
            (SELECT count(*) FROM vinylops.streams s
             WHERE NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = s.track_id))),
           ('Streams longer than their track', 'High',
            (SELECT count(*) FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
             WHERE s.stream_duration_sec > t.track_duration_sec)),
           ('Streams both completed and skipped', 'High',
            (SELECT count(*) FROM vinylops.streams WHERE completed AND skipped)),
           ('Duplicate stream_id', 'High',
            (SELECT count(DISTINCT a.stream_id) FROM vinylops.streams a JOIN vinylops.streams b
               ON a.stream_id = b.stream_id AND a.stream_key < b.stream_key)),
           ('Zero-duration streams', 'Medium',
            (SELECT count(*) FROM vinylops.streams WHERE stream_duration_sec = 0)),
           ('hour_of_day disagrees with stream_time', 'Medium',
            (SELECT count(*) FROM vinylops.streams WHERE hour_of_day <> date_part('hour', stream_time))),
           ('Streams dated after today', 'Medium',
            (SELECT count(*) FROM vinylops.streams WHERE stream_date > current_date)),
           ('Rows waiting in rejected_rows', 'Medium', (SELECT count(*) FROM vinylops.rejected_rows)),
           ('Playback events without a user or track', 'Critical',
            (SELECT count(*) FROM vinylops.playback_events e
             WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = e.user_id)
                OR (e.track_id IS NOT NULL
                    AND NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = e.track_id)))),
           ('Subscriptions without a user', 'Critical',
            (SELECT count(*) FROM vinylops.subscriptions b
             WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = b.user_id))),
           ('Recommendations without a user or track', 'Critical',
            (SELECT count(*) FROM vinylops.recommendations r
             WHERE NOT EXISTS (SELECT FROM vinylops.users u WHERE u.user_id = r.user_id)
                OR NOT EXISTS (SELECT FROM vinylops.tracks t WHERE t.track_id = r.track_id))),
           ('Negative playback durations', 'High',
            (SELECT count(*) FROM vinylops.playback_events WHERE duration_ms < 0)),
           -- A subscription active on some day that starts while an earlier-starting
           -- one of its user (ties: by id) still runs; NULL end_date = still running.
           ('Overlapping subscriptions of one user', 'Medium',
            (SELECT count(*) FROM vinylops.subscriptions a
             WHERE a.start_date < coalesce(a.end_date, 'infinity')
               AND EXISTS (SELECT FROM vinylops.subscriptions b
                           WHERE b.user_id = a.user_id
                             AND (b.start_date, b.subscription_id) < (a.start_date, a.subscription_id)
                             AND a.start_date < coalesce(b.end_date, 'infinity')))),
           ('Users without a region', 'Low',
            (SELECT count(*) FROM vinylops.users WHERE coalesce(trim(geographic_region), '') = ''))
), r AS (
    SELECT check_name, severity, issue_count,
           CASE WHEN issue_count = 0 THEN 'PASSED'
                WHEN severity = 'Critical' THEN 'IMMEDIATE ACTION REQUIRED'
                WHEN severity = 'High' THEN 'INVESTIGATE SOON'
                ELSE 'MONITOR' END,
           row_number() OVER (ORDER BY CASE severity WHEN 'Critical' THEN 1 WHEN 'High' THEN 2
                                                     WHEN 'Medium' THEN 3 ELSE 4 END,
                                       issue_count DESC, check_name COLLATE "C")
    FROM counts
)
SELECT (SELECT count(*) FROM (SELECT * FROM f EXCEPT ALL SELECT * FROM r) d) AS only_in_function,
       (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM f) d) AS only_in_reference,
       (SELECT count(*) FROM f) AS rows;
SELECT * FROM vinylops.data_quality();

-- ---------------------------------------------------------------------------
-- Facts of the data set, each read from a report and counted directly.
-- ---------------------------------------------------------------------------
SELECT (SELECT count(*) FROM vinylops.users WHERE is_quebec_resident) AS quebec_users,
       (SELECT unique_users FROM vinylops.market_viability() WHERE market = 'Quebec (Montreal)') AS quebec_market_users,
       (SELECT sum(cohort_size) FROM vinylops.user_lifecycle() WHERE is_quebec_resident) AS quebec_in_cohorts,
       (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Streams longer than their track') AS longer_than_track,
       (SELECT issue_count FROM vinylops.data_quality() WHERE check_name = 'Duplicate stream_id') AS shared_stream_ids,
       (SELECT sum(issue_count) FROM vinylops.data_quality() WHERE check_name LIKE 'Streams without a %') AS orphans;

-- ---------------------------------------------------------------------------
-- quebec_expansion_summary(): five answers; their figures quote what the
-- reports and the data give, recomputed here.
-- ---------------------------------------------------------------------------
\x on
SELECT * FROM vinylops.quebec_expansion_summary();
\x off
WITH s AS (SELECT * FROM vinylops.quebec_expansion_summary())
SELECT array_agg(area ORDER BY area COLLATE "C") AS areas,
       bool_and(outlook IN ('favourable', 'caution', 'unfavourable', 'unknown')) AS outlooks_known,
       -- engagement: Quebec's active users and market health from market_viability()
       bool_or(area = 'Engagement' AND strpos(figures, format('%s active users',
           (SELECT count(DISTINCT s.user_id) FROM vinylops.streams s JOIN vinylops.users u USING (user_id)
            WHERE u.is_quebec_resident))) > 0
           AND strpos(figures, format('market health %s',
           (SELECT market_health_score FROM vinylops.market_viability() WHERE market = 'Quebec (Montreal)'))) > 0)
           AS engagement_figures,
       -- French content: 77.3 % against 76.5 % completion
       bool_or(area = 'French content' AND strpos(figures, format('Completion %s %% against %s %%',
           (SELECT round(avg(s.completed::int) * 100, 1) FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
            WHERE t.is_french_language),
           (SELECT round(avg(s.completed::int) * 100, 1) FROM vinylops.streams s JOIN vinylops.tracks t USING (track_id)
            WHERE NOT t.is_french_language))) > 0) AS french_figures,
       -- capacity: Quebec's streams out of all
       bool_or(area = 'Capacity' AND strpos(figures, format('stream %s of %s streams',
           (SELECT count(*) FROM vinylops.streams s JOIN vinylops.users u USING (user_id) WHERE u.is_quebec_resident),
           (SELECT count(*) FROM vinylops.streams))) > 0) AS capacity_figures,
       -- revenue: Quebec's revenue and the total, from user_segment_revenue()
       bool_or(area = 'Revenue by segment' AND strpos(figures, format('Quebec $%s of $%s',
           (SELECT sum(estimated_segment_revenue) FROM vinylops.user_segment_revenue() WHERE is_quebec_resident),
           (SELECT sum(estimated_segment_revenue) FROM vinylops.user_segment_revenue()))) > 0) AS revenue_figures,
       -- risks: failing checks and flagged Quebec users
       bool_or(area = 'Operational risks' AND strpos(figures, format('%s of %s checks fail',
           (SELECT count(*) FROM vinylops.data_quality() WHERE status <> 'PASSED'),
           (SELECT count(*) FROM vinylops.data_quality()))) > 0
           AND strpos(figures, format('%s of %s active Quebec users flagged',
           (SELECT count(*) FROM vinylops.churn_risk() WHERE is_quebec_resident), 530)) > 0) AS risk_figures
FROM s;
