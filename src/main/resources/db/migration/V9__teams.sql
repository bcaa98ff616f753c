-- Teams (issue 19.1/19.8): a team owns keys and end users and carries limits with the same names as a key's.
-- The limits are stored here; enforcement across team/key/user is a later admission stage.
-- allowed_models / allowed_providers are JSON arrays in TEXT, as the other list columns.
-- Plain CREATE TABLE / ALTER TABLE … ADD COLUMN with constant defaults: the same statements on SQLite and PostgreSQL.
CREATE TABLE teams (
    id                          VARCHAR(255) PRIMARY KEY,
    name                        VARCHAR(255) NOT NULL,
    tags                        TEXT         NOT NULL DEFAULT '[]',
    created_at                  BIGINT       NOT NULL,
    updated_at                  BIGINT       NOT NULL,
    cost_limit_in_usd           DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_limit_in_usd_over_time DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_limit_in_usd_unit      VARCHAR(16)  NOT NULL DEFAULT '',
    rate_limit_over_time        INTEGER      NOT NULL DEFAULT 0,
    rate_limit_unit             VARCHAR(16)  NOT NULL DEFAULT '',
    token_limit_over_time       BIGINT       NOT NULL DEFAULT 0,
    token_limit_unit            VARCHAR(16)  NOT NULL DEFAULT '',
    max_concurrent_requests     INTEGER      NOT NULL DEFAULT 0,
    allowed_models              TEXT         NOT NULL DEFAULT '[]',
    allowed_providers           TEXT         NOT NULL DEFAULT '[]'
);
-- '' = no team, as the other optional id columns of these tables.
ALTER TABLE keys ADD COLUMN team_id VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN team_id VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN team_id VARCHAR(255) NOT NULL DEFAULT '';
CREATE INDEX keys_team_id_idx ON keys (team_id);
CREATE INDEX users_team_id_idx ON users (team_id);
CREATE INDEX events_team_id_idx ON events (team_id);
