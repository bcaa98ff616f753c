package io.bricksllm.events.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.config.EventWebhookSettings;
import io.bricksllm.events.Event;
import io.bricksllm.testing.Poll;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event webhook against a real HTTP receiver: batching, signature, outages, restarts, dead letters, spool limit. */
class EventWebhookTest {
    private static final EventWebhook.Backoff FAST = new EventWebhook.Backoff(Duration.ofMillis(10), Duration.ofMillis(200));

    @TempDir
    Path dir;

    private EventWebhook webhook(WebhookReceiver receiver, String secret, int batchSize, Duration maxDelay, int capacity) {
        return webhook(receiver, secret, batchSize, maxDelay, capacity, 1L << 30, 1L << 20);
    }

    private EventWebhook webhook(WebhookReceiver receiver, String secret, int batchSize, Duration maxDelay, int capacity,
                                 long spoolMax, long segmentBytes) {
        EventWebhookSettings s = new EventWebhookSettings(URI.create(receiver.url()), Optional.ofNullable(secret), batchSize,
                maxDelay, dir.resolve("spool"), Duration.ofSeconds(5), spoolMax);
        return new EventWebhook(s, capacity, FAST, segmentBytes);
    }

    static Event event(String id) {
        return event(id, null, null);
    }

    static Event event(String id, byte[] request, byte[] response) {
        return new Event(id, 1_700_000_000L, List.of("t1"), "key-1", 0.0125, "openai", "gpt-4o", 200, 3, 2, 7,
                "/api/providers/openai/v1/chat/completions", "POST", "custom-" + id, request, response, "user-1", "", "", "",
                "corr-" + id, null, false);
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForTheDelay() {
        try (WebhookReceiver receiver = new WebhookReceiver(null);
             EventWebhook hook = webhook(receiver, null, 10, Duration.ofMinutes(1), 1000)) {
            for (int i = 0; i < 25; i++) hook.publish(event("e-" + i));
            Poll.until(Duration.ofSeconds(10), "two full batches", () -> receiver.accepted().size() >= 2);
            // the last 5 would wait a minute for more: only the two full batches went
            assertThat(receiver.accepted()).extracting(r -> r.events().size()).containsExactly(10, 10);
            assertThat(receiver.acceptedIds()).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "e-" + i).toList());
            assertThat(receiver.accepted()).allSatisfy(r -> assertThat(r.signature()).as("no secret, no signature").isNull());
        }
    }

    @Test
    void aBatchThatDoesNotFillIsSentOnceItsDelayPassed() {
        try (WebhookReceiver receiver = new WebhookReceiver(null);
             EventWebhook hook = webhook(receiver, null, 500, Duration.ofMillis(300), 1000)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) hook.publish(event("d-" + i));
            Poll.until(Duration.ofSeconds(10), "the delayed batch", () -> receiver.accepted().size() == 1);
            WebhookReceiver.Request r = receiver.accepted().get(0);
            assertThat(r.ids()).containsExactly("d-0", "d-1", "d-2");
            assertThat(Duration.ofNanos(r.atNanos() - t0)).as("held for the delay, waiting for more").isGreaterThanOrEqualTo(Duration.ofMillis(300));
            // the receiver records before its answer reaches the sender
            Poll.until(Duration.ofSeconds(5), "counted", () -> hook.stats().delivered() == 3);
            assertThat(hook.stats().batches()).isEqualTo(1);
        }
    }

    @Test
    void batchesAreSignedNdjsonWithAnIdAndBodiesOnlyWhenLogged() {
        byte[] request = "{\"model\":\"gpt-4o\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] response = "{\"choices\":[]}".getBytes(StandardCharsets.UTF_8);
        try (WebhookReceiver receiver = new WebhookReceiver("s3cret");
             EventWebhook hook = webhook(receiver, "s3cret", 2, Duration.ofMillis(50), 1000)) {
            hook.publish(event("with-bodies", request, response));
            hook.publish(event("without-bodies"));
            Poll.until(Duration.ofSeconds(10), "the batch", () -> receiver.acceptedEvents() == 2);
            WebhookReceiver.Request r = receiver.accepted().get(0);
            assertThat(r.contentType()).isEqualTo("application/x-ndjson");
            assertThat(r.signatureValid()).as("HMAC-SHA256 of the raw body with the secret").isTrue();
            assertThat(r.signature()).isEqualTo("sha256=" + WebhookReceiver.hmac("s3cret", r.body()));
            assertThat(r.batchId()).matches("[0-9a-f-]{36}-0");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("\n").doesNotContain("s3cret");
            JsonNode logged = r.events().get(0);
            assertThat(logged.get("id").asText()).isEqualTo("with-bodies");
            assertThat(logged.get("key_id").asText()).isEqualTo("key-1");
            assertThat(logged.get("cost_in_usd").asDouble()).isEqualTo(0.0125);
            assertThat(logged.get("custom_id").asText()).isEqualTo("custom-with-bodies");
            assertThat(logged.get("correlationId").asText()).isEqualTo("corr-with-bodies");
            assertThat(Base64.getDecoder().decode(logged.get("request").asText())).isEqualTo(request);
            assertThat(Base64.getDecoder().decode(logged.get("response").asText())).isEqualTo(response);
            JsonNode quiet = r.events().get(1);
            assertThat(quiet.get("id").asText()).isEqualTo("without-bodies");
            assertThat(quiet.has("request")).isFalse();
            assertThat(quiet.has("response")).isFalse();
            assertThat(quiet.get("prompt_token_count").asLong()).isEqualTo(3);
        }
    }

    @Test
    void aReceiverDownUnderLoadGetsEveryEventOnceAndInOrder() throws Exception {
        int threads = 4;
        int perPhase = 2_500; // per thread and phase: 20,000 events in all
        try (WebhookReceiver receiver = new WebhookReceiver("k");
             // a small queue: most events reach the spool through the publishers' overflow path
             EventWebhook hook = webhook(receiver, "k", 200, Duration.ofMillis(20), 100)) {
            publish(hook, threads, 0, perPhase);
            Poll.until(Duration.ofSeconds(30), "some batches delivered", () -> receiver.acceptedEvents() >= 1_000);
            receiver.stop();
            publish(hook, threads, perPhase, perPhase); // the receiver is down meanwhile
            Poll.until(Duration.ofSeconds(10), "attempts failing", () -> hook.stats().retried() > 0);
            assertThat(receiver.acceptedEvents()).isLessThan(threads * perPhase * 2);
            receiver.start(); // same port
            Poll.until(Duration.ofSeconds(120), "every event delivered", () -> receiver.acceptedEvents() >= threads * perPhase * 2);

            List<String> ids = receiver.acceptedIds();
            assertThat(ids).hasSize(threads * perPhase * 2);
            assertThat(new HashSet<>(ids)).as("no event twice").hasSize(ids.size());
            Map<Integer, List<Integer>> byThread = new HashMap<>();
            for (String id : ids) {
                String[] p = id.split("-");
                byThread.computeIfAbsent(Integer.parseInt(p[1]), t -> new ArrayList<>()).add(Integer.parseInt(p[2]));
            }
            for (int t = 0; t < threads; t++) {
                assertThat(byThread.get(t)).as("thread %d's events in the order published", t)
                        .containsExactlyElementsOf(IntStream.range(0, perPhase * 2).boxed().toList());
            }
            List<WebhookReceiver.Request> accepted = receiver.accepted();
            assertThat(accepted).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
            List<Long> seqs = accepted.stream().map(r -> seq(r.batchId())).toList();
            assertThat(seqs).as("batches in spool order, none twice").isSorted().doesNotHaveDuplicates();
            Poll.until(Duration.ofSeconds(5), "counted", () -> hook.stats().delivered() == threads * perPhase * 2);
            EventWebhook.Stats s = hook.stats();
            assertThat(s.retried()).isPositive();
            assertThat(s.spooled()).as("events written while the receiver was down").isPositive();
            assertThat(s.dropped()).isZero();
            assertThat(s.deadLettered()).isZero();
        }
    }

    /** {@code threads} threads each publish events {@code t-<thread>-<from..from+count>} in order, all at once. */
    private static void publish(EventWebhook hook, int threads, int from, int count) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = from; i < from + count; i++) hook.publish(event("t-" + thread + "-" + i));
            }));
        }
        start.countDown();
        for (Thread t : ts) t.join();
    }

    private static long seq(String batchId) {
        return Long.parseLong(batchId.substring(batchId.lastIndexOf('-') + 1));
    }

    @Test
    void aRestartResumesAfterTheLastAcknowledgedBatchAndSendsNoneTwice() {
        try (WebhookReceiver receiver = new WebhookReceiver("k")) {
            try (EventWebhook first = webhook(receiver, "k", 50, Duration.ofMillis(20), 10_000)) {
                for (int i = 0; i < 500; i++) first.publish(event("a-" + String.format("%04d", i)));
                Poll.until(Duration.ofSeconds(30), "the first events delivered", () -> receiver.acceptedEvents() == 500);
                receiver.stop();
                for (int i = 500; i < 2_000; i++) first.publish(event("a-" + String.format("%04d", i)));
                Poll.until(Duration.ofSeconds(10), "attempts failing", () -> first.stats().retried() > 0);
            } // closed with 1,500 events undelivered, in the spool
            assertThat(receiver.acceptedEvents()).isEqualTo(500);
            receiver.start();
            try (EventWebhook second = webhook(receiver, "k", 50, Duration.ofMillis(20), 10_000)) {
                for (int i = 2_000; i < 2_100; i++) second.publish(event("a-" + String.format("%04d", i)));
                Poll.until(Duration.ofSeconds(30), "the spool and the new events delivered", () -> receiver.acceptedEvents() >= 2_100);
                Poll.until(Duration.ofSeconds(5), "counted", () -> second.stats().delivered() == 1_600);
            }
            List<String> ids = receiver.acceptedIds();
            assertThat(ids).as("each once, in order, the spool before the new events")
                    .containsExactlyElementsOf(IntStream.range(0, 2_100).mapToObj(i -> "a-" + String.format("%04d", i)).toList());
            List<String> batchIds = receiver.accepted().stream().map(WebhookReceiver.Request::batchId).toList();
            assertThat(batchIds).doesNotHaveDuplicates();
            assertThat(batchIds.stream().map(EventWebhookTest::seq).toList()).isSorted();
        }
    }

    @Test
    void aRefusedBatchIsDeadLetteredAndTheNextOnesFlow() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(null);
             EventWebhook hook = webhook(receiver, null, 10, Duration.ofMinutes(1), 1000)) {
            receiver.failNext(1, 400, null);
            for (int i = 0; i < 30; i++) hook.publish(event("e-" + i));
            Poll.until(Duration.ofSeconds(10), "the batches after the refused one", () -> receiver.accepted().size() == 2);
            assertThat(receiver.acceptedIds()).containsExactlyElementsOf(IntStream.range(10, 30).mapToObj(i -> "e-" + i).toList());
            assertThat(receiver.requests()).as("the refused batch is not retried").hasSize(3);
            Poll.until(Duration.ofSeconds(5), "counted", () -> hook.stats().delivered() == 20);
            assertThat(hook.stats().deadLettered()).isEqualTo(10);
            assertThat(hook.stats().retried()).isZero();
            try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
                Path dead = files.filter(p -> p.getFileName().toString().startsWith("dead-")).findFirst().orElseThrow();
                List<String> lines = Files.readAllLines(dead);
                assertThat(lines).hasSize(10);
                assertThat(lines.get(0)).contains("\"id\":\"e-0\"");
            }
        }
    }

    @Test
    void errorsAndTooManyRequestsAreRetriedAndRetryAfterIsHonoured() {
        try (WebhookReceiver receiver = new WebhookReceiver("k");
             EventWebhook hook = webhook(receiver, "k", 5, Duration.ofMinutes(1), 1000)) {
            receiver.failNext(1, 500, null);
            receiver.failNext(1, 503, null);
            receiver.failNext(1, 429, "1");
            for (int i = 0; i < 5; i++) hook.publish(event("r-" + i));
            Poll.until(Duration.ofSeconds(10), "the batch", () -> receiver.accepted().size() == 1);
            List<WebhookReceiver.Request> all = receiver.requests();
            assertThat(all).extracting(WebhookReceiver.Request::answered).containsExactly(500, 503, 429, 200);
            assertThat(all).extracting(WebhookReceiver.Request::batchId).as("the same batch each time").containsOnly(all.get(0).batchId());
            assertThat(all).allSatisfy(r -> assertThat(r.body()).isEqualTo(all.get(0).body()));
            assertThat(Duration.ofNanos(all.get(3).atNanos() - all.get(2).atNanos()))
                    .as("Retry-After: 1 outweighs a back-off of at most 200 ms").isGreaterThanOrEqualTo(Duration.ofMillis(950));
            Poll.until(Duration.ofSeconds(5), "counted", () -> hook.stats().delivered() == 5);
            assertThat(hook.stats().retried()).isEqualTo(15);
            assertThat(receiver.acceptedIds()).containsExactly("r-0", "r-1", "r-2", "r-3", "r-4");
        }
    }

    @Test
    void aFullSpoolDropsItsOldestEventsAndCountsThem() {
        int n = 3_000;
        long max = 64L << 10;
        try (WebhookReceiver receiver = new WebhookReceiver(null)) {
            receiver.stop(); // down from the start
            try (EventWebhook hook = webhook(receiver, null, 10, Duration.ofMillis(10), 10_000, max, 8L << 10)) {
                List<String> published = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    published.add("s-" + i);
                    hook.publish(event("s-" + i));
                }
                Poll.until(Duration.ofSeconds(30), "events dropped", () -> hook.stats().dropped() > 0 && hook.stats().queueDepth() == 0);
                assertThat(hook.stats().spoolBytes()).as("bounded").isLessThanOrEqualTo(max + (16L << 10));
                receiver.start();
                Poll.until(Duration.ofSeconds(30), "what was kept delivered",
                        () -> receiver.acceptedEvents() + hook.stats().dropped() >= n && hook.stats().queueDepth() == 0);
                long dropped = hook.stats().dropped();
                assertThat(dropped).isPositive();
                assertThat(receiver.acceptedIds()).as("the newest events, in order").containsExactlyElementsOf(
                        published.subList((int) dropped, n));
                assertThat(hook.stats().spooled()).isPositive();
            }
        }
    }

    @Test
    void aTornLastRecordIsCutOffAtOpen() throws Exception {
        Path spool = dir.resolve("spool");
        try (WebhookReceiver receiver = new WebhookReceiver(null)) {
            receiver.stop();
            try (EventWebhook hook = webhook(receiver, null, 10, Duration.ofMinutes(1), 1000)) {
                for (int i = 0; i < 20; i++) hook.publish(event("c-" + i)); // two full batches
                Poll.until(Duration.ofSeconds(10), "two batches spooled", () -> hook.stats().retried() > 0 && hook.stats().queueDepth() == 0);
            }
            Path segment;
            try (Stream<Path> files = Files.list(spool)) {
                segment = files.filter(p -> p.getFileName().toString().startsWith("seg-")).findFirst().orElseThrow();
            }
            // a crash in the middle of a third append: half a header and body
            Files.write(segment, "B 2 10 4000 deadbeef\n{\"id\":\"torn".getBytes(StandardCharsets.UTF_8),
                    java.nio.file.StandardOpenOption.APPEND);
            receiver.start();
            try (EventWebhook again = webhook(receiver, null, 10, Duration.ofMillis(10), 1000)) {
                again.publish(event("c-20"));
                Poll.until(Duration.ofSeconds(10), "the spool and the new event", () -> receiver.acceptedEvents() >= 21);
                assertThat(receiver.acceptedIds()).containsExactlyElementsOf(IntStream.rangeClosed(0, 20).mapToObj(i -> "c-" + i).toList());
                assertThat(receiver.accepted()).extracting(r -> seq(r.batchId())).containsExactly(0L, 1L, 2L);
            }
        }
    }

    @Test
    void closingIsBoundedWhenTheReceiverHangsAndTheAbandonedBatchIsSentAgainWithItsId() {
        try (WebhookReceiver receiver = new WebhookReceiver(null)) {
            receiver.failNext(1, 0, null); // the first attempt never gets an answer
            EventWebhook first = webhook(receiver, null, 5, Duration.ofMinutes(1), 100);
            for (int i = 0; i < 5; i++) first.publish(event("h-" + i));
            Poll.until(Duration.ofSeconds(10), "the attempt in flight", () -> receiver.requests().size() == 1);
            long t0 = System.nanoTime();
            first.close(Duration.ofMillis(500));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("close is bounded").isLessThan(Duration.ofSeconds(3));
            String abandoned = receiver.requests().get(0).batchId();
            try (EventWebhook second = webhook(receiver, null, 5, Duration.ofMinutes(1), 100)) {
                Poll.until(Duration.ofSeconds(10), "the batch sent again", () -> receiver.accepted().size() == 1);
                assertThat(receiver.accepted().get(0).batchId()).as("same id: the receiver can tell it is the same batch").isEqualTo(abandoned);
                assertThat(receiver.acceptedIds()).containsExactly("h-0", "h-1", "h-2", "h-3", "h-4");
            }
        }
    }

    @Test
    void aSpoolInUseCannotBeOpenedTwice() {
        try (WebhookReceiver receiver = new WebhookReceiver(null);
             EventWebhook first = webhook(receiver, null, 10, Duration.ofMillis(10), 100)) {
            assertThatThrownBy(() -> webhook(receiver, null, 10, Duration.ofMillis(10), 100))
                    .hasMessageContaining("event webhook spool").hasRootCauseMessage(
                            "the event webhook spool " + dir.resolve("spool") + " is in use by another gateway; give each its own EVENT_WEBHOOK_SPOOL_DIR");
            first.close();
            try (EventWebhook second = webhook(receiver, null, 10, Duration.ofMillis(10), 100)) {
                second.publish(event("after"));
                Poll.until(Duration.ofSeconds(10), "delivered by the second", () -> receiver.acceptedIds().contains("after"));
            }
        }
    }

    @Test
    void retryAfterReadsSecondsAndDates() {
        assertThat(EventWebhook.retryAfter(Optional.of("7"))).isEqualTo(Duration.ofSeconds(7));
        assertThat(EventWebhook.retryAfter(Optional.of("999999"))).isEqualTo(Duration.ofMinutes(10));
        assertThat(EventWebhook.retryAfter(Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"))).isEqualTo(Duration.ZERO);
        assertThat(EventWebhook.retryAfter(Optional.of("soon"))).isNull();
        assertThat(EventWebhook.retryAfter(Optional.empty())).isNull();
    }
}
