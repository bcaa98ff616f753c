-- One migration set for SQLite and PostgreSQL: portable types only; ${blob} is BLOB or BYTEA.
-- Lists and maps are stored as JSON text so both databases read them the same way.

CREATE TABLE provider_settings (
    id             VARCHAR(255) PRIMARY KEY,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL,
    provider       VARCHAR(255) NOT NULL,
    setting        TEXT         NOT NULL,
    name           VARCHAR(255) NOT NULL DEFAULT '',
    allowed_models TEXT         NOT NULL DEFAULT '[]',
    cost_map       TEXT
);

CREATE TABLE keys (
    key_id                      VARCHAR(255) PRIMARY KEY,
    name                        VARCHAR(255) NOT NULL,
    created_at                  BIGINT       NOT NULL,
    updated_at                  BIGINT       NOT NULL,
    tags                        TEXT         NOT NULL DEFAULT '[]',
    revoked                     BOOLEAN      NOT NULL DEFAULT FALSE,
    secret                      VARCHAR(512) NOT NULL,
    revoked_reason              VARCHAR(255) NOT NULL DEFAULT '',
    cost_limit_in_usd           DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_limit_in_usd_over_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_limit_in_usd_unit      VARCHAR(16)  NOT NULL DEFAULT '',
    rate_limit_over_time        INTEGER      NOT NULL DEFAULT 0,
    rate_limit_unit             VARCHAR(16)  NOT NULL DEFAULT '',
    ttl                         VARCHAR(64)  NOT NULL DEFAULT '',
    setting_id                  VARCHAR(255) NOT NULL DEFAULT '',
    allowed_paths               TEXT,
    setting_ids                 TEXT         NOT NULL DEFAULT '[]',
    should_log_request          BOOLEAN      NOT NULL DEFAULT FALSE,
    should_log_response         BOOLEAN      NOT NULL DEFAULT FALSE,
    rotation_enabled            BOOLEAN      NOT NULL DEFAULT FALSE,
    policy_id                   VARCHAR(255) NOT NULL DEFAULT '',
    is_key_not_hashed           BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT key_uniqueness UNIQUE (secret)
);
CREATE INDEX keys_created_at_idx ON keys (created_at);

CREATE TABLE custom_providers (
    id                   VARCHAR(255) PRIMARY KEY,
    created_at           BIGINT       NOT NULL,
    updated_at           BIGINT       NOT NULL,
    provider             VARCHAR(255) NOT NULL,
    route_configs        TEXT         NOT NULL,
    authentication_param VARCHAR(255) NOT NULL DEFAULT '',
    CONSTRAINT custom_provider_uniqueness UNIQUE (provider)
);

CREATE TABLE routes (
    id             VARCHAR(255) PRIMARY KEY,
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL,
    name           VARCHAR(255) NOT NULL,
    path           VARCHAR(1024) NOT NULL,
    key_ids        TEXT         NOT NULL,
    steps          TEXT         NOT NULL,
    cache_config   TEXT         NOT NULL,
    request_format VARCHAR(255) NOT NULL DEFAULT '',
    retry_strategy VARCHAR(255) NOT NULL DEFAULT '',
    CONSTRAINT route_path_uniqueness UNIQUE (path)
);

CREATE TABLE policies (
    id            VARCHAR(255) PRIMARY KEY,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    name          VARCHAR(255) NOT NULL,
    tags          TEXT         NOT NULL DEFAULT '[]',
    config        TEXT         NOT NULL,
    regex_config  TEXT         NOT NULL,
    custom_config TEXT         NOT NULL
);

CREATE TABLE users (
    id                          VARCHAR(255) PRIMARY KEY,
    user_id                     VARCHAR(255) NOT NULL,
    name                        VARCHAR(255) NOT NULL,
    created_at                  BIGINT       NOT NULL,
    updated_at                  BIGINT       NOT NULL,
    tags                        TEXT         NOT NULL DEFAULT '[]',
    revoked                     BOOLEAN      NOT NULL DEFAULT FALSE,
    revoked_reason              VARCHAR(255) NOT NULL DEFAULT '',
    cost_limit_in_usd           DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_limit_in_usd_over_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_limit_in_usd_unit      VARCHAR(16)  NOT NULL DEFAULT '',
    rate_limit_over_time        INTEGER      NOT NULL DEFAULT 0,
    rate_limit_unit             VARCHAR(16)  NOT NULL DEFAULT '',
    ttl                         VARCHAR(64)  NOT NULL DEFAULT '',
    key_ids                     TEXT         NOT NULL DEFAULT '[]',
    allowed_paths               TEXT,
    allowed_models              TEXT         NOT NULL DEFAULT '[]'
);
CREATE INDEX users_user_id_idx ON users (user_id);

CREATE TABLE events (
    event_id               VARCHAR(64)  PRIMARY KEY,
    created_at             BIGINT       NOT NULL,
    tags                   TEXT         NOT NULL DEFAULT '[]',
    key_id                 VARCHAR(255) NOT NULL DEFAULT '',
    cost_in_usd            DOUBLE PRECISION NOT NULL DEFAULT 0,
    provider               VARCHAR(255) NOT NULL DEFAULT '',
    model                  VARCHAR(255) NOT NULL DEFAULT '',
    status_code            INTEGER      NOT NULL DEFAULT 0,
    prompt_token_count     INTEGER      NOT NULL DEFAULT 0,
    completion_token_count INTEGER      NOT NULL DEFAULT 0,
    latency_in_ms          INTEGER      NOT NULL DEFAULT 0,
    path                   TEXT         NOT NULL DEFAULT '',
    method                 VARCHAR(16)  NOT NULL DEFAULT '',
    custom_id              VARCHAR(255) NOT NULL DEFAULT '',
    request                ${blob},
    response               ${blob},
    user_id                VARCHAR(255) NOT NULL DEFAULT '',
    action                 VARCHAR(32)  NOT NULL DEFAULT '',
    policy_id              VARCHAR(255) NOT NULL DEFAULT '',
    route_id               VARCHAR(255) NOT NULL DEFAULT '',
    correlation_id         VARCHAR(64)  NOT NULL DEFAULT '',
    metadata               TEXT,
    unpriced               BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX events_created_at_idx ON events (created_at);
CREATE INDEX events_key_id_created_at_idx ON events (key_id, created_at);
CREATE INDEX events_custom_id_idx ON events (custom_id);
CREATE INDEX events_user_id_idx ON events (user_id);

CREATE TABLE event_agg_by_day (
    time_stamp             BIGINT       NOT NULL,
    key_id                 VARCHAR(255) NOT NULL,
    num_of_requests        BIGINT       NOT NULL,
    cost_in_usd            DOUBLE PRECISION NOT NULL,
    latency_in_ms          BIGINT       NOT NULL,
    prompt_token_count     BIGINT       NOT NULL,
    completion_token_count BIGINT       NOT NULL,
    success_count          BIGINT       NOT NULL,
    PRIMARY KEY (time_stamp, key_id)
);
