-- Bodies kept apart (issue 20.2): request/response bodies of new events live here, not in the events row, so lists and
-- reports never read them. codec: the request's codec in its low four bits, the response's in the next four
-- (0 = stored as is, 1 = LZ4 block after its length; see BodyCodec). Rows written before V14 keep
-- their bodies in events.request/response (no data migration); readers fall back to those columns when an event has
-- no row here.
-- Only the primary key: every read is by event id, and retention finds the bodies to remove through the events'
-- (created_at, event_id) index, so a created_at index here would be one more B-tree per event written for nothing.
-- created_at stays for partitioning by time on PostgreSQL. On SQLite the table is WITHOUT ROWID: its rows live in the
-- primary key's B-tree, one B-tree per row instead of two.
CREATE TABLE event_bodies (
    event_id   VARCHAR(64) PRIMARY KEY,
    created_at BIGINT      NOT NULL,
    codec      SMALLINT    NOT NULL,
    request    ${blob},
    response   ${blob}
)${withoutRowid};
