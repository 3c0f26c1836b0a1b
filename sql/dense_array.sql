-- dense_int_array(keys, vals, fill): every key's element is checked against
-- its value by a join, the gaps against fill, and the bounds against
-- min/max of the keys.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vinylops;
RESET client_min_messages;

-- By hand: keys 5, 3, 9 span 3..9; 4, 6, 7, 8 hold the fill; outside, NULL.
SELECT a, array_lower(a, 1) AS lower, array_upper(a, 1) AS upper,
       a[3] AS at_3, a[4] AS at_4, a[9] AS at_9, a[2] AS at_2, a[10] AS at_10
FROM (SELECT vinylops.dense_int_array(ARRAY[5, 3, 9], ARRAY[50, 30, 90], -1) AS a) x;

-- 20,000 distinct keys with gaps, from a negative key up, in random order.
CREATE TEMP TABLE src AS
SELECT k, hashint4(k) AS v
FROM generate_series(-7000, 40000) k
WHERE hashint4(k * 7) % 5 <> 0 OR k IN (-7000, 40000)
ORDER BY hashint4(k + 1);
CREATE TEMP TABLE arr AS
SELECT vinylops.dense_int_array(array_agg(k), array_agg(v), 2147483647) AS a FROM src;
SELECT (SELECT count(*) FROM src) AS keys,
       array_lower(a, 1) = (SELECT min(k) FROM src) AS lower_is_min,
       array_upper(a, 1) = (SELECT max(k) FROM src) AS upper_is_max,
       (SELECT count(*) FROM src WHERE a[k] IS DISTINCT FROM v) AS wrong_values,
       (SELECT count(*) FROM generate_series(-7000, 40000) g
        WHERE g NOT IN (SELECT k FROM src) AND a[g] IS DISTINCT FROM 2147483647) AS wrong_fills,
       (SELECT count(*) FROM unnest(a) e WHERE e IS NULL) AS nulls
FROM arr;

-- Keys at the ends of int32 (an array's subscripts end below INT_MAX); no
-- keys give NULL.
SELECT vinylops.dense_int_array(ARRAY[-2147483648, -2147483647], ARRAY[1, 2], 0) AS lowest,
       vinylops.dense_int_array(ARRAY[2147483646], ARRAY[7], 0) AS highest,
       vinylops.dense_int_array('{}', '{}', 0) IS NULL AS empty_is_null;
SELECT vinylops.dense_int_array(ARRAY[2147483647], ARRAY[7], 0);

-- Rejected: unequal lengths, NULL keys or values (a NULL would make each
-- subscript walk the array), a repeated key, two dimensions, a span past 2^24.
SELECT vinylops.dense_int_array(ARRAY[1, 2], ARRAY[1], 0);
SELECT vinylops.dense_int_array(ARRAY[1, NULL], ARRAY[1, 2], 0);
SELECT vinylops.dense_int_array(ARRAY[1, 2], ARRAY[1, NULL], 0);
SELECT vinylops.dense_int_array(ARRAY[4, 2, 4], ARRAY[1, 2, 3], 0);
SELECT vinylops.dense_int_array(ARRAY[[1, 2], [3, 4]], ARRAY[[1, 2], [3, 4]], 0);
SELECT vinylops.dense_int_array(ARRAY[0, 16777216], ARRAY[1, 2], 0);
SELECT array_length(vinylops.dense_int_array(ARRAY[0, 16777215], ARRAY[1, 2], 0), 1) AS widest;
