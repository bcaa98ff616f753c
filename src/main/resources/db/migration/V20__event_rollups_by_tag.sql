-- Tag-filtered reports from rollups: the hourly and daily rollups again (same columns as event_rollups_hourly/daily
-- with V16's latency_hist), with one row per tag of the events: an event with tags [a, b] adds to a row of tag a and
-- to one of tag b. Kept by EventRollups in the transaction that inserts the events, rebuilt with the other rollups.
-- tag is the tag as the events' tag_index holds it (percent-encoded for '%', '|' and NUL, V2). A report filtered by
-- ONE tag reads the rows of that tag (tag leads the primary key, so they are one index range); several tags must all be
-- present (contains-all), which per-tag rows cannot answer, so those reports still read the events.
-- Both tables start empty: start-up fills them from the events (EventRollups.rebuildIfMissing).
CREATE TABLE event_rollups_tag_hourly (
    tag                TEXT         NOT NULL,
    period_start       BIGINT       NOT NULL,
    key_id             VARCHAR(255) NOT NULL,
    team_id            VARCHAR(255) NOT NULL,
    user_id            VARCHAR(255) NOT NULL,
    model              VARCHAR(255) NOT NULL,
    provider           VARCHAR(255) NOT NULL,
    status_class       INTEGER      NOT NULL,
    requests           BIGINT       NOT NULL,
    successes          BIGINT       NOT NULL,
    errors             BIGINT       NOT NULL,
    prompt_tokens      BIGINT       NOT NULL,
    completion_tokens  BIGINT       NOT NULL,
    cache_read_tokens  BIGINT       NOT NULL,
    cache_write_tokens BIGINT       NOT NULL,
    reasoning_tokens   BIGINT       NOT NULL,
    latency_ms         BIGINT       NOT NULL,
    cost_pico          BIGINT       NOT NULL,
    latency_hist       TEXT,
    PRIMARY KEY (tag, period_start, key_id, team_id, user_id, model, provider, status_class)
);
CREATE TABLE event_rollups_tag_daily (
    tag                TEXT         NOT NULL,
    period_start       BIGINT       NOT NULL,
    key_id             VARCHAR(255) NOT NULL,
    team_id            VARCHAR(255) NOT NULL,
    user_id            VARCHAR(255) NOT NULL,
    model              VARCHAR(255) NOT NULL,
    provider           VARCHAR(255) NOT NULL,
    status_class       INTEGER      NOT NULL,
    requests           BIGINT       NOT NULL,
    successes          BIGINT       NOT NULL,
    errors             BIGINT       NOT NULL,
    prompt_tokens      BIGINT       NOT NULL,
    completion_tokens  BIGINT       NOT NULL,
    cache_read_tokens  BIGINT       NOT NULL,
    cache_write_tokens BIGINT       NOT NULL,
    reasoning_tokens   BIGINT       NOT NULL,
    latency_ms         BIGINT       NOT NULL,
    cost_pico          BIGINT       NOT NULL,
    latency_hist       TEXT,
    PRIMARY KEY (tag, period_start, key_id, team_id, user_id, model, provider, status_class)
);
