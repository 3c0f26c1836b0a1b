-- int_set and distinct_count: every count is checked against count(DISTINCT)
-- and every set against the sorted distinct values computed by SQL.
CREATE EXTENSION IF NOT EXISTS vinylops;
SET extra_float_digits = 0;

-- The set itself, built by the transition function alone (no final function).
CREATE AGGREGATE pg_temp.set_of(integer) (
    SFUNC = vinylops.int_set_accum, STYPE = vinylops.int_set, COMBINEFUNC = vinylops.int_set_combine);
CREATE FUNCTION pg_temp.sorted_text(v integer[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '{' || COALESCE(string_agg(x::text, ',' ORDER BY x), '') || '}'
    FROM (SELECT DISTINCT x FROM unnest(v) x WHERE x IS NOT NULL) d $$;

-- By hand: duplicates and NULLs skipped, extremes kept, ascending text form.
SELECT pg_temp.set_of(v) AS s, vinylops.distinct_count(v) AS n, count(DISTINCT v) AS expected
FROM (VALUES (5), (3), (NULL), (5), (-2147483648), (2147483647), (0)) t(v);
-- No rows, or only NULLs: count(DISTINCT) says 0, the set is NULL.
SELECT vinylops.distinct_count(v) AS n, pg_temp.set_of(v) IS NULL AS no_set
FROM (VALUES (NULL::integer)) t(v);
SELECT vinylops.distinct_count(v) AS n FROM (SELECT 1 WHERE false) t(v);
-- Dates are their day numbers; the infinities are two more values.
SELECT vinylops.distinct_count(d) AS n, count(DISTINCT d) AS expected
FROM (VALUES ('2024-01-01'::date), ('2024-01-01'), ('infinity'), ('-infinity'), (NULL), ('1999-12-31')) t(d);
-- A direct call copies: the argument is unchanged.
WITH a AS (SELECT '{1,2}'::vinylops.int_set AS s)
SELECT vinylops.int_set_accum(s, 3) AS added, s AS original,
       vinylops.int_set_combine(s, '{0,9}') AS combined, s AS still FROM a;

-- Groups of every shape against count(DISTINCT) and the sorted distinct values
-- (a group of NULLs has no set, and count(DISTINCT) 0):
-- dense runs (a bitmap), values spread over the whole int32 range (a hash table),
-- a dense run then far values (bitmap to hash), far values then a dense run
-- filling between them (hash back to bitmap), values falling below and rising
-- above the range (the bitmap grows both ways), single values and extremes.
SELECT setseed(0.42);
CREATE TEMP TABLE shapes AS
SELECT g, v FROM (
    SELECT g, (g * 1000 + floor(random() * 300))::integer AS v
    FROM generate_series(1, 200) g, generate_series(1, 150)
    UNION ALL
    SELECT 200 + g, (floor(random() * 4294967295) - 2147483648)::integer
    FROM generate_series(1, 20) g, generate_series(1, 500)
    UNION ALL
    SELECT 300 + g, CASE WHEN i <= 400 THEN i ELSE (i * 7919 * g) % 2000000000 END
    FROM generate_series(1, 10) g, generate_series(1, 800) i
    UNION ALL
    SELECT 400 + g, CASE WHEN i <= 20 THEN i * 100000 ELSE i % 2000000 END
    FROM generate_series(1, 10) g, generate_series(1, 30000) i
    UNION ALL
    SELECT 500 + g, CASE WHEN i % 2 = 0 THEN 1000000 - i * 37 ELSE 1000000 + i * 41 END
    FROM generate_series(1, 10) g, generate_series(1, 3000) i
    UNION ALL
    SELECT 600 + g, (ARRAY[-2147483648, 2147483647, 0, -1, NULL])[g]
    FROM generate_series(1, 5) g
    UNION ALL
    SELECT 700, v FROM (VALUES (-2147483648), (2147483647), (-2147483647), (2147483646)) x(v)
) t;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE n = expected) AS counts_equal,
       count(*) FILTER (WHERE COALESCE(set_text, '{}') = expected_text) AS sets_equal,
       sum(expected) AS values_counted
FROM (SELECT g, vinylops.distinct_count(v) AS n, count(DISTINCT v) AS expected,
             pg_temp.set_of(v)::text AS set_text, pg_temp.sorted_text(array_agg(v)) AS expected_text
      FROM shapes GROUP BY g) r;
-- Both forms occur: the dense runs (groups 1-200) take under 2 bytes per value
-- (a bitmap: 8 bytes per 64 values), the spread values (201-220) at least 16 (a
-- hash table at most half full of 8-byte slots).
SELECT count(*) FILTER (WHERE g <= 200 AND pg_column_size(s) < 2 * n) AS dense_as_bitmap,
       count(*) FILTER (WHERE g BETWEEN 201 AND 220 AND pg_column_size(s) >= 16 * n) AS spread_as_hash
FROM (SELECT g, pg_temp.set_of(v) AS s, count(DISTINCT v) AS n FROM shapes GROUP BY g) r;

-- Unions of every pair of shapes against the union computed by SQL.
CREATE TEMP TABLE shape_sets AS
SELECT g, pg_temp.set_of(v) AS s, array_agg(v) AS vals FROM shapes WHERE g IN (1, 2, 150, 201, 202, 301, 401, 501, 601, 602, 700) GROUP BY g;
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE vinylops.int_set_combine(a.s, b.s)::text = pg_temp.sorted_text(a.vals || b.vals)) AS unions_equal,
       count(*) FILTER (WHERE vinylops.int_set_count(vinylops.int_set_combine(a.s, b.s))
                              = (SELECT count(DISTINCT x) FROM unnest(a.vals || b.vals) x)) AS counts_equal
FROM shape_sets a, shape_sets b;

-- In parallel workers: partial sets combined in the leader give count(DISTINCT).
-- The expected counts are computed first, in their own query (a DISTINCT
-- aggregate in the same query would keep the whole query from aggregating
-- partially).  Groups 0-96 are dense (bitmaps), groups 100-109 spread over the
-- int32 range (hash tables), so both forms go through the combine function.
CREATE TEMP TABLE wide AS
SELECT i % 97 AS g, ((i::bigint * 7919) % 50000)::integer AS v, (DATE '2024-01-01' + (i % 400)) AS d
FROM generate_series(1, 300000) i
UNION ALL
SELECT 100 + i % 10, (hashint4(i) & 2147483647) - (i % 2) * 1073741824, DATE '2024-01-01' + i
FROM generate_series(1, 40000) i;
CREATE TABLE int_set_par AS SELECT * FROM wide;
ANALYZE int_set_par;
CREATE TEMP TABLE expected_counts AS
SELECT g, count(DISTINCT v) AS v_count, count(DISTINCT d) AS d_count FROM wide GROUP BY g;
\i sql/include/force_parallel.psql
\set grouped 'SELECT g, vinylops.distinct_count(v) AS v_count, vinylops.distinct_count(d) AS d_count FROM int_set_par GROUP BY g'
\set whole 'SELECT vinylops.distinct_count(v) AS v_count FROM int_set_par'
SELECT pg_temp.plan_has(:'grouped', 'Partial') AS grouped_partial,
       pg_temp.plan_has(:'whole', 'Partial') AS whole_partial;
CREATE TEMP TABLE parallel_counts AS :grouped;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.v_count = e.v_count AND p.d_count = e.d_count) AS equal,
       count(*) FILTER (WHERE e.g >= 100) AS spread_groups
FROM expected_counts e LEFT JOIN parallel_counts p ON p.g = e.g;
SELECT (:whole) AS n, (SELECT count(DISTINCT v) FROM wide) AS expected;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE int_set_par;

-- tid_ordinal: block x 291 + offset - 1, one integer per heap row position.
SELECT vinylops.tid_ordinal('(0,1)') AS first, vinylops.tid_ordinal('(0,291)') AS last_of_block,
       vinylops.tid_ordinal('(1,1)') AS next_block,
       vinylops.tid_ordinal('(7379668,260)') AS last_that_fits;
SELECT vinylops.tid_ordinal('(7379668,261)');
SELECT vinylops.tid_ordinal('(0,0)');
SELECT vinylops.tid_ordinal('(0,292)');
-- Users counted by row position over a join equal count(DISTINCT user_id),
-- also after updates moved some users' rows (new versions, dead old ones).
CREATE TEMP TABLE some_users (user_id text PRIMARY KEY, region text);
INSERT INTO some_users SELECT 'U' || i, 'R' || (i % 7) FROM generate_series(1, 5000) i;
CREATE TEMP TABLE some_streams AS
SELECT 'U' || (1 + (i * 37) % 6000) AS user_id, i % 23 AS hour FROM generate_series(1, 60000) i;
UPDATE some_users SET region = region || '+' WHERE user_id LIKE '%7';
SELECT count(*) AS hours,
       count(*) FILTER (WHERE by_position = by_id) AS equal,
       sum(by_id) AS users_counted
FROM (SELECT s.hour, vinylops.distinct_count(vinylops.tid_ordinal(u.ctid)) AS by_position,
             count(DISTINCT s.user_id) AS by_id
      FROM some_streams s JOIN some_users u ON u.user_id = s.user_id
      GROUP BY s.hour) h;

-- Text input: canonical ascending lists only.
SELECT '{}'::vinylops.int_set AS empty, '{-7,0,12}'::vinylops.int_set AS three,
       vinylops.int_set_count('{}') AS none;
SELECT '{3,2}'::vinylops.int_set;
SELECT '{3,3}'::vinylops.int_set;
SELECT '{2147483648}'::vinylops.int_set;
SELECT '{-2147483649}'::vinylops.int_set;
SELECT '{99999999999999999999999}'::vinylops.int_set;
SELECT '{01}'::vinylops.int_set;
SELECT '{-0}'::vinylops.int_set;
SELECT '{1,}'::vinylops.int_set;
SELECT '{1 }'::vinylops.int_set;
SELECT '1,2'::vinylops.int_set;
SELECT '{1}x'::vinylops.int_set;

-- Binary input, through a binary COPY file read into a column of the type.
\i sql/include/binary_input.psql
-- Valid sets come back as themselves; a cut, a longer payload, a count that does
-- not match the bytes and unsorted or repeated values are 22P03.
SELECT v.label, pg_temp.try_recv(v.bytes, 'vinylops.int_set') AS outcome
FROM (VALUES
    ('ok', vinylops.int_set_send('{-3,7,100}')),
    ('hash form', vinylops.int_set_send('{-2147483648,5,2147483647}')),
    ('empty', vinylops.int_set_send('{}')),
    ('cut', substr(vinylops.int_set_send('{-3,7,100}'), 1, 15)),
    ('longer', vinylops.int_set_send('{-3,7,100}') || '\x00'::bytea),
    ('no count', '\x000000'::bytea),
    ('negative count', '\xffffffffffffffff'::bytea),
    ('huge count', '\x7fffffffffffffff00000001'::bytea),
    ('unsorted', '\x00000000000000020000000500000004'::bytea),
    ('repeated', '\x00000000000000020000000500000005'::bytea)
) v(label, bytes);
