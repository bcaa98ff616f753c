-- Exact, case-sensitive "contains every tag" search on both SQLite and PostgreSQL.
-- tag_index holds the event's tags as |t1|t2|…| where each tag is percent-encoded for '%', '|' and NUL,
-- so '|' appears only as a delimiter and searching for the substring |enc(tag)| matches whole tags only.
-- (A LIKE on the JSON text is not exact: SQLite's LIKE ignores ASCII case, and escaped quotes inside a
-- tag can fake a delimiter.) The JSON column `tags` stays the source of truth for reading.
ALTER TABLE events ADD COLUMN tag_index TEXT NOT NULL DEFAULT '|';
