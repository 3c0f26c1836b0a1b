-- ---------------------------------------------------------------------------
-- rounded_quotient: a rate or a mean rounded for display, exactly.
-- ---------------------------------------------------------------------------

-- The exact quotient rounded half away from zero to places decimals (scale
-- places), NULL when divisor is 0: round(dividend::numeric / divisor, places)
-- while the quotient has at most 16 significant digits, where numeric division
-- rounds it first.  The per-user reports' rates (rounded_quotient(100 *
-- completed, streams, 1)) and means, from a tally's counts (doc/aggregates.md).
CREATE FUNCTION @extschema@.rounded_quotient(dividend bigint, divisor bigint, places integer)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'vinylops_rounded_quotient'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rounded_quotient(bigint, bigint, integer) IS
    'dividend / divisor, exact, rounded half away from zero to places decimals (0 to 18); NULL when divisor is 0';
