-- Routes: which upstream statuses count as failure (JSON list of ints; NULL = the default set).
ALTER TABLE routes ADD COLUMN retry_on TEXT;

-- Route attempts: which step and which attempt an event describes (1-based; 0 when the event is not a route attempt).
ALTER TABLE events ADD COLUMN route_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN route_attempt INTEGER NOT NULL DEFAULT 0;
