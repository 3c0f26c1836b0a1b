-- Privileges: PUBLIC reaches nothing; vinylops_reader reads; vinylops_loader also loads.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS vinylops CASCADE;
DROP ROLE IF EXISTS regress_vinylops_nobody;
DROP ROLE IF EXISTS regress_vinylops_reader;
DROP ROLE IF EXISTS regress_vinylops_loader;
RESET client_min_messages;
CREATE EXTENSION vinylops;
CREATE ROLE regress_vinylops_nobody;
CREATE ROLE regress_vinylops_reader IN ROLE vinylops_reader;
CREATE ROLE regress_vinylops_loader IN ROLE vinylops_loader;

-- The roles exist, and a loader is a reader.
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'vinylops\_%' ORDER BY rolname COLLATE "C";
SELECT pg_has_role('vinylops_loader', 'vinylops_reader', 'MEMBER') AS loader_is_reader;

-- PUBLIC: no schema usage, so no table and no function.
SET ROLE regress_vinylops_nobody;
SELECT count(*) FROM vinylops.users;
SELECT * FROM vinylops.ingest();
RESET ROLE;
SELECT has_schema_privilege('public', 'vinylops', 'USAGE') AS public_has_usage;

-- A reader reads but cannot load.
SET ROLE regress_vinylops_reader;
SELECT count(*) AS users FROM vinylops.users;
INSERT INTO vinylops.staging_users VALUES ('U1', 'Free', '18-24', 'Montreal', 'TRUE');
SELECT * FROM vinylops.ingest();
SELECT * FROM vinylops.generate_demo_data(10, 1);
DELETE FROM vinylops.streams;
RESET ROLE;

-- A loader generates demo data (without owning the tables: constraints stay in
-- place) and gets exactly the rows the owner gets.
SET ROLE regress_vinylops_loader;
SELECT * FROM vinylops.generate_demo_data(300, 7);
CREATE TEMP TABLE loader_run AS
SELECT md5(string_agg(s::text, '|' ORDER BY s.stream_key)) AS streams_md5 FROM vinylops.streams s;
RESET ROLE;
TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations, vinylops.experiment_assignments;
SELECT * FROM vinylops.generate_demo_data(300, 7);
SELECT (SELECT md5(string_agg(s::text, '|' ORDER BY s.stream_key)) FROM vinylops.streams s)
       = (SELECT streams_md5 FROM loader_run) AS loader_rows_equal_owner_rows;
SELECT count(*) AS constraints_valid FROM pg_constraint
WHERE conrelid = 'vinylops.streams'::regclass AND convalidated;

-- A loader stages and ingests.
TRUNCATE vinylops.users, vinylops.tracks, vinylops.streams, vinylops.playback_events, vinylops.subscriptions,
         vinylops.recommendations, vinylops.experiment_assignments;
SET ROLE regress_vinylops_loader;
INSERT INTO vinylops.staging_users VALUES ('U1', 'Free', '18-24', 'Montreal', 'TRUE');
INSERT INTO vinylops.staging_tracks VALUES ('T1', 'Les Voix', 'Jazz', '300', 'TRUE');
INSERT INTO vinylops.staging_streams VALUES
    ('S1', 'U1', 'T1', '1/1/2024', '1:00:00', '1', 'Mobile', '100', 'TRUE', 'FALSE', 'FALSE', 'FALSE'),
    ('S2', 'U9', 'T1', '1/1/2024', '1:00:00', '1', 'Mobile', '100', 'TRUE', 'FALSE', 'FALSE', 'FALSE');
SELECT * FROM vinylops.ingest();
-- ... but cannot change or remove loaded data.
UPDATE vinylops.users SET user_type = 'Premium';
TRUNCATE vinylops.streams;
RESET ROLE;

DROP TABLE loader_run;
DROP EXTENSION vinylops CASCADE;
DROP ROLE regress_vinylops_nobody;
DROP ROLE regress_vinylops_reader;
DROP ROLE regress_vinylops_loader;
