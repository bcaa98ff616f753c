-- Issue 20: keyset paging of events. Pages are ordered by (created_at, event_id) and resume after a cursor with
-- "(created_at, event_id) > (?, ?)"; each index of the common filters now ends with (created_at, event_id), so both
-- databases read a page straight from the index in order (no sort, no OFFSET scan) and the next page's cursor from
-- the index alone. The old indexes are replaced, not joined: storing an event touches as many B-trees as before.
DROP INDEX events_created_at_idx;
CREATE INDEX events_created_at_id_idx ON events (created_at, event_id);
DROP INDEX events_key_id_created_at_idx;
CREATE INDEX events_key_id_created_at_id_idx ON events (key_id, created_at, event_id);
DROP INDEX events_team_id_idx;
CREATE INDEX events_team_id_created_at_id_idx ON events (team_id, created_at, event_id);
DROP INDEX events_custom_id_idx;
CREATE INDEX events_custom_id_created_at_id_idx ON events (custom_id, created_at, event_id) WHERE custom_id <> '';
DROP INDEX events_user_id_idx;
CREATE INDEX events_user_id_created_at_id_idx ON events (user_id, created_at, event_id) WHERE user_id <> '';
