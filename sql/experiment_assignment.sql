-- assign_by_hash(): the documented hash, checked against Python's hashlib, and
-- the assignment's idempotence.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
RESET client_min_messages;
CREATE EXTENSION vinylops;

-- Buckets computed outside PostgreSQL with
--   /usr/bin/python3 -c "import hashlib; b = lambda e, u: int(hashlib.md5((e + ':' + u).encode('utf-8')).hexdigest()[:16], 16) % 100; print(b('exp', 'USER_0002'))"
-- exp:USER_0002 -> md5 a4eaf1aaa9f89e55..., 0xa4eaf1aaa9f89e55 = 11883576282068852309, mod 100 = 9
-- exp:USER_0001 -> 63;  exp:USER_0003 -> 9;  écoute-2024:USER_0002 -> 90 (UTF-8 bytes of é);
-- exp:ユーザー -> 59;  exp: (empty user) -> 12;  :USER_0002 (empty experiment) -> 27
SELECT e, u, vinylops.experiment_bucket(e, u) AS bucket, expected,
       vinylops.experiment_bucket(e, u) = expected AS agrees
FROM (VALUES ('exp', 'USER_0002', 9), ('exp', 'USER_0001', 63), ('exp', 'USER_0003', 9),
             ('écoute-2024', 'USER_0002', 90), ('exp', 'ユーザー', 59), ('exp', '', 12),
             ('', 'USER_0002', 27)) AS v (e, u, expected);
SELECT vinylops.experiment_bucket(NULL, 'USER_0002') AS null_experiment;

-- Second route in SQL: the eight bytes one at a time (byte i weighs 256^(7-i)).
SELECT count(*) AS users_checked,
       count(*) FILTER (WHERE vinylops.experiment_bucket('exp', u) <> by_bytes) AS disagreements
FROM (SELECT u, (SELECT sum(get_byte(decode(md5(convert_to('exp:' || u, 'UTF8')), 'hex'), i)::numeric
                            * 256::numeric ^ (7 - i)) FROM generate_series(0, 7) i) % 100 AS by_bytes
      FROM (SELECT 'USER_' || lpad(n::text, 4, '0') AS u FROM generate_series(1, 1000) n) us) x;

INSERT INTO vinylops.users
SELECT 'USER_' || lpad(n::text, 4, '0'), 'Free', NULL, NULL, false FROM generate_series(1, 1000) n;

-- 1000 users at 50 %: Python counts 495 in treatment
--   sum(1 for i in range(1, 1001) if b('exp', 'USER_%04d' % i) < 50) == 495
SELECT * FROM vinylops.assign_by_hash('exp');
-- Every arm follows the rule, and the worked example is in treatment (bucket 9 < 50).
SELECT count(*) FILTER (WHERE (arm = 'treatment') <> (vinylops.experiment_bucket(experiment, user_id) < 50)) AS off_rule
FROM vinylops.experiment_assignments;
SELECT arm FROM vinylops.experiment_assignments WHERE experiment = 'exp' AND user_id = 'USER_0002';

-- A second call assigns nothing new and changes nothing.
CREATE TEMP TABLE first_pass AS SELECT * FROM vinylops.experiment_assignments;
SELECT * FROM vinylops.assign_by_hash('exp');
SELECT count(*) AS changed FROM (SELECT * FROM vinylops.experiment_assignments
                                 EXCEPT SELECT * FROM first_pass) x;

-- New users join at the share of the call that assigns them; existing users keep their arm.
INSERT INTO vinylops.users
SELECT 'USER_' || lpad(n::text, 4, '0'), 'Free', NULL, NULL, false FROM generate_series(1001, 1010) n;
SELECT * FROM vinylops.assign_by_hash('exp', 100);
SELECT count(*) AS changed FROM (SELECT * FROM first_pass
                                 EXCEPT SELECT * FROM vinylops.experiment_assignments) x;

-- Another experiment is independent: 10 % of 1010 users.  Python:
--   sum(1 for i in range(1, 1011) if b('exp10', 'USER_%04d' % i) < 10) == 91
SELECT * FROM vinylops.assign_by_hash('exp10', 10);
-- 0 % and 100 % are allowed and put everyone in one arm.
SELECT * FROM vinylops.assign_by_hash('none', 0);
SELECT * FROM vinylops.assign_by_hash('all', 100);

-- The table is dumped with the extension's data.
SELECT 'vinylops.experiment_assignments'::regclass = ANY (extconfig) AS dumped
FROM pg_extension WHERE extname = 'vinylops';

-- Bad arguments.
SELECT * FROM vinylops.assign_by_hash('exp', 101);
SELECT * FROM vinylops.assign_by_hash('exp', -1);
SELECT * FROM vinylops.assign_by_hash('exp', NULL);
SELECT * FROM vinylops.assign_by_hash('');
SELECT * FROM vinylops.assign_by_hash(NULL);
INSERT INTO vinylops.experiment_assignments VALUES ('exp', 'USER_0001', 'variant', '2024-01-01 00:00:00+00');
