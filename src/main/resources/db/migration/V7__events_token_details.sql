-- Token details of an event: prompt tokens read from and written to the provider's prompt cache (parts of
-- prompt_token_count) and reasoning tokens (part of completion_token_count); 0 when the upstream reported none.
ALTER TABLE events ADD COLUMN cache_read_token_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN cache_write_token_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN reasoning_token_count BIGINT NOT NULL DEFAULT 0;
