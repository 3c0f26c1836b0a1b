-- ---------------------------------------------------------------------------
-- Monthly partitions of streams (issue 6, doc/performance.md "Partitioned
-- streams").  streams is range-partitioned on stream_date from the start, with
-- every row in streams_default; this splits months out of it.
-- ---------------------------------------------------------------------------

-- Creates one partition per calendar month from from_month to to_month (both
-- included) and moves that month's rows out of streams_default into it.
-- Months that already have a partition of that name are left alone.
CREATE FUNCTION @extschema@.partition_streams_by_month(from_month date, to_month date)
RETURNS TABLE (partition_name text, month_start date, rows_moved bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first_month CONSTANT date := date_trunc('month', from_month)::date;
    last_month CONSTANT date := date_trunc('month', to_month)::date;
    part text;
BEGIN
    IF from_month IS NULL OR to_month IS NULL OR from_month > to_month THEN
        RAISE EXCEPTION 'from_month and to_month must be dates with from_month <= to_month'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('from_month is %s and to_month is %s.',
                                  coalesce(from_month::text, 'NULL'), coalesce(to_month::text, 'NULL'));
    END IF;
    -- A partition per month: more than a century of them is a typing mistake.
    IF (extract(year FROM last_month) - extract(year FROM first_month)) * 12
       + extract(month FROM last_month) - extract(month FROM first_month) >= 1200 THEN
        RAISE EXCEPTION 'partition_streams_by_month creates at most 1200 monthly partitions'
            USING ERRCODE = 'program_limit_exceeded',
                  DETAIL = format('%s to %s spans more than 100 years.', from_month, to_month);
    END IF;
    -- Readers wait rather than see a month's rows missing while they move.
    LOCK TABLE @extschema@.streams IN ACCESS EXCLUSIVE MODE;
    FOR month_start IN
        SELECT m::date FROM generate_series(first_month, last_month, interval '1 month') m
    LOOP
        part := 'streams_' || to_char(month_start, 'YYYY_MM');
        partition_name := '@extschema@.' || part;
        IF to_regclass(partition_name) IS NOT NULL THEN
            CONTINUE;
        END IF;
        -- Filled while detached, then attached: PostgreSQL refuses a new range
        -- partition while the default partition still holds rows of that range.
        EXECUTE format('CREATE TABLE @extschema@.%I (LIKE @extschema@.streams INCLUDING CONSTRAINTS)', part);
        EXECUTE format('WITH moved AS (DELETE FROM @extschema@.streams_default
                                       WHERE stream_date >= $1 AND stream_date < $2 RETURNING *)
                        INSERT INTO @extschema@.%I SELECT * FROM moved', part)
            USING month_start, (month_start + interval '1 month')::date;
        GET DIAGNOSTICS rows_moved = ROW_COUNT;
        -- The keys every partition carries (as streams_default does), built after the load.
        EXECUTE format('ALTER TABLE @extschema@.%I ADD PRIMARY KEY (stream_key)', part);
        EXECUTE format('CREATE INDEX %I ON @extschema@.%I (stream_id)', part || '_stream_id_idx', part);
        EXECUTE format('ALTER TABLE @extschema@.streams ATTACH PARTITION @extschema@.%I
                        FOR VALUES FROM (%L) TO (%L)',
                       part, month_start, (month_start + interval '1 month')::date);
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION @extschema@.partition_streams_by_month(date, date) IS
'Splits vinylops.streams into one partition per month from from_month to to_month, moving those rows out of streams_default; returns the partitions created';
