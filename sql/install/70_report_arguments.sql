-- ---------------------------------------------------------------------------
-- Reports (contract section 4): checks of the report functions' arguments.
-- Each returns true or raises.  A report calls its check in the WHERE clause of
-- its outermost query, where the call mentions no column, so the planner makes
-- it a one-time filter evaluated before any row is read (or folds it while
-- planning when the argument is a constant): a bad argument is an error even
-- over empty tables, and a good one costs one call.
-- ---------------------------------------------------------------------------

-- Rejects a NULL or negative min_streams argument.
CREATE FUNCTION @extschema@.check_min_streams(min_streams integer) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF min_streams IS NULL THEN
        RAISE EXCEPTION 'min_streams must not be null'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'min_streams is the least number of streams a user needs to appear in the report.',
                  HINT = 'Pass 0 to include every user who has streamed.';
    ELSIF min_streams < 0 THEN
        RAISE EXCEPTION 'min_streams must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('min_streams was %s.', min_streams),
                  HINT = 'Pass 0 to include every user who has streamed.';
    END IF;
    RETURN true;
END
$$;

-- Rejects a per-stream payout rate that is NULL, negative, NaN or infinite.
CREATE FUNCTION @extschema@.check_rate(argument text, rate numeric) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF rate IS NULL THEN
        RAISE EXCEPTION '% must not be null', argument
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = format('%s is the payout per stream in dollars; a NULL rate would make every revenue figure NULL.', argument),
                  HINT = 'Pass 0 for a tier that pays nothing, or omit the argument for the default.';
    ELSIF rate = 'NaN'::numeric OR rate IN ('Infinity'::numeric, '-Infinity'::numeric) THEN
        RAISE EXCEPTION '% must be a finite number', argument
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s was %s.', argument, rate);
    ELSIF rate < 0 THEN
        RAISE EXCEPTION '% must not be negative', argument
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('%s was %s.', argument, rate);
    END IF;
    RETURN true;
END
$$;

-- Rejects an as_of date that is infinite or later than today; NULL means "the
-- latest stream_date in the data" and is accepted.
CREATE FUNCTION @extschema@.check_as_of(as_of date) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF as_of IS NOT NULL AND NOT isfinite(as_of) THEN
        RAISE EXCEPTION 'as_of must be a finite date'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('as_of was %s.', as_of),
                  HINT = 'Omit as_of (or pass NULL) to measure against the latest stream_date in the data.';
    ELSIF as_of > current_date THEN
        RAISE EXCEPTION 'as_of must not be in the future'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('as_of was %s, later than today; streams of days to come are unknown, so every user would look inactive.',
                                 to_char(as_of, 'YYYY-MM-DD')),
                  HINT = 'Omit as_of (or pass NULL) to measure against the latest stream_date in the data.';
    END IF;
    RETURN true;
END
$$;
