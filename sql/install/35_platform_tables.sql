-- ---------------------------------------------------------------------------
-- Platform operations (contract section 6): player telemetry, the subscription
-- ledger and recommendations, beside the listening data.  doc/platform.md
-- defines every report on them; doc/loading.md how they load.
-- ---------------------------------------------------------------------------

-- One player event.  track_id is NULL only for an error raised before a track
-- loaded; duration_ms is the startup time of a 'play' and the length of a
-- 'buffer' (both required), optional otherwise; error_code belongs to 'error' only.
CREATE TABLE @extschema@.playback_events (
    event_id     text        COLLATE "C" PRIMARY KEY CHECK (event_id <> ''),
    user_id      text        COLLATE "C" NOT NULL REFERENCES @extschema@.users (user_id),
    track_id     text        COLLATE "C" REFERENCES @extschema@.tracks (track_id),
    session_id   text        COLLATE "C" NOT NULL CHECK (session_id <> ''),
    event_type   text        NOT NULL
                             CHECK (event_type IN ('play', 'pause', 'resume', 'stop', 'buffer', 'error')),
    event_time   timestamptz NOT NULL,
    duration_ms  integer     CHECK (duration_ms >= 0),
    error_code   text,
    device_type  text        NOT NULL,
    CHECK ((event_type = 'error') = (error_code IS NOT NULL)),
    CHECK (track_id IS NOT NULL OR event_type = 'error'),
    CHECK (duration_ms IS NOT NULL OR event_type NOT IN ('play', 'buffer'))
);

-- One subscription: open (end_date NULL) while active, closed once cancelled or expired.
CREATE TABLE @extschema@.subscriptions (
    subscription_id text          COLLATE "C" PRIMARY KEY CHECK (subscription_id <> ''),
    user_id         text          COLLATE "C" NOT NULL REFERENCES @extschema@.users (user_id),
    plan            text          NOT NULL CHECK (plan <> ''),
    monthly_price   numeric(10,2) NOT NULL CHECK (monthly_price >= 0),
    start_date      date          NOT NULL,
    end_date        date          CHECK (end_date >= start_date),
    status          text          NOT NULL CHECK (status IN ('active', 'cancelled', 'expired')),
    CHECK ((status = 'active') = (end_date IS NULL))
);

-- One recommendation of a track to a user; played = the user streamed it afterwards.
CREATE TABLE @extschema@.recommendations (
    user_id         text        COLLATE "C" NOT NULL REFERENCES @extschema@.users (user_id),
    track_id        text        COLLATE "C" NOT NULL REFERENCES @extschema@.tracks (track_id),
    recommended_at  timestamptz NOT NULL,
    algorithm       text        COLLATE "C" NOT NULL CHECK (algorithm <> ''),
    played          boolean     NOT NULL,
    PRIMARY KEY (user_id, track_id, recommended_at, algorithm)
);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.playback_events', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.subscriptions', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.recommendations', '');

-- Staging tables: all text, in the typed tables' column order.
CREATE TABLE @extschema@.staging_playback_events (
    event_id     text,
    user_id      text,
    track_id     text,
    session_id   text,
    event_type   text,
    event_time   text,
    duration_ms  text,
    error_code   text,
    device_type  text
);

CREATE TABLE @extschema@.staging_subscriptions (
    subscription_id text,
    user_id         text,
    plan            text,
    monthly_price   text,
    start_date      text,
    end_date        text,
    status          text
);

CREATE TABLE @extschema@.staging_recommendations (
    user_id         text,
    track_id        text,
    recommended_at  text,
    algorithm       text,
    played          text
);

-- A timestamp with an optional UTC offset, or NULL (src/ingest_parse_timestamptz.c).
CREATE FUNCTION @extschema@.try_timestamptz(text) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'vinylops_try_timestamptz' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- An amount of money: up to 8 digits and 2 decimals, not negative; NULL otherwise.
CREATE FUNCTION @extschema@.try_amount(v text) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v OPERATOR(pg_catalog.~) '^[ \t]*\+?[0-9]{1,8}(\.[0-9]{0,2})?[ \t\r\n]*$'
                THEN pg_catalog.btrim(v, E' \t\r\n')::numeric(10,2) END;
END;

-- The reason a timestamp column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_timestamptz(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN @extschema@.try_timestamptz(v) IS NULL
                THEN col || ' ' || @extschema@.reason_quote(v)
                     || ' is not a timestamp (YYYY-MM-DD HH:MM:SS with an optional UTC offset)'
           END;
END;

-- The reason an amount column is unusable, or NULL.
CREATE FUNCTION @extschema@.reason_amount(col text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN v IS NULL OR btrim(v) = '' THEN col || ' is empty'
                WHEN @extschema@.try_amount(v) IS NULL
                THEN col || ' ' || @extschema@.reason_quote(v)
                     || ' is not an amount (not negative, at most 8 digits and 2 decimals)'
           END;
END;
