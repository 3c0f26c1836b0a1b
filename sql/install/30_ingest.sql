-- ---------------------------------------------------------------------------
-- Loading (contract section 2): ingest() moves staged rows into the typed
-- tables, every bad row into rejected_rows with a reason, and empties staging.
-- ---------------------------------------------------------------------------

-- Parsers that return NULL instead of raising (src/ingest_parse.c).
CREATE FUNCTION @extschema@.try_date(text) RETURNS date
    AS 'MODULE_PATHNAME', 'vinylops_try_date' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.try_time(text) RETURNS time
    AS 'MODULE_PATHNAME', 'vinylops_try_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.try_bool(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'vinylops_try_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.try_int(text) RETURNS integer
    AS 'MODULE_PATHNAME', 'vinylops_try_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A staged value as quoted in a reject reason; long values are cut so a reason stays readable.
CREATE FUNCTION @extschema@.reason_quote(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT '"' || CASE WHEN length(v) > 60 THEN left(v, 60) || '...' ELSE v END || '"';
END;

-- The reason a required text column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_required(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty' END;
END;

-- An identifier as loaded: trimmed, NULL when empty or longer than 1,000 bytes
-- (a longer key could not be indexed, and no real id is that long).
CREATE FUNCTION @extschema@.id_value(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN octet_length(btrim(v)) <= 1000 THEN nullif(btrim(v), '') END;
END;

-- The reason an identifier column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_id(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN octet_length(btrim(v)) > 1000
                THEN col || ' ' || @extschema@.reason_quote(v) || ' is longer than 1000 bytes'
           END;
END;

-- The reason a boolean column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_bool(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN @extschema@.try_bool(v) IS NULL
                THEN col || ' ' || @extschema@.reason_quote(v) || ' is not a boolean (TRUE or FALSE)'
           END;
END;

-- The reason an integer column is unusable or outside [lo, hi] (NULL bound = open), or NULL.
CREATE FUNCTION @extschema@.reason_int(col text, v text, lo integer, hi integer, rule text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN @extschema@.try_int(v) IS NULL
                THEN col || ' ' || @extschema@.reason_quote(v) || ' is not an integer'
                WHEN @extschema@.try_int(v) < lo OR @extschema@.try_int(v) > hi
                THEN col || ' ' || @extschema@.reason_quote(v) || ' ' || rule
           END;
END;

-- The reason a date column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_date(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN @extschema@.try_date(v) IS NULL
                THEN col || ' ' || @extschema@.reason_quote(v) || ' is not a date (M/D/YYYY or YYYY-MM-DD)'
           END;
END;

-- The reason a time-of-day column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_time(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN @extschema@.try_time(v) IS NULL
                THEN col || ' ' || @extschema@.reason_quote(v) || ' is not a time of day (H:MM:SS, 0:00:00 to 23:59:59)'
           END;
END;
