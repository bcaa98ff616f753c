-- Issue 20.4: hourly and daily totals of the events, kept in the transaction that writes them (EventRollups), so
-- reports read one row per hour (or day) and group instead of every event; a range is read as whole days, then whole
-- hours, then the events of partial hours at its edges. The two tables have the same columns. Dimensions hold the event's stored (cleaned) values;
-- period_start is the first second of the UTC hour (day) in epoch seconds; status_class is status / 100 (2 = 2xx ... 5 = 5xx), 0 when no HTTP status was recorded.
-- cost_pico is the sum over the events of round(cost_in_usd * 10^12): integer, so sums are exact and independent of
-- order; pico rather than micro dollars because one request often costs less than a micro dollar.
-- The table starts empty: the gateway fills it from the events at start-up (EventRollups.rebuildIfMissing).
-- (The V1 table event_agg_by_day was never read or written and stays untouched.)
CREATE TABLE event_rollups_hourly (
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
    PRIMARY KEY (period_start, key_id, team_id, user_id, model, provider, status_class)
);
CREATE INDEX event_rollups_key_idx ON event_rollups_hourly (key_id, period_start);
CREATE INDEX event_rollups_team_idx ON event_rollups_hourly (team_id, period_start);
CREATE INDEX event_rollups_user_idx ON event_rollups_hourly (user_id, period_start);

CREATE TABLE event_rollups_daily (
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
    PRIMARY KEY (period_start, key_id, team_id, user_id, model, provider, status_class)
);
CREATE INDEX event_rollups_daily_key_idx ON event_rollups_daily (key_id, period_start);
CREATE INDEX event_rollups_daily_team_idx ON event_rollups_daily (team_id, period_start);
CREATE INDEX event_rollups_daily_user_idx ON event_rollups_daily (user_id, period_start);
