package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LineWriterTest {
    @Test
    void writesEveryLineWholeFromManyThreadsAndFlushesOnClose() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineWriter w = new LineWriter(out, 1_000_000, Duration.ofMillis(5), "test-lines");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000; i++) w.write("{\"t\":" + id + ",\"i\":" + i + ",\"text\":\"é✓\"}");
            }));
        }
        for (Thread t : threads) t.join();
        w.close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(80_000);
        assertThat(lines).allMatch(l -> l.startsWith("{\"t\":") && l.endsWith("\"text\":\"é✓\"}"));
        assertThat(lines.stream().distinct().count()).isEqualTo(80_000);
        assertThat(w.written()).isEqualTo(80_000);
        assertThat(w.dropped()).isZero();
    }

    @Test
    void aLineLongerThanOneChunkIsWrittenWhole() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineWriter w = new LineWriter(out, 10, Duration.ofMillis(5), "test-lines");
        String big = "x".repeat(200_000);
        w.write("a");
        w.write(big);
        w.write("b");
        w.close();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly("a", big, "b");
    }

    @Test
    void dropsAndCountsInsteadOfWaitingWhenTheOutputIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        LineWriter w = new LineWriter(stuck, 100, Duration.ofMillis(1), "test-lines");
        long t0 = System.nanoTime();
        int accepted = 0;
        String kb = "x".repeat(1000);
        for (int i = 0; i < 10_000; i++) if (w.write(i + kb)) accepted++;
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2)); // never waited on the output
        // the queue bound (100), plus what the writer took into its 64 KB chunk before the write got stuck (~65 lines)
        assertThat(accepted).isLessThanOrEqualTo(100 + 66);
        assertThat(w.dropped()).isEqualTo(10_000 - accepted);
        release.countDown();
        w.close();
    }
}
