-- Token limits and concurrency caps on keys and end users (issue 19.2), under the same names as a team's (V9).
-- 0 / '' = no such limit, so rows written before this migration read as unlimited.
-- Plain ALTER TABLE … ADD COLUMN with constant defaults: the same statements on SQLite and PostgreSQL.
ALTER TABLE keys ADD COLUMN token_limit_over_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE keys ADD COLUMN token_limit_unit VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE keys ADD COLUMN max_concurrent_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN token_limit_over_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN token_limit_unit VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN max_concurrent_requests INTEGER NOT NULL DEFAULT 0;
