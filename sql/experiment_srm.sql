-- The sample-ratio row of experiment_report() and the launch rule on a 52/48 split
-- of 100,000 active users.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;
INSERT INTO vinylops.tracks VALUES ('T1', 'Artist', 'Pop', 300, false);

-- 52/48 at 100,000 users: chi-square = 2 * 2000^2 / 50000 = 160, p = erfc(sqrt(80)):
-- /usr/bin/python3 -c "import math; print(math.erfc(math.sqrt(80)))" -> 1.1314837902432894e-36
INSERT INTO vinylops.users SELECT 'S' || lpad(i::text, 6, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 100000) i;
INSERT INTO vinylops.experiment_assignments (experiment, user_id, arm, assigned_at)
SELECT 'split52', 'S' || lpad(i::text, 6, '0'), CASE WHEN i <= 52000 THEN 'treatment' ELSE 'control' END, '2024-02-28'
FROM generate_series(1, 100000) i;
INSERT INTO vinylops.streams (stream_id, user_id, track_id, stream_date, stream_time, hour_of_day, device_type,
                              stream_duration_sec, completed, skipped, replayed, added_to_playlist)
SELECT 'SRM' || i, 'S' || lpad(i::text, 6, '0'), 'T1', date '2024-03-01' + i % 14, '12:00:00', 12,
       'Mobile', 200, true, false, false, false
FROM generate_series(1, 100000) i;
SELECT n_control, n_treatment, mean_control AS expected_pct, mean_treatment AS observed_pct,
       abs(p_value / 1.1314837902432894e-36 - 1) < 1e-9 AS p_as_python, verdict
FROM vinylops.experiment_report('split52', '2024-03-01', '2024-03-14') WHERE role = 'srm';
SELECT decision, reasons[6] FROM vinylops.ship_decision('split52', '2024-03-01', '2024-03-14');
-- Designed as 52/48, the same split is as expected.
SELECT verdict FROM vinylops.experiment_report('split52', '2024-03-01', '2024-03-14', expected_treatment_share => 0.52)
WHERE role = 'srm';
