-- Every kind of bad staged value becomes a rejected row with its own reason;
-- staged = loaded + already_present + rejected; nothing is silently dropped.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

INSERT INTO vinylops.staging_users VALUES
    ('U1', 'Free', '18-24', 'Montreal', 'TRUE'),           -- good
    ('U2', 'premium', '25-34', ' Toronto ', 'false'),      -- good: case and blanks normalised
    ('U3', 'Premium', NULL, NULL, 'FALSE'),                -- good: age group and region may be missing
    ('U1', 'Free', '18-24', 'Montreal', 'TRUE'),           -- identical duplicate: already present
    ('U4', 'Gold', '18-24', 'London', 'FALSE'),            -- bad user_type
    ('U5', 'Free', '18-24', 'London', 'maybe'),            -- bad boolean
    ('', 'Free', '18-24', 'London', 'FALSE'),              -- empty id
    (NULL, NULL, NULL, NULL, NULL),                        -- empty line
    ('U6', 'Free', '18-24', 'London', 'FALSE'),            -- same id, two contents: both rejected
    ('U6', 'Premium', '18-24', 'London', 'FALSE');

INSERT INTO vinylops.staging_tracks VALUES
    ('T1', 'Orchestra Nova', 'Classical', '450', 'FALSE'), -- good
    ('T2', 'Les Voix', 'Jazz', ' 300 ', 'TRUE'),           -- good
    ('T3', 'X', 'Jazz', '0', 'TRUE'),                      -- duration not positive
    ('T4', 'X', 'Jazz', '-30', 'TRUE'),                    -- negative duration
    ('T5', 'X', 'Jazz', '3.5', 'TRUE'),                    -- not an integer
    ('T6', 'X', 'Jazz', '99999999999', 'TRUE'),            -- overflows integer
    ('T7', '', '', '200', ''),                             -- several empty fields, one reason each
    ('T8', 'X', 'Jazz', 'abc', 'yes please');              -- two bad values

INSERT INTO vinylops.staging_streams VALUES
    ('S1', 'U1', 'T1', '1/23/2024', '21:28:20', '21', 'Mobile', '450', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),   -- good
    ('S2', 'U2', 'T2', '2024-02-29', '0:00:00', '0', 'Desktop', '0', 'FALSE', 'TRUE', 'FALSE', 'TRUE'),     -- good: leap day, zero duration
    ('S1', 'U1', 'T1', '1/23/2024', '21:28:20', '21', 'Mobile', '450', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),   -- identical duplicate
    ('S1', 'U2', 'T1', '1/24/2024', '10:00:00', '10', 'Mobile', '10', 'FALSE', 'TRUE', 'FALSE', 'FALSE'),    -- same id, other stream: kept
    ('S3', 'U1', 'T1', '2/30/2024', '1:00:00', '1', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),      -- no such day
    ('S4', 'U1', 'T1', '2/29/2023', '1:00:00', '1', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),      -- not a leap year
    ('S5', 'U1', 'T1', '13/1/2024', '1:00:00', '1', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),      -- month 13
    ('S6', 'U1', 'T1', 'yesterday', '1:00:00', '1', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),      -- not a date
    ('S7', 'U1', 'T1', '1/1/2024', '24:00:00', '0', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),      -- hour 24
    ('S8', 'U1', 'T1', '1/1/2024', '12:60:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),     -- minute 60
    ('S9', 'U1', 'T1', '1/1/2024', 'noon', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),         -- not a time
    ('S10', 'U1', 'T1', '1/1/2024', '12:00:00', '24', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),    -- hour_of_day out of range
    ('S11', 'U1', 'T1', '1/1/2024', '12:00:00', '-1', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),    -- negative hour
    ('S12', 'U1', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '-5', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),    -- negative duration
    ('S13', 'U1', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '1e9', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),   -- not an integer
    ('S14', 'U1', 'T1', '1/1/2024', '12:00:00', '12', '', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),          -- no device
    ('S15', 'U1', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '10', 'Y', 'N', 'FALSE', 'FALSE'),           -- bad booleans
    ('S16', 'USER_9999', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'), -- unknown user
    ('S17', 'U1', 'TRK_0', '1/1/2024', '12:00:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),  -- unknown track
    ('S18', 'U4', 'T3', '1/1/2024', '12:00:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),     -- user and track were rejected
    ('S19', 'U1', 'T1', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),                               -- mostly empty
    (repeat('x', 500), 'U1', 'T1', '1/1/2024', '12:00:00', '12', repeat('d', 200), '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'); -- long fields load

SELECT * FROM vinylops.ingest();

SELECT source, left(id, 12) AS id, reason
FROM (SELECT source, reason,
             raw_row ->> (CASE source WHEN 'staging_streams' THEN 'stream_id'
                                      WHEN 'staging_tracks' THEN 'track_id'
                                      ELSE 'user_id' END) AS id
      FROM vinylops.rejected_rows) r
ORDER BY source COLLATE "C", id COLLATE "C", reason COLLATE "C";
-- The raw row is kept whole, as staged.
SELECT raw_row FROM vinylops.rejected_rows WHERE raw_row ->> 'stream_id' = 'S15';

-- What did load, typed and normalised.
SELECT user_id, user_type, user_age_group, geographic_region, is_quebec_resident
FROM vinylops.users ORDER BY user_id COLLATE "C";
SELECT track_id, artist_name, genre, track_duration_sec, is_french_language
FROM vinylops.tracks ORDER BY track_id COLLATE "C";
SELECT left(stream_id, 10) AS stream_id, user_id, track_id, stream_date, stream_time, hour_of_day,
       left(device_type, 10) AS device, stream_duration_sec, completed, skipped
FROM vinylops.streams ORDER BY stream_id COLLATE "C", stream_date;

-- A user already loaded comes back with other content: rejected, the loaded row unchanged.
INSERT INTO vinylops.staging_users VALUES ('U1', 'Premium', '18-24', 'Montreal', 'TRUE'),
                                          ('U2', 'Premium', '25-34', 'Toronto', 'FALSE');
SELECT * FROM vinylops.ingest();
SELECT reason FROM vinylops.rejected_rows WHERE source = 'staging_users' AND raw_row ->> 'user_id' = 'U1';
SELECT user_type FROM vinylops.users WHERE user_id = 'U1';

-- The accounting identity holds for every call.
INSERT INTO vinylops.staging_streams
SELECT 'B' || i, 'U1', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', (i - 3)::text, 'TRUE', 'FALSE', 'FALSE', 'FALSE'
FROM generate_series(1, 10) i;
SELECT source, staged = loaded + already_present + rejected AS adds_up, staged, loaded, rejected
FROM vinylops.ingest();

-- The parsers behind ingest: NULL for anything that is not a value.
SELECT vinylops.try_date('12/31/2024') AS d1, vinylops.try_date('2/29/2000') AS leap_400,
       vinylops.try_date('2/29/1900') AS not_leap_100, vinylops.try_date('1/1/24') AS short_year,
       vinylops.try_date('2024-1-5') AS iso, vinylops.try_date('') AS empty;
SELECT vinylops.try_time('0:00:00') AS t0, vinylops.try_time('23:59:59') AS t1,
       vinylops.try_time('23:59:60') AS leap_sec, vinylops.try_time('1:2:03') AS one_digit_minute;
SELECT vinylops.try_int('2147483647') AS max, vinylops.try_int('-2147483648') AS min,
       vinylops.try_int('2147483648') AS over, vinylops.try_int('-') AS sign_only,
       vinylops.try_int('12 3') AS inner_blank;
SELECT vinylops.try_bool('TRUE') AS a, vinylops.try_bool('f') AS b, vinylops.try_bool('tru') AS prefix;

-- Rejected rows can be fixed and staged again from their raw form (doc/loading.md).
INSERT INTO vinylops.staging_streams
SELECT (jsonb_populate_record(NULL::vinylops.staging_streams,
                              raw_row || '{"stream_duration_sec": "5"}')).*
FROM vinylops.rejected_rows WHERE source = 'staging_streams' AND raw_row ->> 'stream_id' = 'S12';
SELECT * FROM vinylops.ingest() WHERE source = 'streams';
SELECT stream_id, stream_duration_sec FROM vinylops.streams WHERE stream_id = 'S12';

-- More of the catalogue: conflicting track duplicates, huge and blank values,
-- a time with fractions, a date with a two-digit year, a 10,000-character id.
INSERT INTO vinylops.staging_tracks VALUES
    ('T9', 'A', 'Jazz', '300', 'TRUE'), ('T9', 'A', 'Jazz', '301', 'TRUE'),   -- same id, two contents
    ('T2', 'Les Voix', 'Jazz', '300', 'FALSE');                              -- loaded with other content
INSERT INTO vinylops.staging_users VALUES ('   ', 'Free', '18-24', 'London', 'FALSE');   -- blank id
INSERT INTO vinylops.staging_streams VALUES
    ('C1', 'U1', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '99999999999', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('C2', 'U1', 'T1', '1/1/2024', '12:00:00.5', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('C3', 'U1', 'T1', '1/1/24', '12:00:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('C4', 'U1', 'T1', '1/1/2024', '12:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('C5', repeat('U', 10000), 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('C6', 'U1', 'T1', '1/1/2024', '12:00:00', '12.0', 'Mobile', '10', 'TRUE', 'FALSE', 'FALSE', 'FALSE');
SELECT source, staged = loaded + already_present + rejected AS adds_up, staged, loaded, rejected
FROM vinylops.ingest();
SELECT source, id, reason
FROM (SELECT source, reason,
             left(coalesce(raw_row ->> 'stream_id', raw_row ->> 'track_id', raw_row ->> 'user_id'), 12) AS id
      FROM vinylops.rejected_rows
      WHERE raw_row ->> 'stream_id' LIKE 'C_' OR raw_row ->> 'track_id' IN ('T9', 'T2')
         OR raw_row ->> 'user_id' = '   ') r
ORDER BY source COLLATE "C", id COLLATE "C", reason COLLATE "C";

-- CSV lines with the wrong number of fields, or an empty line, are refused by COPY
-- itself with a clear error before anything is staged (doc/loading.md).
\copy vinylops.staging_users FROM PROGRAM 'printf "user_id,user_type\nU7,Free\n"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_users FROM PROGRAM 'printf "h\nU7,Free,18-24,London,FALSE,extra\n"' WITH (FORMAT csv, HEADER)
\copy vinylops.staging_users FROM PROGRAM 'printf "h\n\nU7,Free,18-24,London,FALSE\n"' WITH (FORMAT csv, HEADER)
SELECT count(*) AS staged_after_copy_errors FROM vinylops.staging_users;

-- An identifier too long to index (random text does not compress) is rejected
-- with a reason instead of failing the whole batch.
INSERT INTO vinylops.staging_streams
SELECT 'L' || string_agg(md5(i::text), ''), 'U1', 'T1', '1/1/2024', '12:00:00', '12', 'Mobile', '10',
       'TRUE', 'FALSE', 'FALSE', 'FALSE'
FROM generate_series(1, 200) i;
INSERT INTO vinylops.staging_users
SELECT 'U' || string_agg(md5(i::text), ''), 'Free', '18-24', 'London', 'FALSE' FROM generate_series(1, 200) i;
SELECT source, staged, loaded, rejected FROM vinylops.ingest() WHERE staged > 0;
SELECT source, left(reason, 40) || '...' || right(reason, 27) AS reason
FROM vinylops.rejected_rows WHERE reason LIKE '%longer than 1000 bytes' ORDER BY source COLLATE "C";
