-- ---------------------------------------------------------------------------
-- The surrogate keys streams carry (user_key, track_key; 10_data_model.sql).
-- ingest() and generate_demo_data() write them with each row; a writer who
-- leaves them out — a plain INSERT from psql or a BI tool — gets them looked
-- up here, and so does an UPDATE that changes a stream's ids but not its keys.
-- The trigger's WHEN clause keeps it off the bulk loaders' path entirely.
-- ---------------------------------------------------------------------------

-- Looks up the keys a stream row lacks.  An id users (or tracks) does not have
-- leaves its key NULL: the id's own foreign key then rejects the row with
-- PostgreSQL's usual message, and where that key is set aside the orphan is
-- kept, as before, for data_quality() to report.
CREATE FUNCTION @extschema@.streams_fill_keys() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.user_key IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id
           AND NEW.user_key IS NOT DISTINCT FROM OLD.user_key) THEN
        NEW.user_key := (SELECT u.user_key FROM @extschema@.users u WHERE u.user_id = NEW.user_id);
    END IF;
    IF NEW.track_key IS NULL
       OR (TG_OP = 'UPDATE' AND NEW.track_id IS DISTINCT FROM OLD.track_id
           AND NEW.track_key IS NOT DISTINCT FROM OLD.track_key) THEN
        NEW.track_key := (SELECT t.track_key FROM @extschema@.tracks t WHERE t.track_id = NEW.track_id);
    END IF;
    RETURN NEW;
END
$$;

-- On the partitioned table, so every partition (partition_streams_by_month's too) has it.
CREATE TRIGGER streams_fill_keys_on_insert
    BEFORE INSERT ON @extschema@.streams
    FOR EACH ROW WHEN (NEW.user_key IS NULL OR NEW.track_key IS NULL)
    EXECUTE FUNCTION @extschema@.streams_fill_keys();
CREATE TRIGGER streams_fill_keys_on_update
    BEFORE UPDATE OF user_id, track_id, user_key, track_key ON @extschema@.streams
    FOR EACH ROW WHEN (NEW.user_key IS NULL OR NEW.track_key IS NULL
                       OR (NEW.user_id IS DISTINCT FROM OLD.user_id
                           AND NEW.user_key IS NOT DISTINCT FROM OLD.user_key)
                       OR (NEW.track_id IS DISTINCT FROM OLD.track_id
                           AND NEW.track_key IS NOT DISTINCT FROM OLD.track_key))
    EXECUTE FUNCTION @extschema@.streams_fill_keys();
