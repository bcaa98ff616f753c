-- Bodies kept apart (issue 20.2): request/response bodies of new events live here, not in the events row, so lists and
-- reports never read them and retention removes them by created_at range. codec: 0 = stored as is (small bodies),
-- 1 = each body a zstd frame. Rows written before V14 keep their bodies in events.request/response (no data
-- migration); readers fall back to those columns when an event has no row here.
CREATE TABLE event_bodies (
    event_id   VARCHAR(64) PRIMARY KEY,
    created_at BIGINT      NOT NULL,
    codec      SMALLINT    NOT NULL,
    request    ${blob},
    response   ${blob}
);
CREATE INDEX event_bodies_created_at ON event_bodies (created_at);
