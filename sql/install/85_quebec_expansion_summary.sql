-- ---------------------------------------------------------------------------
-- quebec_expansion_summary(): the headline question, "should we expand into
-- Quebec?", answered in one call: one row per stakeholder question with the
-- figures behind it and a verdict.  Every figure is computed from the loaded
-- data (through the report functions where a report shows it); the thresholds
-- that turn figures into an outlook are documented in doc/reports.md.
-- Returns no rows when no stream is loaded.
-- ---------------------------------------------------------------------------

-- Answers the five stakeholder questions of the Quebec expansion with figures and verdicts (doc/reports.md).
CREATE FUNCTION @extschema@.quebec_expansion_summary()
RETURNS TABLE (
    area     text,
    question text,
    figures  text,
    outlook  text,
    verdict  text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH
    -- 1. Engagement: the Quebec market against the others (report 4).
    markets AS (
        SELECT m.* FROM @extschema@.market_viability() m
    ), quebec_market AS (
        SELECT m.*,
               (SELECT pg_catalog.count(*) FROM markets o
                WHERE o.market_health_score > m.market_health_score) + 1 AS health_rank
        FROM markets m
        WHERE m.market = 'Quebec (Montreal)'
    ), other_markets AS (
        SELECT pg_catalog.count(*) AS markets,
               pg_catalog.sum(m.unique_users) AS users,
               pg_catalog.round(pg_catalog.avg(m.market_health_score), 1) AS avg_health,
               pg_catalog.min(m.market_health_score) AS min_health,
               pg_catalog.max(m.market_health_score) AS max_health,
               pg_catalog.round(pg_catalog.avg(m.completion_rate), 1) AS avg_completion,
               pg_catalog.round(pg_catalog.avg(m.premium_penetration), 1) AS avg_premium
        FROM markets m
        WHERE m.market IS DISTINCT FROM 'Quebec (Montreal)'
    ), engagement AS (
        SELECT 1 AS position, 'Engagement'::text AS area,
               'Do Quebec listeners engage as much as the other markets?'::text AS question,
               CASE WHEN q.market IS NULL
                    THEN pg_catalog.format('No Quebec resident has streamed; %s other markets, %s active users.',
                                           o.markets, COALESCE(o.users, 0))
                    ELSE pg_catalog.format('Quebec (Montreal): %s active users (%s %% of %s), %s streams per user, completion %s %%, playlist adds %s %%, premium penetration %s %%, market health %s (rank %s of %s markets). Other markets: health %s to %s (average %s), completion %s %% and premium penetration %s %% on average.',
                                           q.unique_users,
                                           pg_catalog.round(100.0 * q.unique_users / (q.unique_users + COALESCE(o.users, 0)), 1),
                                           q.unique_users + COALESCE(o.users, 0),
                                           q.streams_per_user, q.completion_rate, q.playlist_add_rate,
                                           q.premium_penetration, q.market_health_score, q.health_rank, o.markets + 1,
                                           COALESCE(o.min_health::text, 'n/a'), COALESCE(o.max_health::text, 'n/a'),
                                           COALESCE(o.avg_health::text, 'n/a'),
                                           COALESCE(o.avg_completion::text, 'n/a'), COALESCE(o.avg_premium::text, 'n/a'))
               END AS figures,
               CASE WHEN q.market IS NULL OR o.avg_health IS NULL THEN 'unknown'
                    WHEN q.market_health_score - o.avg_health > -2 THEN 'favourable'
                    WHEN q.market_health_score - o.avg_health > -5 THEN 'caution'
                    ELSE 'unfavourable'
               END AS outlook,
               CASE WHEN q.market IS NULL THEN 'Not enough data: no Quebec resident has streamed, so Quebec engagement cannot be judged.'
                    WHEN o.avg_health IS NULL THEN 'Not enough data: Quebec is the only market, so there is nothing to compare it with.'
                    ELSE pg_catalog.format('Quebec engages %s the other markets: market health %s against %s on average (%s points)%s.',
                                           CASE WHEN q.market_health_score - o.avg_health >= 2 THEN 'more than'
                                                WHEN q.market_health_score - o.avg_health > -2 THEN 'on par with'
                                                ELSE 'less than' END,
                                           q.market_health_score, o.avg_health,
                                           pg_catalog.to_char(q.market_health_score - o.avg_health, 'FMSG990.0'),
                                           CASE WHEN q.market_health_score - o.avg_health <= -2
                                                THEN pg_catalog.format('; completion %s %% against %s %%', q.completion_rate, o.avg_completion)
                                                ELSE '' END)
               END AS verdict
        FROM other_markets o
        LEFT JOIN quebec_market q ON true
    ),
    -- 2. French content: French against other tracks (report 5 and the streams behind it).
    language_totals AS (
        SELECT pg_catalog.count(*) FILTER (WHERE t.is_french_language) AS fr_streams,
               pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language) AS other_streams,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE t.is_french_language AND s.completed)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE t.is_french_language), 0), 1) AS fr_completion,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language AND s.completed)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language), 0), 1) AS other_completion,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE t.is_french_language AND s.replayed)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE t.is_french_language), 0), 1) AS fr_replay,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language AND s.replayed)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language), 0), 1) AS other_replay,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE t.is_french_language AND s.added_to_playlist)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE t.is_french_language), 0), 1) AS fr_playlist,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language AND s.added_to_playlist)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE NOT t.is_french_language), 0), 1) AS other_playlist,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE t.is_french_language AND u.is_quebec_resident)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE u.is_quebec_resident), 0), 1) AS fr_share_quebec,
               pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE t.is_french_language AND NOT u.is_quebec_resident)
                                / NULLIF(pg_catalog.count(*) FILTER (WHERE NOT u.is_quebec_resident), 0), 1) AS fr_share_elsewhere
        FROM @extschema@.streams s
        JOIN @extschema@.tracks t ON t.track_key = s.track_key
        JOIN @extschema@.users u ON u.user_id = s.user_id
    ), catalogue AS (
        SELECT pg_catalog.count(*) AS tracks,
               pg_catalog.count(*) FILTER (WHERE t.is_french_language) AS fr_tracks
        FROM @extschema@.tracks t
    ), genres AS (
        SELECT g.* FROM @extschema@.french_content_performance() g
    ), genre_duels AS (
        SELECT pg_catalog.count(*) AS genres,
               pg_catalog.count(*) FILTER (WHERE f.content_performance_score > n.content_performance_score) AS fr_wins,
               pg_catalog.string_agg(f.genre, ', ' ORDER BY f.genre COLLATE "C")
                   FILTER (WHERE f.content_performance_score > n.content_performance_score) AS fr_win_genres
        FROM genres f
        JOIN genres n ON n.genre = f.genre AND n.language_category = 'Non-French'
        WHERE f.language_category = 'French'
    ), french AS (
        SELECT 2 AS position, 'French content'::text AS area,
               'Does French-language content hold listeners well enough to lead a Quebec offer?'::text AS question,
               pg_catalog.format('French tracks: %s of %s in the catalogue (%s %%), %s of %s streams (%s %%). Completion %s %% against %s %% for other tracks, replay %s %% against %s %%, playlist adds %s %% against %s %%. French share of listening: %s %% among Quebec residents, %s %% elsewhere. French tracks outscore the rest in %s of the %s genres that have both%s.',
                                 c.fr_tracks, c.tracks,
                                 COALESCE(pg_catalog.round(100.0 * c.fr_tracks / NULLIF(c.tracks, 0), 1)::text, 'n/a'),
                                 l.fr_streams, l.fr_streams + l.other_streams,
                                 COALESCE(pg_catalog.round(100.0 * l.fr_streams / NULLIF(l.fr_streams + l.other_streams, 0), 1)::text, 'n/a'),
                                 COALESCE(l.fr_completion::text, 'n/a'), COALESCE(l.other_completion::text, 'n/a'),
                                 COALESCE(l.fr_replay::text, 'n/a'), COALESCE(l.other_replay::text, 'n/a'),
                                 COALESCE(l.fr_playlist::text, 'n/a'), COALESCE(l.other_playlist::text, 'n/a'),
                                 COALESCE(l.fr_share_quebec::text, 'n/a'), COALESCE(l.fr_share_elsewhere::text, 'n/a'),
                                 g.fr_wins, g.genres,
                                 CASE WHEN g.fr_wins > 0 THEN pg_catalog.format(' (%s)', g.fr_win_genres) ELSE '' END) AS figures,
               CASE WHEN l.fr_completion IS NULL OR l.other_completion IS NULL THEN 'unknown'
                    WHEN l.fr_completion >= l.other_completion AND l.fr_replay >= l.other_replay THEN 'favourable'
                    WHEN l.fr_completion < l.other_completion AND l.fr_replay < l.other_replay THEN 'unfavourable'
                    ELSE 'caution'
               END AS outlook,
               CASE WHEN l.fr_completion IS NULL OR l.other_completion IS NULL
                    THEN 'Not enough data: French and other tracks both need streams to be compared.'
                    ELSE pg_catalog.format('French tracks hold listeners %s the rest (completion %s points, replay %s points)%s%s.',
                                           CASE WHEN l.fr_completion >= l.other_completion AND l.fr_replay >= l.other_replay THEN 'at least as well as'
                                                WHEN l.fr_completion < l.other_completion AND l.fr_replay < l.other_replay THEN 'less well than'
                                                ELSE 'about as well as' END,
                                           pg_catalog.to_char(l.fr_completion - l.other_completion, 'FMSG990.0'),
                                           pg_catalog.to_char(l.fr_replay - l.other_replay, 'FMSG990.0'),
                                           CASE WHEN g.fr_wins > 0 THEN pg_catalog.format('; lead with %s', g.fr_win_genres) ELSE '' END,
                                           CASE WHEN l.fr_share_quebec IS NULL OR l.fr_share_elsewhere IS NULL THEN ''
                                                WHEN l.fr_share_quebec >= l.fr_share_elsewhere + 5
                                                THEN pg_catalog.format('; Quebec residents already favour French (%s %% of their listening against %s %%)',
                                                                       l.fr_share_quebec, l.fr_share_elsewhere)
                                                ELSE pg_catalog.format('; Quebec residents do not yet favour French (%s %% of their listening against %s %% elsewhere), so the catalogue must win them',
                                                                       l.fr_share_quebec, l.fr_share_elsewhere)
                                           END)
               END AS verdict
        FROM language_totals l, catalogue c, genre_duels g
    ),
    -- 3. Capacity: when Quebec listens, against the platform's busiest hour.
    hourly AS (
        SELECT s.hour_of_day::integer AS hour,
               pg_catalog.count(*) AS streams,
               pg_catalog.count(*) FILTER (WHERE u.is_quebec_resident) AS quebec_streams
        FROM @extschema@.streams s
        JOIN @extschema@.users u ON u.user_id = s.user_id
        GROUP BY s.hour_of_day
    ), platform_peak AS (
        SELECT h.hour, h.streams, h.quebec_streams
        FROM hourly h
        ORDER BY h.streams DESC, h.hour
        LIMIT 1
    ), quebec_peak AS (
        SELECT h.hour, h.quebec_streams
        FROM hourly h
        WHERE h.quebec_streams > 0
        ORDER BY h.quebec_streams DESC, h.hour
        LIMIT 1
    ), load AS (
        SELECT pg_catalog.sum(h.streams) AS streams,
               pg_catalog.sum(h.quebec_streams) AS quebec_streams,
               pg_catalog.sum(h.quebec_streams) FILTER (WHERE h.hour BETWEEN 18 AND 22) AS quebec_evening,
               pg_catalog.sum(h.streams - h.quebec_streams) FILTER (WHERE h.hour BETWEEN 18 AND 22) AS other_evening
        FROM hourly h
    ), capacity AS (
        SELECT 3 AS position, 'Capacity'::text AS area,
               'Can the platform carry Quebec traffic at its busiest hours?'::text AS question,
               pg_catalog.format('Quebec residents stream %s of %s streams (%s %%). Platform''s busiest hour: %s:00 with %s streams (%s %% of the day), of which Quebec %s (%s %%). Quebec''s own busiest hour: %s. Peak Evening (18-22 h) carries %s %% of Quebec listening and %s %% elsewhere.',
                                 a.quebec_streams, a.streams,
                                 pg_catalog.round(100.0 * a.quebec_streams / a.streams, 1),
                                 p.hour, p.streams, pg_catalog.round(100.0 * p.streams / a.streams, 1),
                                 p.quebec_streams, pg_catalog.round(100.0 * p.quebec_streams / p.streams, 1),
                                 COALESCE(pg_catalog.format('%s:00 with %s streams', qp.hour, qp.quebec_streams), 'none'),
                                 COALESCE(pg_catalog.round(100.0 * a.quebec_evening / NULLIF(a.quebec_streams, 0), 1)::text, 'n/a'),
                                 COALESCE(pg_catalog.round(100.0 * a.other_evening / NULLIF(a.streams - a.quebec_streams, 0), 1)::text, 'n/a'))
                   AS figures,
               CASE WHEN a.quebec_streams = 0 THEN 'unknown'
                    WHEN 100.0 * p.quebec_streams / p.streams <= 100.0 * a.quebec_streams / a.streams + 5 THEN 'favourable'
                    ELSE 'caution'
               END AS outlook,
               CASE WHEN a.quebec_streams = 0
                    THEN 'Not enough data: no Quebec resident has streamed, so Quebec load cannot be sized.'
                    ELSE pg_catalog.format('Quebec load %s: it is %s %% of the busiest hour (%s:00) against %s %% of all streams, so doubling the Quebec audience adds about %s %% at that hour; plan capacity for the %s peak.',
                                           CASE WHEN 100.0 * p.quebec_streams / p.streams <= 100.0 * a.quebec_streams / a.streams + 5
                                                THEN 'follows the platform''s daily shape'
                                                ELSE 'concentrates on the platform''s busiest hour' END,
                                           pg_catalog.round(100.0 * p.quebec_streams / p.streams, 1), p.hour,
                                           pg_catalog.round(100.0 * a.quebec_streams / a.streams, 1),
                                           pg_catalog.round(100.0 * p.quebec_streams / p.streams, 1),
                                           CASE WHEN p.hour BETWEEN 18 AND 22 THEN 'Peak Evening'
                                                WHEN p.hour BETWEEN 12 AND 14 THEN 'Lunch Rush'
                                                WHEN p.hour BETWEEN 6 AND 9 THEN 'Morning Commute'
                                                WHEN p.hour >= 23 OR p.hour <= 5 THEN 'Late Night'
                                                ELSE 'Off-Peak' END)
               END AS verdict
        FROM load a
        CROSS JOIN platform_peak p
        LEFT JOIN quebec_peak qp ON true
    ),
    -- 4. Revenue by segment (report 8, default rates).
    segments AS (
        SELECT r.* FROM @extschema@.user_segment_revenue() r
    ), revenue_split AS (
        SELECT pg_catalog.sum(r.estimated_segment_revenue) AS revenue,
               pg_catalog.sum(r.estimated_segment_revenue) FILTER (WHERE r.is_quebec_resident) AS quebec_revenue,
               pg_catalog.sum(r.user_count) AS users,
               pg_catalog.sum(r.user_count) FILTER (WHERE r.is_quebec_resident) AS quebec_users,
               pg_catalog.sum(r.user_count) FILTER (WHERE r.is_quebec_resident AND r.user_type = 'Premium') AS quebec_premium,
               pg_catalog.sum(r.user_count) FILTER (WHERE NOT r.is_quebec_resident AND r.user_type = 'Premium') AS other_premium
        FROM segments r
    ), top_quebec_segment AS (
        SELECT r.user_type, r.user_age_group, r.user_count, r.estimated_segment_revenue, r.pct_of_total_revenue
        FROM segments r
        WHERE r.is_quebec_resident
        ORDER BY r.estimated_segment_revenue DESC, r.user_type COLLATE "C", r.user_age_group COLLATE "C",
                 r.geographic_region COLLATE "C"
        LIMIT 1
    ), revenue_figures AS (
        SELECT v.*,
               pg_catalog.round(1000 * v.quebec_revenue / NULLIF(v.quebec_users, 0), 2) AS quebec_per_1000,
               pg_catalog.round(1000 * (v.revenue - v.quebec_revenue) / NULLIF(v.users - v.quebec_users, 0), 2) AS other_per_1000
        FROM revenue_split v
    ), revenue AS (
        SELECT 4 AS position, 'Revenue by segment'::text AS area,
               'Would Quebec listeners pay their way, and which segments earn the revenue?'::text AS question,
               pg_catalog.format('Estimated revenue at $0.004 per Premium and $0.0025 per Free stream: Quebec $%s of $%s (%s %%) from %s of %s active users (%s %%). Per 1,000 active users: $%s in Quebec, $%s elsewhere. Premium share of active users: %s %% in Quebec, %s %% elsewhere. Top Quebec segment: %s.',
                                 COALESCE(v.quebec_revenue, 0), v.revenue,
                                 COALESCE(pg_catalog.round(100.0 * v.quebec_revenue / NULLIF(v.revenue, 0), 1)::text, 'n/a'),
                                 COALESCE(v.quebec_users, 0), v.users,
                                 pg_catalog.round(100.0 * COALESCE(v.quebec_users, 0) / v.users, 1),
                                 COALESCE(v.quebec_per_1000::text, 'n/a'), COALESCE(v.other_per_1000::text, 'n/a'),
                                 COALESCE(pg_catalog.round(100.0 * COALESCE(v.quebec_premium, 0) / NULLIF(v.quebec_users, 0), 1)::text, 'n/a'),
                                 COALESCE(pg_catalog.round(100.0 * COALESCE(v.other_premium, 0) / NULLIF(v.users - COALESCE(v.quebec_users, 0), 0), 1)::text, 'n/a'),
                                 COALESCE(pg_catalog.format('%s users aged %s (%s users, $%s, %s %% of all revenue)',
                                                            t.user_type, COALESCE(t.user_age_group, 'unknown'), t.user_count,
                                                            t.estimated_segment_revenue, t.pct_of_total_revenue), 'none'))
                   AS figures,
               CASE WHEN v.quebec_per_1000 IS NULL OR v.other_per_1000 IS NULL OR v.other_per_1000 = 0 THEN 'unknown'
                    WHEN v.quebec_per_1000 >= 0.95 * v.other_per_1000 THEN 'favourable'
                    WHEN v.quebec_per_1000 >= 0.80 * v.other_per_1000 THEN 'caution'
                    ELSE 'unfavourable'
               END AS outlook,
               CASE WHEN v.quebec_per_1000 IS NULL OR v.other_per_1000 IS NULL OR v.other_per_1000 = 0
                    THEN 'Not enough data: revenue per user needs both Quebec and other paying listeners.'
                    ELSE pg_catalog.format('A Quebec listener brings %s %% of the revenue of a listener elsewhere ($%s against $%s per 1,000 users)%s.',
                                           pg_catalog.round(100.0 * v.quebec_per_1000 / v.other_per_1000, 1),
                                           v.quebec_per_1000, v.other_per_1000,
                                           COALESCE(pg_catalog.format('; target %s users aged %s first', t.user_type,
                                                                      COALESCE(t.user_age_group, 'unknown')), ''))
               END AS verdict
        FROM revenue_figures v
        LEFT JOIN top_quebec_segment t ON true
    ),
    -- 5. Operational risks: data quality (report 12), churn risk (report 1), devices (report 11).
    checks AS (
        SELECT pg_catalog.count(*) AS checks,
               pg_catalog.count(*) FILTER (WHERE d.status <> 'PASSED') AS failing,
               pg_catalog.count(*) FILTER (WHERE d.status <> 'PASSED' AND d.severity = 'Critical') AS critical,
               pg_catalog.count(*) FILTER (WHERE d.status <> 'PASSED' AND d.severity = 'High') AS high,
               pg_catalog.string_agg(pg_catalog.format('%s (%s, %s)', d.check_name, d.issue_count, d.severity), '; '
                                     ORDER BY pg_catalog.array_position(ARRAY['Critical', 'High', 'Medium', 'Low'], d.severity),
                                              d.issue_count DESC, d.check_name COLLATE "C")
                   FILTER (WHERE d.status <> 'PASSED') AS failing_list
        FROM @extschema@.data_quality() d
    ), churn AS (
        SELECT pg_catalog.count(*) FILTER (WHERE c.is_quebec_resident) AS quebec_flagged,
               pg_catalog.count(*) FILTER (WHERE NOT c.is_quebec_resident) AS other_flagged,
               pg_catalog.count(*) FILTER (WHERE c.is_quebec_resident AND c.churn_risk_category = 'High Risk') AS quebec_high
        FROM @extschema@.churn_risk() c
    ), active AS (
        -- Users who streamed, from the market report (Quebec residents form one market).
        SELECT COALESCE(pg_catalog.sum(m.unique_users) FILTER (WHERE m.market = 'Quebec (Montreal)'), 0) AS quebec_users,
               COALESCE(pg_catalog.sum(m.unique_users) FILTER (WHERE m.market IS DISTINCT FROM 'Quebec (Montreal)'), 0) AS other_users,
               (SELECT pg_catalog.max(s.stream_date) FROM @extschema@.streams s) AS as_of
        FROM markets m
    ), devices AS (
        SELECT pg_catalog.count(*) AS cells,
               pg_catalog.count(*) FILTER (WHERE d.ux_priority <> 'Healthy Performance') AS unhealthy
        FROM @extschema@.device_performance() d
    ), risk_figures AS (
        SELECT k.*, c.*, a.*, d.cells, d.unhealthy,
               pg_catalog.round(100.0 * c.quebec_flagged / NULLIF(a.quebec_users, 0), 1) AS quebec_flagged_pct,
               pg_catalog.round(100.0 * c.other_flagged / NULLIF(a.other_users, 0), 1) AS other_flagged_pct
        FROM checks k, churn c, active a, devices d
    ), risks AS (
        SELECT 5 AS position, 'Operational risks'::text AS area,
               'Is anything in the data or the service a risk to the expansion?'::text AS question,
               pg_catalog.format('Data quality: %s of %s checks fail (%s Critical, %s High)%s. Churn risk as of %s: %s of %s active Quebec users flagged (%s %%, %s High Risk) against %s %% of other users. Devices: %s of %s device and user-type combinations below Healthy Performance.',
                                 f.failing, f.checks, f.critical, f.high,
                                 CASE WHEN f.failing > 0 THEN pg_catalog.format(': %s', f.failing_list) ELSE '' END,
                                 COALESCE(pg_catalog.to_char(f.as_of, 'YYYY-MM-DD'), 'n/a'), f.quebec_flagged, f.quebec_users,
                                 COALESCE(f.quebec_flagged_pct::text, 'n/a'), f.quebec_high,
                                 COALESCE(f.other_flagged_pct::text, 'n/a'), f.unhealthy, f.cells) AS figures,
               CASE WHEN f.critical > 0 THEN 'unfavourable'
                    WHEN f.high > 0 OR f.unhealthy > 0
                         OR f.quebec_flagged_pct > f.other_flagged_pct + 5 THEN 'caution'
                    ELSE 'favourable'
               END AS outlook,
               pg_catalog.format('%s%s%s',
                   CASE WHEN f.critical > 0
                        THEN pg_catalog.format('Blocker: %s critical data-quality check(s) fail; fix them before trusting any figure', f.critical)
                        WHEN f.high > 0
                        THEN pg_catalog.format('No blocker, but %s high-severity data-quality check(s) to investigate', f.high)
                        ELSE 'No critical or high-severity data-quality issue' END,
                   CASE WHEN f.quebec_flagged_pct IS NULL OR f.other_flagged_pct IS NULL THEN ''
                        WHEN f.quebec_flagged_pct > f.other_flagged_pct + 5
                        THEN pg_catalog.format('; Quebec churn risk is higher than elsewhere (%s %% against %s %%)',
                                               f.quebec_flagged_pct, f.other_flagged_pct)
                        ELSE pg_catalog.format('; Quebec churn risk is no higher than elsewhere (%s %% against %s %%)',
                                               f.quebec_flagged_pct, f.other_flagged_pct) END,
                   CASE WHEN f.unhealthy > 0
                        THEN pg_catalog.format('; %s device and user-type combination(s) need UX work.', f.unhealthy)
                        ELSE '; every device performs healthily.' END) AS verdict
        FROM risk_figures f
    ), answers AS (
        SELECT * FROM engagement
        UNION ALL SELECT * FROM french
        UNION ALL SELECT * FROM capacity
        UNION ALL SELECT * FROM revenue
        UNION ALL SELECT * FROM risks
    )
    SELECT a.area, a.question, a.figures, a.outlook, a.verdict
    FROM answers a
    WHERE EXISTS (SELECT 1 FROM @extschema@.streams s)
    ORDER BY a.position;
END;

COMMENT ON FUNCTION @extschema@.quebec_expansion_summary() IS
'Should we expand into Quebec? One row per stakeholder question (engagement, French content, capacity, revenue by segment, operational risks) with the figures computed from the loaded data, an outlook and a verdict';
