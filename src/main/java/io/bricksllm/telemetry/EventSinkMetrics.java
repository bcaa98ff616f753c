package io.bricksllm.telemetry;

import io.bricksllm.events.BatchingEventSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The event pipeline, read from {@link BatchingEventSink#stats()} when a backend asks (scrape or StatsD poll):
 * queue depth and last batch latency as gauges; written, batches, spooled, replayed, rejected and lost as
 * counters (they only grow).
 */
public final class EventSinkMetrics implements MeterBinder {
    public static final String QUEUE_DEPTH = "bricksllm.events.queue_depth";
    public static final String LAST_BATCH_LATENCY = "bricksllm.events.last_batch_latency";
    public static final String WRITTEN = "bricksllm.events.written";
    public static final String BATCHES = "bricksllm.events.batches";
    public static final String SPOOLED = "bricksllm.events.spooled";
    public static final String REPLAYED = "bricksllm.events.replayed";
    public static final String REJECTED = "bricksllm.events.rejected";
    public static final String LOST = "bricksllm.events.lost";

    private final Supplier<BatchingEventSink.Stats> stats;

    public EventSinkMetrics(Supplier<BatchingEventSink.Stats> stats) {
        this.stats = stats;
    }

    /**
     * Every meter reads through {@code this}; the gauges hold it strongly (function counters only weakly), so the
     * binder lives as long as its meters even when the caller keeps no reference to it.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(QUEUE_DEPTH, this, m -> m.stats.get().queueDepth())
                .description("Events waiting to be written").strongReference(true).register(registry);
        Gauge.builder(LAST_BATCH_LATENCY, this, m -> m.stats.get().lastBatchLatency().toNanos() / 1e9)
                .description("How long the last batch took to store").baseUnit("seconds").strongReference(true)
                .register(registry);
        counter(registry, WRITTEN, "Events stored", s -> s.written());
        counter(registry, BATCHES, "Batches stored", s -> s.batches());
        counter(registry, SPOOLED, "Events spooled to disk because the database could not take them", s -> s.spooled());
        counter(registry, REPLAYED, "Spooled events stored later", s -> s.replayed());
        counter(registry, REJECTED, "Events the database refused", s -> s.rejected());
        counter(registry, LOST, "Events neither stored nor spooled", s -> s.lost());
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToDoubleFunction<BatchingEventSink.Stats> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.stats.get()))
                .description(description).register(registry);
    }
}
