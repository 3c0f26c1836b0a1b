-- ---------------------------------------------------------------------------
-- Retention (contract section 5): N-day retention by cohort of first stream,
-- and retention by how many genres a user explored in their first days.
-- A user's day 0 is the date of their first stream.  Days that lie after the
-- last stream_date in the data cannot be observed yet: their cells are NULL
-- rather than a number biased towards zero (doc/engagement.md).
-- ---------------------------------------------------------------------------

-- Rejects a retention mode other than 'exact' or 'on_or_after'.
CREATE FUNCTION @extschema@.check_retention_mode(mode text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF mode IS NULL OR mode NOT IN ('exact', 'on_or_after') THEN
        RAISE EXCEPTION 'mode must be ''exact'' or ''on_or_after'''
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('mode was %s. ''exact'' counts users active on day N itself; ''on_or_after'' counts users active on day N or any later day.',
                                  coalesce(quote_literal(mode), 'NULL'));
    END IF;
    RETURN true;
END
$$;

-- Rejects a NULL days array, NULL or negative days, and an unknown cohort grain or mode.
CREATE FUNCTION @extschema@.check_retention_args(days integer[], cohort_grain text, mode text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF days IS NULL OR array_position(days, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'days must not be null or contain nulls'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'days lists the N of each N-day retention to report, e.g. ''{1,7,30}''.';
    ELSIF 0 > ANY (days) THEN
        RAISE EXCEPTION 'days must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('days was %s; day 0 is the day of a user''s first stream.', days);
    ELSIF cohort_grain IS NULL OR lower(cohort_grain) NOT IN ('day', 'week', 'month', 'quarter', 'year') THEN
        RAISE EXCEPTION 'cohort_grain must be day, week, month, quarter or year'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('cohort_grain was %s.', coalesce(quote_literal(cohort_grain), 'NULL'));
    END IF;
    RETURN @extschema@.check_retention_mode(mode);
END
$$;

-- N-day retention by cohort (users grouped by date_trunc(cohort_grain, first stream date)):
-- in 'exact' mode a user is retained on day N when active on first day + N; in
-- 'on_or_after' mode when active on that day or any later one.
CREATE FUNCTION @extschema@.retention(
    days integer[] DEFAULT '{1,7,30}',
    cohort_grain text DEFAULT 'month',
    mode text DEFAULT 'exact')
RETURNS TABLE (
    cohort_start   date,
    cohort_size    bigint,
    day            integer,
    retained_users bigint,
    retention_pct  numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH per_user AS (
        SELECT s.user_id, pg_catalog.min(s.stream_date) AS first_day,
               pg_catalog.max(s.stream_date) AS last_day
        FROM @extschema@.streams s
        GROUP BY s.user_id
    ), horizon AS (           -- the last day the data can show activity on
        SELECT pg_catalog.max(p.last_day) AS last_seen FROM per_user p
    ), wanted AS (
        SELECT DISTINCT w.n FROM pg_catalog.unnest(days) AS w (n)
    ), members AS (
        SELECT p.user_id, p.first_day, p.last_day,
               pg_catalog.date_trunc(pg_catalog.lower(cohort_grain), p.first_day)::date AS cohort_start
        FROM per_user p
    ), cohorts AS (
        SELECT m.cohort_start, pg_catalog.count(*) AS cohort_size,
               pg_catalog.max(m.first_day) AS latest_first_day
        FROM members m
        GROUP BY m.cohort_start
    ), retained AS (          -- one join of streams to their user's day 0; no per-user lookups
        SELECT m.cohort_start, w.n, pg_catalog.count(DISTINCT m.user_id) AS users
        FROM members m
        JOIN @extschema@.streams s ON s.user_id = m.user_id
        JOIN wanted w ON w.n = s.stream_date - m.first_day
        WHERE mode = 'exact'
        GROUP BY m.cohort_start, w.n
        UNION ALL
        SELECT m.cohort_start, w.n, pg_catalog.count(*)
        FROM members m
        JOIN wanted w ON m.last_day >= m.first_day + w.n
        WHERE mode = 'on_or_after'
        GROUP BY m.cohort_start, w.n
    )
    SELECT c.cohort_start, c.cohort_size, w.n,
           CASE WHEN c.latest_first_day + w.n <= h.last_seen THEN coalesce(r.users, 0) END,
           CASE WHEN c.latest_first_day + w.n <= h.last_seen
                THEN pg_catalog.round(100.0 * coalesce(r.users, 0) / c.cohort_size, 1) END
    FROM cohorts c
    CROSS JOIN wanted w
    CROSS JOIN horizon h
    LEFT JOIN retained r ON r.cohort_start = c.cohort_start AND r.n = w.n
    WHERE @extschema@.check_retention_args(days, cohort_grain, mode)
    ORDER BY c.cohort_start, w.n;
END;

-- Rejects a retention day that does not follow the exploration window.
CREATE FUNCTION @extschema@.check_genre_diversity_args(day integer, explore_days integer)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF explore_days IS NULL OR explore_days < 1 THEN
        RAISE EXCEPTION 'explore_days must be at least 1'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('explore_days was %s; genres are counted on days 0 to explore_days - 1.',
                                  coalesce(explore_days::text, 'NULL'));
    ELSIF day IS NULL OR day < explore_days THEN
        RAISE EXCEPTION 'day must not be less than explore_days'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('day was %s and explore_days %s; retention is measured after the days in which genres are counted, or it would count the exploring itself.',
                                  coalesce(day::text, 'NULL'), explore_days);
    END IF;
    RETURN true;
END
$$;

-- Day-N retention of users grouped by the number of distinct genres they played on
-- days 0 .. explore_days - 1; only users whose day N is already observable are counted.
CREATE FUNCTION @extschema@.retention_by_genre_diversity(
    day integer DEFAULT 7,
    explore_days integer DEFAULT 7,
    mode text DEFAULT 'exact')
RETURNS TABLE (
    distinct_genres integer,
    users           bigint,
    retained_users  bigint,
    retention_pct   numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH per_user AS (
        SELECT s.user_id, pg_catalog.min(s.stream_date) AS first_day,
               pg_catalog.max(s.stream_date) AS last_day
        FROM @extschema@.streams s
        GROUP BY s.user_id
    ), horizon AS (
        SELECT pg_catalog.max(p.last_day) AS last_seen FROM per_user p
    ), explored AS (         -- per user: genres in the window, and activity on / after day N
        SELECT p.user_id,
               pg_catalog.count(DISTINCT t.genre)
                   FILTER (WHERE s.stream_date < p.first_day + explore_days)::integer AS genres,
               CASE WHEN mode = 'on_or_after' THEN p.last_day >= p.first_day + day
                    ELSE pg_catalog.bool_or(s.stream_date = p.first_day + day)
               END AS retained
        FROM per_user p
        CROSS JOIN horizon h
        JOIN @extschema@.streams s ON s.user_id = p.user_id
        JOIN @extschema@.tracks t ON t.track_id = s.track_id
        WHERE p.first_day + day <= h.last_seen
        GROUP BY p.user_id, p.first_day, p.last_day
    )
    SELECT e.genres, pg_catalog.count(*),
           pg_catalog.count(*) FILTER (WHERE e.retained),
           pg_catalog.round(100.0 * pg_catalog.count(*) FILTER (WHERE e.retained) / pg_catalog.count(*), 1)
    FROM explored e
    WHERE @extschema@.check_genre_diversity_args(day, explore_days)
      AND @extschema@.check_retention_mode(mode)
    GROUP BY e.genres
    ORDER BY e.genres;
END;

COMMENT ON FUNCTION @extschema@.retention(integer[], text, text) IS
'N-day retention by cohort of first stream; mode ''exact'' (active on day N) or ''on_or_after''; NULL where day N is after the data ends';
COMMENT ON FUNCTION @extschema@.retention_by_genre_diversity(integer, integer, text) IS
'Day-N retention by the number of distinct genres a user played in their first explore_days days';
