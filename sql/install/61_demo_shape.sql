-- ---------------------------------------------------------------------------
-- Demo data, part 2: the shape rules.  Each is a small IMMUTABLE SQL function
-- (inlined by the planner) so the users, tracks and streams queries share one
-- definition of every rule.  The weights are the reference data set's own
-- counts (shared/data/vinyl-ops-2024); doc/demo_data.md explains each rule.
-- Salts: streams 1-16, users 101-106, tracks 201, days 301 (see doc/demo_data.md).
-- ---------------------------------------------------------------------------

-- How many users a data set of `streams` streams has: the reference's 3,103 per
-- 4,846 streams up to that size, then growing with the square root of the
-- stream count (more streams per user, as a platform's history gets longer).
CREATE FUNCTION @extschema@.demo_user_count(streams bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN streams <= 0 THEN 0
                WHEN streams <= 4846 THEN (streams * 3103 + 4845) / 4846
                ELSE pg_catalog.round(3103 * pg_catalog.sqrt(streams / 4846.0::float8))::bigint
           END;
END;

-- How many tracks: the reference's 3,745 per 4,846 streams, at least 69 (one
-- per artist), then growing with the square root of the stream count.
CREATE FUNCTION @extschema@.demo_track_count(streams bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN streams <= 0 THEN 0
                WHEN streams <= 4846 THEN greatest(69, (streams * 3745 + 4845) / 4846)
                ELSE pg_catalog.round(3745 * pg_catalog.sqrt(streams / 4846.0::float8))::bigint
           END;
END;

-- Digits in a zero-padded id numbering 1..n: at least min_width, more when n needs them.
CREATE FUNCTION @extschema@.demo_id_width(n bigint, min_width integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT greatest(min_width, pg_catalog.length(n::text));
END;

-- ----- users ---------------------------------------------------------------

-- Market of user k (1..6, see demo_region_name), weighted like the reference's users.
CREATE FUNCTION @extschema@.demo_region(seed integer, k bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_choice(@extschema@.demo_uniform(seed, k, 101),
                                   '{514,515,530,494,504,546}'::float8[]);
END;

-- Market names; Montreal (3) is the Quebec market: its users, and only they, are Quebec residents.
CREATE FUNCTION @extschema@.demo_region_name(region integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{Toronto,"New York City",Montreal,Vancouver,"Los Angeles",London}'::text[])[region];
END;

-- Premium or not: Premium share by market (about 52.5 % overall, the reference has 52.7 %);
-- Montreal and Vancouver a little below, New York and Los Angeles a little above.
CREATE FUNCTION @extschema@.demo_premium(seed integer, k bigint, region integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_uniform(seed, k, 102)
           < ('{0.53,0.56,0.50,0.49,0.55,0.52}'::float8[])[region];
END;

-- Age group of user k (1..4), weighted like the reference's users.
CREATE FUNCTION @extschema@.demo_age_group(seed integer, k bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_choice(@extschema@.demo_uniform(seed, k, 103),
                                   '{952,844,679,628}'::float8[]);
END;

-- Age group labels.
CREATE FUNCTION @extschema@.demo_age_group_name(age_group integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{18-24,25-34,35-44,45+}'::text[])[age_group];
END;

-- Users are numbered in signup order: the first 80 % ("established": users - users / 5)
-- were subscribers before 2024, the other 20 % ("newcomers": users / 5) sign up evenly
-- over the half-year.  First day user k may stream on (0 = 2024-01-01).
CREATE FUNCTION @extschema@.demo_first_day(established bigint, newcomers bigint, k bigint)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN k <= established THEN 0
                ELSE (182 * (k - established - 1) / newcomers)::integer END;
END;

-- How many users have signed up by day d: users 1 .. this number may stream on day d
-- (the count of k with demo_first_day(established, newcomers, k) <= d, in closed form).
CREATE FUNCTION @extschema@.demo_users_by_day(established bigint, newcomers bigint, d integer)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT established + least(newcomers, ((d + 1) * newcomers + 181) / 182);
END;

-- Last day user k streams on (181 = 2024-06-30): 12 % stop on a day drawn evenly
-- between their first day and the end of June.
CREATE FUNCTION @extschema@.demo_last_day(seed integer, established bigint, newcomers bigint,
                                          k bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN @extschema@.demo_uniform(seed, k, 104) < 0.12
                THEN @extschema@.demo_first_day(established, newcomers, k)
                     + pg_catalog.floor(@extschema@.demo_uniform(seed, k, 105)
                                        * (182 - @extschema@.demo_first_day(established, newcomers, k)))::integer
                ELSE 181 END;
END;

-- Relative stream volume of day d (0 .. 181): +-15 % from day to day, and 10 %
-- more at the end of June than at New Year.
CREATE FUNCTION @extschema@.demo_day_weight(seed integer, d integer) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT (0.85 + 0.3 * @extschema@.demo_uniform(seed, d, 301)) * (1 + 0.1::float8 * d / 181);
END;

-- How engaged user k is, uniform in [0, 1): it tilts completion, replays and
-- playlist adds around the averages, so users fall into different segments.
CREATE FUNCTION @extschema@.demo_engagement(seed integer, k bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_uniform(seed, k, 106);
END;

-- ----- tracks --------------------------------------------------------------
-- Genres 1..8 in alphabetical order.  Track numbers are laid out in one block
-- per genre, and inside a block French tracks come first, so a stream picks a
-- track of a given genre and language with arithmetic instead of a lookup.

-- Genre labels.
CREATE FUNCTION @extschema@.demo_genre_name(genre integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{Classical,EDM,Electronic,"Indie Rock",Jazz,"Lo-fi Hip-Hop",Pop,R&B}'::text[])[genre];
END;

-- Track length per genre: the reference gives every track of a genre the same length.
CREATE FUNCTION @extschema@.demo_genre_duration(genre integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{450,270,240,225,300,210,215,200}'::integer[])[genre];
END;

-- Number of the last track before genre's block (genre 9 gives the catalogue size):
-- each genre has one track per artist plus its reference share (526, 512, 463, 491,
-- 474, 583, 362, 334 of 3,745 tracks) of the rest.  Needs tracks >= 69.
CREATE FUNCTION @extschema@.demo_genre_block_start(tracks bigint, genre integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{0,8,17,26,35,43,51,60,69}'::bigint[])[genre]
           + (tracks - 69) * ('{0,526,1038,1501,1992,2466,3049,3411,3745}'::bigint[])[genre] / 3745;
END;

-- French tracks at the start of genre's block: the reference's French share of the
-- genre's tracks (169/526, 43/512, 74/463, 43/491, 91/474, 98/583, 29/362, 28/334), rounded.
CREATE FUNCTION @extschema@.demo_genre_french_tracks(tracks bigint, genre integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ((@extschema@.demo_genre_block_start(tracks, genre + 1)
             - @extschema@.demo_genre_block_start(tracks, genre))
            * 2 * ('{169,43,74,43,91,98,29,28}'::bigint[])[genre]
            + ('{526,512,463,491,474,583,362,334}'::bigint[])[genre])
           / (2 * ('{526,512,463,491,474,583,362,334}'::bigint[])[genre]);
END;

-- The 69 artists, genre by genre (8, 9, 9, 9, 8, 8, 9, 9), as in the reference data.
CREATE FUNCTION @extschema@.demo_artist_name(genre integer, artist integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{"Baroque Collection","Classical Evening","Classical Masters","Orchestra Nova",'
            '"Orchestra Prime","Symphony Hall","Vienna Philharmonic","Vienna Strings",'
            '"Bass Cannon","Bass Drop","Crystal Method","Drop It","Drop The Beat",'
            '"Festival 2024","Festival Vibes","Rave Madness","Rave Nation",'
            '"Digital Pulse","Electric Horizon","Electro House","Electronic Sunrise",'
            '"Neon Pulse","Synth Wave","Synthwave Dreams","Techno Beats","Techno Pulse",'
            '"Alternative Edge","Garage Revolution","Guitar Heroes","Indie Collective",'
            '"Rock Anthem","Rock Revolution","The Midnight Collective","The Rebel Sound",'
            '"Underground Sound",'
            '"Bebop Blues","Cool Jazz","Jazz Cafe","Jazz Lounge","Miles Beyond",'
            '"Night Saxophone","Smooth Jazz","Smooth Jazz Cafe",'
            '"Chill Beats","Chill Vibes","Lofi Dreams","Lofi Study","Luna Waves",'
            '"Midnight Chill","Study Beats","Study Lofi",'
            '"Autumn Hearts","Chart Topper","Hit Single","Pop Revolution","Pop Sensation",'
            '"Pop Star","Radio Hit","Starlight Echo","Summer Anthem",'
            '"R&B Nights","Smooth Groove","Smooth Operator","Smooth Soul","Soulful",'
            '"Soulful Nights","Urban Groove","Urban Soul","Velvet Skies"}'::text[])
           [('{0,8,17,26,35,43,51,60}'::integer[])[genre] + artist];
END;

-- Artists per genre.
CREATE FUNCTION @extschema@.demo_genre_artists(genre integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{8,9,9,9,8,8,9,9}'::integer[])[genre];
END;

-- ----- streams -------------------------------------------------------------

-- Genre of a stream (1..8), weighted like the reference's streams per genre.
CREATE FUNCTION @extschema@.demo_stream_genre(u float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_choice(u, '{811,736,632,649,601,669,406,342}'::float8[]);
END;

-- Chance that a stream of genre is a French track: the reference's French share of the
-- genre's streams (270/811, 70/736, 90/632, 61/649, 121/601, 113/669, 36/406, 28/342);
-- Quebec residents have 2.5 times the odds (about 31 % French overall against 17 %).
CREATE FUNCTION @extschema@.demo_french_chance(genre integer, quebec boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN quebec
                THEN ('{0.5551,0.2081,0.2934,0.2059,0.3866,0.3369,0.1957,0.1823}'::float8[])[genre]
                ELSE ('{0.3329,0.0951,0.1424,0.0940,0.2013,0.1689,0.0887,0.0819}'::float8[])[genre]
           END;
END;

-- Hour of a stream (0..23), weighted by the reference's streams per hour: a midday
-- peak (10-14 h) and a late-evening one (20 h-2 h).
CREATE FUNCTION @extschema@.demo_hour(u float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_choice(u, '{225,220,235,127,111,120,145,134,152,140,304,304,'
                                      '299,297,318,131,137,128,129,146,255,242,286,261}'::float8[]) - 1;
END;

-- Device of a stream (1 Desktop, 2 Mobile, 3 Smart Speaker), weighted like the reference.
CREATE FUNCTION @extschema@.demo_device(u float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT @extschema@.demo_choice(u, '{1523,2178,1145}'::float8[]);
END;

-- Device labels.
CREATE FUNCTION @extschema@.demo_device_name(device integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{Desktop,Mobile,"Smart Speaker"}'::text[])[device];
END;

-- Chance a stream is completed: the reference's completion per device (79.0, 69.9,
-- 86.1 %), tilted +-15 points by the user's engagement, +6 points when a Quebec
-- resident plays a French track.
CREATE FUNCTION @extschema@.demo_completion_chance(device integer, engagement float8,
                                                   quebec_french boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{0.790,0.699,0.861}'::float8[])[device] + 0.3 * (engagement - 0.5)
           + CASE WHEN quebec_french THEN 0.06::float8 ELSE 0::float8 END;
END;

-- Chance a completed stream is replayed: the reference's replays per completed stream of
-- the genre, scaled 0.5x-1.5x by engagement, +8 points for a Quebec resident on a French track.
CREATE FUNCTION @extschema@.demo_replay_chance(genre integer, engagement float8,
                                               quebec_french boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT ('{0.186,0.345,0.341,0.157,0.238,0.257,0.131,0.167}'::float8[])[genre] * (0.5 + engagement)
           + CASE WHEN quebec_french THEN 0.08::float8 ELSE 0::float8 END;
END;

-- Chance a stream adds the track to a playlist: reference rates (Premium 30 %, Free 17 %
-- of completed streams; 4.5 % and 2 % of the others), scaled 0.5x-1.5x by engagement,
-- +5 points for a Quebec resident completing a French track.
CREATE FUNCTION @extschema@.demo_playlist_chance(completed boolean, premium boolean,
                                                 engagement float8, quebec_french boolean)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN completed
                THEN (CASE WHEN premium THEN 0.30::float8 ELSE 0.17::float8 END) * (0.5 + engagement)
                     + CASE WHEN quebec_french THEN 0.05::float8 ELSE 0::float8 END
                ELSE (CASE WHEN premium THEN 0.045::float8 ELSE 0.02::float8 END) * (0.5 + engagement)
           END;
END;

-- Seconds listened, from the outcome and a uniform v: completed streams play the whole
-- track (85 %) or jump to the end after half or more; skips stop at 15-80 % of the track,
-- other abandoned plays at 5-90 %; an impossible stream (the reference has 1.7 %) runs
-- 1 s to a third longer than the track.
CREATE FUNCTION @extschema@.demo_listened(track_sec integer, impossible boolean, completed boolean,
                                          skipped boolean, v float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN impossible THEN track_sec + 1 + pg_catalog.floor(v * track_sec / 3)::integer
                WHEN completed AND v < 0.85 THEN track_sec
                WHEN completed THEN pg_catalog.floor(track_sec * (0.5 + (v - 0.85) / 0.3))::integer
                WHEN skipped THEN pg_catalog.floor(track_sec * (0.15 + 0.65 * v))::integer
                ELSE pg_catalog.floor(track_sec * (0.05 + 0.85 * v))::integer
           END;
END;
