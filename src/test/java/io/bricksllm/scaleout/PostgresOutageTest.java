package io.bricksllm.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.store.Database;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.RestartablePostgres;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.Spread;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops in the middle of a load on two instances and comes back on the same port and data: the
 * proxy keeps answering from its in-memory configuration, each instance spools its events to its own disk,
 * replays them when the database returns, and the database ends up with exactly one event per request.
 */
class PostgresOutageTest {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final int WORKERS = 3;

    @Test
    void theProxyServesThroughADatabaseOutageAndEveryEventReachesTheDatabaseExactlyOnce() throws Exception {
        try (RestartablePostgres pg = RestartablePostgres.start(); TestRedis redis = TestRedis.start();
             MockUpstream upstream = new MockUpstream(); ScaleOut cluster = new ScaleOut(pg.settings(), redis.port())) {
            upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o-mini", "ok", 5, 1)));
            List<TestGateway> gws = cluster.start(2, Map.of("IN_MEMORY_DB_UPDATE_INTERVAL", "1s"), java.time.Clock.systemUTC());
            TestGateway a = gws.get(0);
            String s = a.admin.createSetting("openai", Map.of("apikey", "sk", "url", upstream.url("/v1")));
            // a rate limit far above the load: admission keeps going through Redis during the outage
            String keyId = a.admin.createKey("{\"name\":\"load\",\"key\":\"load\",\"settingIds\":[\"" + s
                    + "\"],\"rateLimitOverTime\":1000000,\"rateLimitUnit\":\"h\"}").get("keyId").asText();
            for (TestGateway gw : gws) {
                Poll.until(Duration.ofSeconds(5), "key known to every instance",
                        () -> gw.gateway().liveConfig().current().keysById().containsKey(keyId));
            }

            Load load = new Load(Spread.over(gws));
            load.start();
            try {
                Poll.until(Duration.ofSeconds(20), "load running", () -> load.ok.get() >= 50);

                long down0 = System.nanoTime();
                pg.stop();
                int okAtStop = load.ok.get();
                // down until both instances have spooled events (each waits out its pool's connection timeout first)
                Poll.until(Duration.ofSeconds(40), "both instances spooling events",
                        () -> gws.stream().allMatch(gw -> metric(gw, "bricksllm_events_spooled_total") > 0));
                Poll.until(Duration.ofSeconds(20), "load served while the database is down", () -> load.ok.get() >= okAtStop + 100);
                int okDuringOutage = load.ok.get() - okAtStop;
                int failedDuringOutage = load.failed();
                pg.restart();
                long downMs = (System.nanoTime() - down0) / 1_000_000;
                int okAtRestart = load.ok.get();
                Poll.until(Duration.ofSeconds(20), "load served after the database returned", () -> load.ok.get() >= okAtRestart + 50);
                load.stop();

                int served = load.ok.get();
                assertThat(load.statuses).as("every request answered 200, outage included").containsOnlyKeys(200);
                assertThat(failedDuringOutage).isZero();
                try (Database direct = Database.postgres(pg.settings())) {
                    Duration replay = Poll.until(Duration.ofSeconds(60), "every event in PostgreSQL",
                            () -> events(direct, keyId) >= served);
                    // let a late duplicate show up, if there were one: wait until both sinks are idle (no spool left)
                    Poll.until(Duration.ofSeconds(30), "spools replayed", () -> gws.stream().allMatch(gw ->
                            metric(gw, "bricksllm_events_replayed_total") >= metric(gw, "bricksllm_events_spooled_total")
                                    && metric(gw, "bricksllm_events_queue_depth") == 0));
                    long stored = events(direct, keyId);
                    long distinct = direct.query("SELECT COUNT(DISTINCT event_id) FROM events WHERE key_id = ?", rs -> rs.getLong(1), keyId).get(0);
                    double spooled = gws.stream().mapToDouble(gw -> metric(gw, "bricksllm_events_spooled_total")).sum();
                    double replayed = gws.stream().mapToDouble(gw -> metric(gw, "bricksllm_events_replayed_total")).sum();
                    double lost = gws.stream().mapToDouble(gw -> metric(gw, "bricksllm_events_lost_total")).sum();
                    System.out.printf("PostgreSQL down %d ms mid-load (2 instances, %d workers): %d requests, all 200 (%d during the outage); "
                                    + "events spooled %.0f, replayed %.0f, lost %.0f; in PostgreSQL %d (%d distinct) = %d served, all stored %d ms after the load%n",
                            downMs, WORKERS, served, okDuringOutage, spooled, replayed, lost, stored, distinct, served, replay.toMillis());
                    assertThat(stored).as("one event per request, none lost, none doubled").isEqualTo(served);
                    assertThat(distinct).isEqualTo(stored);
                    assertThat(upstream.calls()).isEqualTo(served);
                    assertThat(spooled).isPositive();
                    assertThat(replayed).isEqualTo(spooled);
                    assertThat(lost).isZero();
                }

                // configuration changes flow again after the outage: revoke through one instance, refused by the other
                TestGateway b = gws.get(1);
                long t0 = System.nanoTime();
                assertThat(a.admin.patch("/api/key-management/keys/" + keyId, "{\"revoked\":true}").status()).isEqualTo(200);
                Poll.until(Duration.ofSeconds(10), "revocation reaches the other instance",
                        () -> Spread.over(List.of(b)).post(0, CHAT, "load", BODY).status() == 401);
                long propagatedMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("after the outage: a revocation through A refused on B after %d ms%n", propagatedMs);
                assertThat(propagatedMs).isLessThanOrEqualTo(2_000);
            } finally {
                load.stop();
            }
        }
    }

    private static long events(Database db, String keyId) {
        try {
            return db.query("SELECT COUNT(*) FROM events WHERE key_id = ?", rs -> rs.getLong(1), keyId).get(0);
        } catch (RuntimeException e) {
            return -1; // the pool is still reconnecting
        }
    }

    /** A metric without labels from the instance's /metrics. */
    static double metric(TestGateway gw, String name) {
        String text = gw.admin.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        if (!m.find()) throw new AssertionError(name + " not on /metrics");
        return Double.parseDouble(m.group(1));
    }

    /** Workers sending one request after another, round-robin over the instances, counting answers. */
    static final class Load {
        final AtomicInteger ok = new AtomicInteger();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final Spread spread;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(Spread spread) {
            this.spread = spread;
        }

        void start() {
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                Thread t = new Thread(() -> {
                    for (int i = worker; running.get(); i++) {
                        int status;
                        try {
                            status = spread.post(i % spread.size(), CHAT, "load", BODY).status();
                        } catch (RuntimeException e) {
                            status = -1; // no answer at all
                        }
                        statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                        if (status == 200) ok.incrementAndGet();
                    }
                }, "load-" + w);
                threads.add(t);
                t.start();
            }
        }

        int failed() {
            return statuses.entrySet().stream().filter(e -> e.getKey() != 200).mapToInt(e -> e.getValue().get()).sum();
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join(60_000);
        }
    }
}
