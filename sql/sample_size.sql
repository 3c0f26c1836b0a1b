-- normal_quantile() and required_sample_size() against values computed outside
-- PostgreSQL by scripts/check_sample_size.py (mpmath to 50 digits, SciPy, and the
-- textbook formulas written out in Python; rerun it to regenerate the lists below).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- (p, exact quantile rounded to a double, SciPy ndtri).  AS 241 is within 1e-15 relative of
-- the exact value everywhere, from p = 1e-300 to 1 - 1e-10.
CREATE TEMP TABLE quantile_reference (p float8, exact float8, scipy float8);
INSERT INTO quantile_reference VALUES
    (1e-300::float8, -37.0470962993612::float8, -37.0470962993612::float8),
    (1e-100::float8, -21.273453560965326::float8, -21.273453560965322::float8),
    (1e-20::float8, -9.262340089798407::float8, -9.262340089798409::float8),
    (1e-10::float8, -6.361340902404057::float8, -6.361340902404056::float8),
    (1e-05::float8, -4.264890793922825::float8, -4.264890793922825::float8),
    (0.001::float8, -3.0902323061678136::float8, -3.090232306167813::float8),
    (0.01::float8, -2.326347874040841::float8, -2.3263478740408408::float8),
    (0.025::float8, -1.9599639845400543::float8, -1.9599639845400545::float8),
    (0.05::float8, -1.6448536269514726::float8, -1.6448536269514729::float8),
    (0.075::float8, -1.439531470938456::float8, -1.4395314709384563::float8),
    (0.1::float8, -1.2815515655446004::float8, -1.2815515655446004::float8),
    (0.2::float8, -0.8416212335729142::float8, -0.8416212335729142::float8),
    (0.3::float8, -0.5244005127080408::float8, -0.5244005127080409::float8),
    (0.4::float8, -0.2533471031357997::float8, -0.2533471031357997::float8),
    (0.45::float8, -0.12566134685507402::float8, -0.12566134685507402::float8),
    (0.5::float8, 0.0::float8, 0.0::float8),
    (0.55::float8, 0.12566134685507416::float8, 0.12566134685507416::float8),
    (0.6::float8, 0.2533471031357997::float8, 0.2533471031357997::float8),
    (0.7::float8, 0.5244005127080407::float8, 0.5244005127080407::float8),
    (0.8::float8, 0.8416212335729144::float8, 0.8416212335729143::float8),
    (0.9::float8, 1.2815515655446006::float8, 1.2815515655446004::float8),
    (0.925::float8, 1.4395314709384561::float8, 1.4395314709384563::float8),
    (0.95::float8, 1.6448536269514722::float8, 1.6448536269514722::float8),
    (0.975::float8, 1.9599639845400538::float8, 1.959963984540054::float8),
    (0.99::float8, 2.3263478740408408::float8, 2.3263478740408408::float8),
    (0.999::float8, 3.090232306167813::float8, 3.090232306167813::float8),
    (0.9999999999::float8, 6.361340889697422::float8, 6.361340889697422::float8);
SELECT count(*) AS points,
       count(*) FILTER (WHERE abs(vinylops.normal_quantile(p) - exact) <= 1e-15 * greatest(1, abs(exact))) AS within_1e_15,
       count(*) FILTER (WHERE abs(vinylops.normal_quantile(p) - scipy) <= 1e-15 * greatest(1, abs(scipy))) AS within_1e_15_of_scipy
FROM quantile_reference;
SELECT p, exact, vinylops.normal_quantile(p) AS as241 FROM quantile_reference
WHERE abs(vinylops.normal_quantile(p) - exact) > 1e-15 * greatest(1, abs(exact));
-- The centre, the ends, and exact symmetry where 1 - p is exact (dyadic p).
SELECT vinylops.normal_quantile(0.5) AS median, vinylops.normal_quantile(0) AS at_0,
       vinylops.normal_quantile(1) AS at_1, vinylops.normal_quantile(NULL) AS at_null,
       (SELECT bool_and(vinylops.normal_quantile(p) = -vinylops.normal_quantile(1 - p))
        FROM unnest(ARRAY[2 ^ (-40), 2 ^ (-20), 2 ^ (-10), 0.0625, 0.125, 0.25, 0.375, 0.4375]) p) AS symmetric;
SELECT vinylops.normal_quantile(-0.1);
SELECT vinylops.normal_quantile(1.5);
SELECT vinylops.normal_quantile('NaN');

-- Users per arm.  Mean metric: 2 sd^2 (z_{1-alpha/2} + z_power)^2 / (baseline * lift / 100)^2.
-- (baseline, lift %, sd, alpha, power, n before rounding up, users per arm), from Python:
-- the first row is the textbook case of a half-sd difference, 63 per group.
SELECT b, lift, sd, a, pw, want, vinylops.required_sample_size('mean', b, lift, sd, a, pw) AS got,
       vinylops.required_sample_size('mean', b, lift, sd, a, pw) = want AS agrees
FROM (VALUES
    (1.0, 50, 1.0, 0.05, 0.8, 62.7910378748, 63),
    (12.5, 2, 8.0, 0.05, 0.8, 16074.5056959469, 16075),
    (12.5, 5, 8.0, 0.05, 0.9, 3443.0723887729, 3444),
    (300, -3, 120, 0.01, 0.8, 4152.5220173064, 4153),
    (40, 10, 55, 0.1, 0.95, 4092.1344743193, 4093)
     ) AS v (b, lift, sd, a, pw, exact_n, want);
-- Proportion: (z_a sqrt(2 pbar qbar) + z_b sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2 (Fleiss, no
-- continuity correction); 10 % -> 12 % at alpha 0.05, power 0.8 is the familiar 3,841.
SELECT r, lift, a, pw, want, vinylops.required_sample_size('proportion', r, lift, alpha => a, power => pw) AS got,
       vinylops.required_sample_size('proportion', r, lift, alpha => a, power => pw) = want AS agrees
FROM (VALUES
    (0.1, 20, 0.05, 0.8, 3840.8474824363, 3841),
    (0.3, 5, 0.05, 0.8, 14855.4421992227, 14856),
    (0.02, 10, 0.05, 0.9, 108008.9782601424, 108009),
    (0.6, -4, 0.01, 0.8, 9822.5204681630, 9823),
    (0.45, 2, 0.1, 0.95, 66247.6363734174, 66248)
     ) AS v (r, lift, a, pw, exact_n, want);
-- Defaults are alpha 0.05 and power 0.8.
SELECT vinylops.required_sample_size('mean', 12.5, 2, 8.0) AS mean_defaults,
       vinylops.required_sample_size('proportion', 0.1, 20) AS proportion_defaults;
-- A second route for the mean: the same formula spelled in SQL from the quantiles.
SELECT ceil(2 * 8.0 ^ 2 * (vinylops.normal_quantile(0.975) + vinylops.normal_quantile(0.8)) ^ 2
            / (12.5 * 0.02) ^ 2) AS by_hand;

-- Bad arguments.
SELECT vinylops.required_sample_size('median', 1, 5, 1);
SELECT vinylops.required_sample_size('mean', 1, 5);
SELECT vinylops.required_sample_size('mean', 0, 5, 1);
SELECT vinylops.required_sample_size('mean', 1, 0, 1);
SELECT vinylops.required_sample_size('mean', 1, 'Infinity', 1);
SELECT vinylops.required_sample_size('mean', 1, 5, 'NaN');
SELECT vinylops.required_sample_size('proportion', 1.2, 5);
SELECT vinylops.required_sample_size('proportion', 0.9, 20);
SELECT vinylops.required_sample_size('proportion', 0.5, 5, 0.1);
SELECT vinylops.required_sample_size('mean', 1, 5, 1, alpha => 0);
SELECT vinylops.required_sample_size('mean', 1, 5, 1, power => 0.3);
SELECT vinylops.required_sample_size('mean', 1, 5, 1, power => 1);
