-- ---------------------------------------------------------------------------
-- Privileges.  PUBLIC gets nothing beyond PostgreSQL's defaults: without USAGE
-- on the schema it reaches no vinylops object.  Two roles carry the access:
--   vinylops_reader  reads the tables and runs every report and data_quality();
--   vinylops_loader  is a reader that may also stage, ingest and generate demo data.
-- Every function is SECURITY INVOKER, so row-level security on the tables holds
-- in every report.  Roles are cluster-wide: DROP EXTENSION leaves them in place.
-- ---------------------------------------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vinylops_reader') THEN
        CREATE ROLE vinylops_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vinylops_loader') THEN
        CREATE ROLE vinylops_loader NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('vinylops_loader', 'vinylops_reader', 'MEMBER') THEN
        GRANT vinylops_reader TO vinylops_loader;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA @extschema@ TO vinylops_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO vinylops_reader;

-- Loading: stage, then ingest() moves rows into the typed tables.
GRANT INSERT, SELECT, DELETE ON @extschema@.staging_users, @extschema@.staging_tracks,
                                @extschema@.staging_streams TO vinylops_loader;
GRANT INSERT ON @extschema@.users, @extschema@.tracks, @extschema@.streams,
                @extschema@.rejected_rows TO vinylops_loader;
-- generate_demo_data() restarts the key sequences after the keys it writes.
GRANT UPDATE ON SEQUENCE @extschema@.streams_stream_key_seq, @extschema@.users_user_key_seq,
                         @extschema@.tracks_track_key_seq TO vinylops_loader;

-- The platform tables (sql/install/35-39) load the same way.
GRANT INSERT, SELECT, DELETE ON @extschema@.staging_playback_events, @extschema@.staging_subscriptions,
                                @extschema@.staging_recommendations TO vinylops_loader;
GRANT INSERT ON @extschema@.playback_events, @extschema@.subscriptions,
                @extschema@.recommendations TO vinylops_loader;
REVOKE EXECUTE ON FUNCTION @extschema@.ingest_playback_events(), @extschema@.ingest_subscriptions(),
                           @extschema@.ingest_recommendations(),
                           @extschema@.platform_demo_fill(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.ingest_playback_events(), @extschema@.ingest_subscriptions(),
                          @extschema@.ingest_recommendations(),
                          @extschema@.platform_demo_fill(integer) TO vinylops_loader;

-- Functions that write run only for loaders (and the owner).
REVOKE EXECUTE ON FUNCTION @extschema@.ingest(), @extschema@.ingest_users(),
                           @extschema@.ingest_tracks(), @extschema@.ingest_streams(),
                           @extschema@.generate_demo_data(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.ingest(), @extschema@.ingest_users(),
                          @extschema@.ingest_tracks(), @extschema@.ingest_streams(),
                          @extschema@.generate_demo_data(bigint, integer) TO vinylops_loader;

-- Listening logs and experiments: loaders stage and ingest scrobbles and assign users.
GRANT INSERT, SELECT, DELETE ON @extschema@.staging_scrobbles TO vinylops_loader;
GRANT INSERT ON @extschema@.experiment_assignments TO vinylops_loader;
GRANT EXECUTE ON FUNCTION @extschema@.ingest_scrobbles(interval, interval),
                          @extschema@.assign_by_hash(text, integer) TO vinylops_loader;

-- Partitioning streams attaches tables to it, which only its owner may do.
REVOKE EXECUTE ON FUNCTION @extschema@.partition_streams_by_month(date, date) FROM PUBLIC;
