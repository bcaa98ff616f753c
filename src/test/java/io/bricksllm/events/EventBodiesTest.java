package io.bricksllm.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.Database;
import io.bricksllm.testing.TestDatabases;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 20.2: bodies live compressed in event_bodies, written with their events, read only when asked. */
class EventBodiesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final long DAY = 86_400;

    private static byte[] largeBody() {
        StringBuilder sb = new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[");
        for (int i = 0; i < 200; i++) sb.append("{\"role\":\"user\",\"content\":\"message number ").append(i).append(" of the chat\"},");
        return sb.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void bodiesAreStoredCompressedApartAndReadBackEqual(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            byte[] req = largeBody();
            byte[] resp = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"hi\"}}]}".getBytes(StandardCharsets.UTF_8);
            byte[] tiny = {1, 2, (byte) 255};
            byte[] noise = new byte[2_000];
            new java.util.Random(7).nextBytes(noise);
            repo.insert(List.of(TestEvent.at(100).id("big").bodies(req, resp).build(),
                    TestEvent.at(100).id("tiny").bodies(tiny, null).build(),
                    TestEvent.at(100).id("noise").bodies(null, noise).build(),
                    TestEvent.at(100).id("none").build()));

            assertThat(db.query("SELECT COUNT(*) FROM events WHERE request IS NOT NULL OR response IS NOT NULL", rs -> rs.getLong(1)).getFirst())
                    .as("no body in the events rows").isZero();
            List<long[]> stored = db.query("SELECT codec, LENGTH(request), LENGTH(response) FROM event_bodies WHERE event_id = 'big'",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
            assertThat(stored).hasSize(1);
            assertThat(stored.getFirst()[0]).as("the request compressed, the response too short to pay")
                    .isEqualTo(BodyCodec.pack(BodyCodec.LZ4, BodyCodec.RAW));
            assertThat(stored.getFirst()[1]).as("compressed").isLessThan(req.length / 4);
            assertThat(stored.getFirst()[2]).as("as it is").isEqualTo(resp.length);
            assertThat(db.query("SELECT codec FROM event_bodies WHERE event_id = 'tiny'", rs -> rs.getInt(1)))
                    .as("too small to compress").containsExactly(BodyCodec.pack(BodyCodec.RAW, BodyCodec.RAW));
            assertThat(db.query("SELECT codec, LENGTH(response) FROM event_bodies WHERE event_id = 'noise'", rs -> List.of(rs.getLong(1), rs.getLong(2))))
                    .as("kept as it is: it did not shrink").containsExactly(List.of((long) BodyCodec.RAW, (long) noise.length));
            assertThat(db.query("SELECT COUNT(*) FROM event_bodies WHERE event_id = 'none'", rs -> rs.getLong(1)).getFirst()).isZero();

            Event big = repo.byId("big").orElseThrow();
            assertThat(big.request()).isEqualTo(req);
            assertThat(big.response()).isEqualTo(resp);
            Event small = repo.byId("tiny").orElseThrow();
            assertThat(small.request()).isEqualTo(tiny);
            assertThat(small.response()).isNull();
            assertThat(repo.byId("noise").orElseThrow().response()).isEqualTo(noise);
            assertThat(repo.byId("none").orElseThrow().request()).isNull();
            assertThat(repo.byId("absent")).isEmpty();

            // lists read bodies only when asked
            EventFilter all = EventFilter.between(0, 1000);
            repo.page(all, EventRepository.Order.NONE, null, null, 0, 10, false, e -> assertThat(e.request()).isNull());
            int[] withBody = {0};
            repo.page(all, EventRepository.Order.NONE, null, null, 0, 10, true, e -> {
                if (e.id().equals("big") && java.util.Arrays.equals(e.request(), req)) withBody[0]++;
            });
            assertThat(withBody[0]).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aReplayedBatchDoesNotDuplicateOrReplaceBodies(TestDatabases.Kind kind) {
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            byte[] first = largeBody();
            Event e = TestEvent.at(100).id("once").bodies(first, null).build();
            assertThat(repo.insert(List.of(e))).isEqualTo(1);
            Event replay = TestEvent.at(100).id("once").bodies("other".getBytes(StandardCharsets.UTF_8), null).build();
            assertThat(repo.insert(List.of(replay, TestEvent.at(100).id("new").bodies(first, first).build()))).isEqualTo(1);
            assertThat(db.query("SELECT COUNT(*) FROM event_bodies", rs -> rs.getLong(1)).getFirst()).isEqualTo(2);
            assertThat(repo.byId("once").orElseThrow().request()).isEqualTo(first);

            // the same id twice in one batch: one event, with the bodies of the one stored (the first)
            byte[] second = "{\"second\":true}".getBytes(StandardCharsets.UTF_8);
            assertThat(repo.insert(List.of(TestEvent.at(100).id("twice").bodies(first, first).build(),
                    TestEvent.at(100).id("twice").bodies(second, second).build()))).isEqualTo(1);
            assertThat(db.query("SELECT COUNT(*) FROM event_bodies WHERE event_id = 'twice'", rs -> rs.getLong(1)).getFirst()).isEqualTo(1);
            assertThat(repo.byId("twice").orElseThrow().response()).isEqualTo(first);
            // ... and none when the one stored had none
            assertThat(repo.insert(List.of(TestEvent.at(100).id("bare-first").build(),
                    TestEvent.at(100).id("bare-first").bodies(second, second).build()))).isEqualTo(1);
            assertThat(repo.byId("bare-first").orElseThrow().request()).isNull();
            assertThat(db.query("SELECT COUNT(*) FROM event_bodies WHERE event_id = 'bare-first'", rs -> rs.getLong(1)).getFirst()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void bodyRetentionWalksEveryEventOfItsRangeBatchByBatchEvenAtOneSecond(TestDatabases.Kind kind) {
        Vertx vertx = Vertx.vertx();
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            long now = NOW.getEpochSecond();
            byte[] body = largeBody();
            List<Event> old = new java.util.ArrayList<>();
            // seven events in the same second (ties broken by event id), some without bodies, across batches of two
            for (int i = 0; i < 7; i++) {
                old.add(i % 3 == 2 ? TestEvent.at(now - 40 * DAY).id("old-" + i).key("k").build()
                        : TestEvent.at(now - 40 * DAY).id("old-" + i).key("k").bodies(body, body).build());
            }
            old.add(TestEvent.at(now - 31 * DAY).id("older-than-30d").key("k").bodies(body, null).build());
            old.add(TestEvent.at(now - 29 * DAY).id("young").key("k").bodies(body, body).build());
            repo.insert(old);

            EventRetention.Run run = new EventRetention(vertx, db, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90),
                    Duration.ofDays(30), 2).runOnce();
            assertThat(run).isEqualTo(new EventRetention.Run(0, 6));
            assertThat(db.query("SELECT event_id FROM event_bodies", rs -> rs.getString(1))).containsExactly("young");
            assertThat(db.query("SELECT COUNT(*) FROM events", rs -> rs.getLong(1)).getFirst()).as("events kept").isEqualTo(9);
            assertThat(repo.byId("young").orElseThrow().response()).isEqualTo(body);
        } finally {
            vertx.close();
        }
    }

    @org.junit.jupiter.api.Test
    void codecRoundTripsKeepsWhatDoesNotShrinkAndRefusesDamagedBlocks() {
        byte[] text = largeBody();
        BodyCodec.Stored packed = BodyCodec.encode(text);
        assertThat(packed.codec()).isEqualTo(BodyCodec.LZ4);
        assertThat(packed.bytes().length).isLessThan(text.length / 4);
        assertThat(BodyCodec.decode(packed.codec(), packed.bytes())).isEqualTo(text);

        byte[] noise = new byte[5_000];
        new java.util.Random(1).nextBytes(noise);
        assertThat(BodyCodec.encode(noise)).satisfies(s -> {
            assertThat(s.codec()).isEqualTo(BodyCodec.RAW);
            assertThat(s.bytes()).isSameAs(noise);
        });
        byte[] shortBody = new byte[BodyCodec.MIN_COMPRESSED - 1];
        assertThat(BodyCodec.encode(shortBody).codec()).isEqualTo(BodyCodec.RAW);
        assertThat(BodyCodec.encode(null).bytes()).isNull();
        assertThat(BodyCodec.encode(new byte[0]).bytes()).isEmpty();

        int both = BodyCodec.pack(BodyCodec.LZ4, BodyCodec.RAW);
        assertThat(BodyCodec.requestCodec(both)).isEqualTo(BodyCodec.LZ4);
        assertThat(BodyCodec.responseCodec(both)).isEqualTo(BodyCodec.RAW);

        byte[] damaged = packed.bytes().clone();
        damaged[0] = (byte) 0xFF; // a recorded length the block does not hold
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BodyCodec.decode(BodyCodec.LZ4, damaged))
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BodyCodec.decode(7, packed.bytes()))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void oldRowsWithInlineBodiesAreStillReadAndStrippedByRetention(TestDatabases.Kind kind) {
        Vertx vertx = Vertx.vertx();
        try (Database db = TestDatabases.open(kind)) {
            EventRepository repo = new EventRepository(db);
            long now = NOW.getEpochSecond();
            byte[] req = largeBody();
            repo.insert(List.of(TestEvent.at(now - 40 * DAY).id("old-inline").key("k").build(),
                    TestEvent.at(now - 40 * DAY).id("old-apart").key("k").bodies(req, req).build(),
                    TestEvent.at(now - DAY).id("young-apart").key("k").bodies(req, req).build()));
            // a row written before V14: its bodies in the events row
            db.update("UPDATE events SET request = ?, response = ? WHERE event_id = 'old-inline'", req, new byte[] {9});
            Event inline = repo.byId("old-inline").orElseThrow();
            assertThat(inline.request()).isEqualTo(req);
            assertThat(inline.response()).containsExactly(9);

            EventRetention.Run run = new EventRetention(vertx, db, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(90),
                    Duration.ofDays(30), 1).runOnce();
            assertThat(run.bodiesStripped()).isEqualTo(2);
            assertThat(repo.byId("old-inline").orElseThrow().request()).isNull();
            assertThat(repo.byId("old-apart").orElseThrow().request()).isNull();
            assertThat(repo.byId("young-apart").orElseThrow().request()).isEqualTo(req);
            assertThat(db.query("SELECT event_id FROM event_bodies", rs -> rs.getString(1))).containsExactly("young-apart");
        } finally {
            vertx.close();
        }
    }
}
