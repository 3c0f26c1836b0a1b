-- ---------------------------------------------------------------------------
-- Staging tables (contract section 2): all text, in the reference CSV column
-- order, so `\copy vinylops.staging_x FROM 'file.csv' WITH (FORMAT csv, HEADER)`
-- loads the files as they are.  ingest() validates and empties them.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.staging_users (
    user_id            text,
    user_type          text,
    user_age_group     text,
    geographic_region  text,
    is_quebec_resident text
);

CREATE TABLE @extschema@.staging_tracks (
    track_id           text,
    artist_name        text,
    genre              text,
    track_duration_sec text,
    is_french_language text
);

CREATE TABLE @extschema@.staging_streams (
    stream_id           text,
    user_id             text,
    track_id            text,
    stream_date         text,
    stream_time         text,
    hour_of_day         text,
    device_type         text,
    stream_duration_sec text,
    completed           text,
    skipped             text,
    replayed            text,
    added_to_playlist   text
);
