package io.bricksllm.events.webhook;

import io.bricksllm.config.EventWebhookSettings;
import io.bricksllm.events.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark, not a test: publishes events (without bodies, or with 1 KiB request and response bodies with
 * {@code -Dbodies=true}) into an {@link EventWebhook} whose receiver is a local Vert.x server counting lines, and prints
 * events per second delivered and the CPU per event of the webhook's threads (spooler, sender, the JDK HTTP client's
 * selector). The publisher keeps the queue from overflowing, so the figure is the sustained rate of spool + delivery.
 * <pre>java [-Dbatch=500] [-Dbodies=true] -cp "target/test-classes:target/classes:$DEPS" io.bricksllm.events.webhook.EventWebhookThroughput [events]</pre>
 */
public final class EventWebhookThroughput {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = Integer.getInteger("batch", 500);
        boolean bodies = Boolean.getBoolean("bodies");
        byte[] body = bodies ? "x".repeat(1024).getBytes() : null;
        Path dir = Files.createTempDirectory("webhook-bench");
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        io.vertx.core.http.HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            long lines = 0;
            for (int i = 0; i < b.length(); i++) if (b.getByte(i) == '\n') lines++;
            received.addAndGet(lines);
            req.response().end();
        })).listen(0, "127.0.0.1").await();
        try {
            EventWebhookSettings s = new EventWebhookSettings(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), Optional.of("s"), batch,
                    Duration.ofMillis(200), dir, Duration.ofSeconds(10), 1L << 30);
            for (int round = 0; round < 3; round++) {
                try (EventWebhook hook = new EventWebhook(s, 100_000, EventWebhook.Backoff.DEFAULT,
                        WebhookSpool.segmentBytesFor(1L << 30))) {
                    long before = received.get();
                    long cpu0 = threadsCpu();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        while (hook.stats().queueDepth() > 90_000) LockSupport.parkNanos(100_000);
                        hook.publish(new Event(UUID.randomUUID().toString(), 1_700_000_000L, List.of("bench"), "key-1", 0.00042,
                                "openai", "gpt-4o-mini", 200, 12, 34, 5, "/api/providers/openai/v1/chat/completions", "POST", "",
                                body, body, "", "", "", "", UUID.randomUUID().toString(), null, false));
                    }
                    while (received.get() - before < n) LockSupport.parkNanos(1_000_000);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    long cpu = threadsCpu() - cpu0;
                    System.out.printf("round %d: %d events in %.2f s: %.0f events/s delivered; webhook threads %.2f µs CPU/event%n",
                            round, n, secs, n / secs, cpu / 1e3 / n);
                }
            }
        } finally {
            vertx.close().await();
        }
    }

    private static long threadsCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("event-webhook") || t.getName().startsWith("HttpClient"))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.threadId()))).sum();
    }
}
