package io.bricksllm.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Poll;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardDeadlinesTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    static Exchange exchange(String id) {
        return new Exchange(null, null, null, null, Instant.EPOCH, 0, id);
    }

    @Test
    void onlyRequestsPastTheirDeadlineAndNotDoneAreHandedBack() {
        List<String> overdue = new CopyOnWriteArrayList<>();
        ForwardDeadlines d = new ForwardDeadlines(vertx, x -> overdue.add(x.correlationId));
        Exchange late = exchange("late"), onTime = exchange("on-time"), done = exchange("done");
        vertx.runOnContext(v -> {
            d.watch(late, 100);
            d.watch(onTime, 10_000);
            d.watch(done, 100);
            d.done(done);
            d.sweep(5_000);
            d.sweep(6_000); // handed back once, not on every sweep
        });
        Poll.until(Duration.ofSeconds(5), "the sweep ran", () -> !overdue.isEmpty());
        assertThat(overdue).containsExactly("late");
    }

    @Test
    void theSweepRunsByItselfOnTheEventLoop() {
        List<String> overdue = new CopyOnWriteArrayList<>();
        ForwardDeadlines d = new ForwardDeadlines(vertx, x -> overdue.add(x.correlationId));
        vertx.runOnContext(v -> d.watch(exchange("stuck"), System.nanoTime()));
        Poll.until(Duration.ofSeconds(5), "the periodic sweep ended the stuck request", () -> overdue.contains("stuck"));
    }
}
