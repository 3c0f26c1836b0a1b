-- rounded_quotient(dividend, divisor, places): the exact quotient rounded to
-- places decimals.  Cases by hand, then random operands against numeric
-- division carried to 40 decimals and round(), the second route: both signs,
-- ties (divisors of powers of ten), every places from 0 to 18 and the
-- operands whose scaled form leaves int64 (the numeric route inside).  Plain
-- dividend::numeric / divisor is not exact for wide operands: it keeps 16
-- significant digits, and rounds the quotient there first.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- By hand: 24,300 / 2,000 = 12.15 -> 12.2; -5 / 2 = -2.5 -> -3 (half away
-- from zero); 5 / -2 -> -3; 2 / 3 with 0 and 4 places; 0 / 7; the scale
-- shown is places (12.0, not 12).
SELECT vinylops.rounded_quotient(24300, 2000, 1) AS a,
       vinylops.rounded_quotient(-5, 2, 0) AS b,
       vinylops.rounded_quotient(5, -2, 0) AS c,
       vinylops.rounded_quotient(2, 3, 0) AS d,
       vinylops.rounded_quotient(2, 3, 4) AS e,
       vinylops.rounded_quotient(0, 7, 2) AS f,
       vinylops.rounded_quotient(1200, 100, 1) AS g;
-- A zero divisor is NULL, as NULLIF(divisor, 0) gives; NULL operands give NULL.
SELECT vinylops.rounded_quotient(1, 0, 1) IS NULL AS zero_divisor,
       vinylops.rounded_quotient(NULL, 3, 1) IS NULL AS null_dividend,
       vinylops.rounded_quotient(1, 3, NULL) IS NULL AS null_places;
-- The int64 ends, through numeric.
SELECT vinylops.rounded_quotient(-9223372036854775808, 3, 2) AS min_dividend,
       vinylops.rounded_quotient(7, -9223372036854775808, 18) AS min_divisor,
       vinylops.rounded_quotient(9223372036854775807, 7, 5) AS scaled_overflow;
-- places outside 0 .. 18 is refused.
SELECT vinylops.rounded_quotient(1, 3, -1);
SELECT vinylops.rounded_quotient(1, 3, 19);

-- 200,000 random operands, every places: no difference from the second route,
-- text included (the scale).  Divisors from 2^k 5^j make exact ties common.
-- 40 decimals are enough: a quotient that is not a tie lies at least
-- 1 / (2 x 10^18 x 9.2 x 10^18) from one, more than the division's error.
SELECT setseed(0.42);
CREATE TEMP TABLE operands AS
SELECT (CASE WHEN random() < 0.3 THEN -1 ELSE 1 END
        * floor(random() * CASE WHEN i % 5 = 0 THEN 9.2e18 ELSE 1e7 END))::bigint AS dividend,
       (CASE WHEN random() < 0.3 THEN -1 ELSE 1 END
        * CASE WHEN i % 3 = 0 THEN (2 ^ (i % 11))::bigint * (5 ^ (i % 7))::bigint
               ELSE 1 + floor(random() * 1e6)::bigint END) AS divisor,
       i % 19 AS places
FROM generate_series(1, 200000) i;
SELECT count(*) AS operands,
       count(*) FILTER (WHERE vinylops.rounded_quotient(dividend, divisor, places)::text
                              IS DISTINCT FROM round(dividend::numeric(60, 40) / divisor, places)::text) AS differ,
       -- The plain division's rounding, which the wide operands defeat.
       count(*) FILTER (WHERE round(dividend::numeric / divisor, places)
                              <> round(dividend::numeric(60, 40) / divisor, places)) > 0 AS plain_inexact,
       -- A tie: the scaled quotient ends in exactly .5.
       count(*) FILTER (WHERE mod(dividend::numeric * 10::numeric ^ places * 2, divisor) = 0
                          AND mod(dividend::numeric * 10::numeric ^ places, divisor) <> 0) > 0 AS has_ties,
       count(*) FILTER (WHERE abs(dividend) > 9.2e18 / 10 ^ places) > 0 AS has_numeric_route
FROM operands;
-- The rates of the per-user reports, every pair with streams up to 400: the
-- same as round(100.0 * part / streams, 1).
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE vinylops.rounded_quotient(100 * part, streams, 1)::text
                              <> round(100.0 * part / streams, 1)::text) AS differ
FROM generate_series(1, 400) streams, generate_series(0, streams) part;
