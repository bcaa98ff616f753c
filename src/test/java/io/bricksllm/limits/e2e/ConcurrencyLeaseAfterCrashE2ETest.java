package io.bricksllm.limits.e2e;

import static io.bricksllm.limits.e2e.Setup.CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.TestGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Concurrency slots are leased in Redis (issue 19.2, 19.9): an instance that dies holding slots cannot hold them for
 * longer than {@code CONCURRENCY_LEASE}, while a live one keeps them as long as its requests last. The dying instance
 * reaches Redis through a link the test cuts before stopping it, so it can neither renew nor release — from Redis's
 * side, a crash.
 */
class ConcurrencyLeaseAfterCrashE2ETest {
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofSeconds(4);
    static final int CAP = 5;

    @Test
    void slotsHeldByAKilledInstanceComeBackWithinTheLease() throws Exception {
        Map<String, String> env = Map.of("CONCURRENCY_LEASE", "3s");
        try (MockUpstream upstream = new MockUpstream(); Deployment d = Deployment.of(2, env, Clock.systemUTC());
             CuttableLink link = new CuttableLink(d.redisPort())) {
            SlowUpstream.install(upstream);
            TestGateway victim = d.startAnother(Map.of("CONCURRENCY_LEASE", "3s", "REDIS_PORT", String.valueOf(link.port()),
                    "REDIS_READ_TIME_OUT", "10s"), Clock.systemUTC());
            String setting = Setup.openAiSetting(d.admin(), upstream.url("/v1"));
            String key = Setup.key(d.admin(), setting, "\"maxConcurrentRequests\":" + CAP)[0];
            d.awaitKey(key, null);
            Burst burst = new Burst(d.proxyUrls(), CHAT);

            List<OpenStream> streams = new ArrayList<>();
            for (int i = 0; i < CAP; i++) {
                OpenStream s = OpenStream.open(victim.proxyUrl(), CHAT, key, Setup.stream("hi", 500));
                streams.add(s);
                assertThat(s.status).as(s.head).isEqualTo(200);
            }
            // a live instance keeps its slots past the lease (renewed while the streams last): 2.5 leases of refusals
            long until = System.nanoTime() + LEASE.multipliedBy(5).dividedBy(2).toNanos();
            while (System.nanoTime() < until) {
                Burst.Answer a = burst.one(0, key, Setup.chat("hi"));
                assertThat(a.status()).as("slots still held by live streams: " + a.body()).isEqualTo(429);
                assertThat(a.body()).contains("concurrent request limit exceeded");
                Poll.pause(250);
            }

            long killed = System.nanoTime();
            link.cut();
            Thread stopping = Thread.ofVirtual().start(victim::close); // may wait on its drain; the test goes on meanwhile
            streams.forEach(OpenStream::close);

            Duration took = Poll.until(LEASE.plus(MARGIN), "a slot back after the instance died",
                    () -> burst.one(1, key, Setup.chat("hi")).status() == 200);
            System.out.printf("lease %s: first slot back %d ms after the instance was cut off%n", LEASE,
                    Duration.ofNanos(System.nanoTime() - killed).toMillis());
            assertThat(took).isLessThanOrEqualTo(LEASE.plus(MARGIN));

            // all five: five streams at once are admitted on the survivors
            Poll.until(LEASE.plus(MARGIN), "all five slots back", () -> {
                List<OpenStream> again = new ArrayList<>();
                try {
                    for (int i = 0; i < CAP; i++) again.add(OpenStream.open(d.instance(i % 2).proxyUrl(), CHAT, key, Setup.stream("hi", 500)));
                    return again.stream().allMatch(s -> s.status == 200);
                } finally {
                    again.forEach(OpenStream::close);
                }
            });
            stopping.join(Duration.ofSeconds(20));
        }
    }
}
