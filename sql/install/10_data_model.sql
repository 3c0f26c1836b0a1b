-- ---------------------------------------------------------------------------
-- Data model (contract section 1): users, tracks, streams and rejected_rows.
-- Constraints are what clean data satisfies; flaws clean data may still carry
-- (streams longer than their track, shared stream ids) are kept and reported
-- by data_quality().
--
-- Identifiers are text COLLATE "C": they are codes, not words, and byte order
-- makes every sort, group and index on them far cheaper than a linguistic one.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.users (
    user_id             text    COLLATE "C" PRIMARY KEY CHECK (user_id <> ''),
    user_type           text    NOT NULL CHECK (user_type IN ('Free', 'Premium')),
    user_age_group      text,
    geographic_region   text,
    is_quebec_resident  boolean NOT NULL
);

CREATE TABLE @extschema@.tracks (
    track_id            text    COLLATE "C" PRIMARY KEY CHECK (track_id <> ''),
    artist_name         text    NOT NULL,
    genre               text    NOT NULL,
    track_duration_sec  integer NOT NULL CHECK (track_duration_sec > 0),
    is_french_language  boolean NOT NULL
);

-- stream_id is not a key: real data reuses ids for different streams, and both
-- rows must be kept.  stream_key is an internal surrogate that identifies a row.
-- Partitioned by stream_date so a user can split it by month
-- (partition_streams_by_month(), doc/performance.md) and date-bounded reports
-- prune; until then every row lives in streams_default.  The keys and indexes
-- belong to each partition, not to streams: pg_dump cannot restore a user's
-- partition of an extension's table that has partitioned indexes (the attach
-- creates the partition's indexes, then the dump's own CREATE INDEX fails).
CREATE TABLE @extschema@.streams (
    stream_key          bigint   GENERATED ALWAYS AS IDENTITY,
    stream_id           text     COLLATE "C" NOT NULL CHECK (stream_id <> ''),
    user_id             text     COLLATE "C" NOT NULL REFERENCES @extschema@.users (user_id),
    track_id            text     COLLATE "C" NOT NULL REFERENCES @extschema@.tracks (track_id),
    stream_date         date     NOT NULL,
    stream_time         time     NOT NULL,
    hour_of_day         smallint NOT NULL CHECK (hour_of_day BETWEEN 0 AND 23),
    device_type         text     NOT NULL,
    stream_duration_sec integer  NOT NULL CHECK (stream_duration_sec >= 0),
    completed           boolean  NOT NULL,
    skipped             boolean  NOT NULL,
    replayed            boolean  NOT NULL,
    added_to_playlist   boolean  NOT NULL
) PARTITION BY RANGE (stream_date);
CREATE TABLE @extschema@.streams_default PARTITION OF @extschema@.streams
    (PRIMARY KEY (stream_key)) DEFAULT;
-- Finds an already-loaded copy of a staged stream, and serves the duplicate-id check.
CREATE INDEX streams_default_stream_id_idx ON @extschema@.streams_default (stream_id);

-- Every staged row that could not be loaded, with the reason a person can act on.
CREATE TABLE @extschema@.rejected_rows (
    rejected_id  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text        NOT NULL,
    raw_row      jsonb       NOT NULL,
    reason       text        NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX rejected_rows_source_idx ON @extschema@.rejected_rows (source);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.users', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tracks', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.streams', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.streams_default', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.rejected_rows', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.streams_stream_key_seq', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.rejected_rows_rejected_id_seq', '');
