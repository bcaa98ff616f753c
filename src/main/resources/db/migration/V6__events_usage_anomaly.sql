-- Which token counts an upstream reported beyond what the request could have used (e.g.
-- "completion_tokens:above_bound"); the event's counts and cost then hold the bounded figures that were charged.
ALTER TABLE events ADD COLUMN usage_anomaly TEXT NOT NULL DEFAULT '';
