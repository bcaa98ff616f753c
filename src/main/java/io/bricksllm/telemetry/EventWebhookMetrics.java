package io.bricksllm.telemetry;

import io.bricksllm.events.webhook.EventWebhook;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The event webhook, read from {@link EventWebhook#stats()} when a backend asks: events by result
 * ({@code bricksllm_event_webhook_events_total{result=delivered|retried|spooled|dropped|dead_lettered}}), batches
 * delivered, and as gauges the queue depth, the spool's bytes and the last delivery's latency.
 */
public final class EventWebhookMetrics implements MeterBinder {
    public static final String EVENTS = "bricksllm.event_webhook.events";
    public static final String BATCHES = "bricksllm.event_webhook.batches";
    public static final String QUEUE_DEPTH = "bricksllm.event_webhook.queue_depth";
    public static final String SPOOL_BYTES = "bricksllm.event_webhook.spool_bytes";
    public static final String LAST_DELIVERY_LATENCY = "bricksllm.event_webhook.last_delivery_latency";

    private final Supplier<EventWebhook.Stats> stats;

    public EventWebhookMetrics(Supplier<EventWebhook.Stats> stats) {
        this.stats = stats;
    }

    /** As {@link EventSinkMetrics}: the gauges hold this binder strongly, so the function counters keep reading. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(QUEUE_DEPTH, this, m -> m.stats.get().queueDepth())
                .description("Events waiting in memory to be written to the webhook spool").strongReference(true).register(registry);
        Gauge.builder(SPOOL_BYTES, this, m -> m.stats.get().spoolBytes())
                .description("Bytes of undelivered batches in the webhook spool").baseUnit("bytes").strongReference(true).register(registry);
        Gauge.builder(LAST_DELIVERY_LATENCY, this, m -> m.stats.get().lastDeliveryLatency().toNanos() / 1e9)
                .description("How long the last delivered batch took").baseUnit("seconds").strongReference(true).register(registry);
        events(registry, "delivered", "Events the webhook acknowledged", EventWebhook.Stats::delivered);
        events(registry, "retried", "Events in attempts that failed and are retried", EventWebhook.Stats::retried);
        events(registry, "spooled", "Events spooled while the webhook was failing", EventWebhook.Stats::spooled);
        events(registry, "dropped", "Events dropped (spool over its size limit, or not writable)", EventWebhook.Stats::dropped);
        events(registry, "dead_lettered", "Events in batches the webhook refused (kept in dead-letter files)",
                EventWebhook.Stats::deadLettered);
        FunctionCounter.builder(BATCHES, this, m -> m.stats.get().batches())
                .description("Batches the webhook acknowledged").register(registry);
    }

    private void events(MeterRegistry registry, String result, String description, ToDoubleFunction<EventWebhook.Stats> value) {
        FunctionCounter.builder(EVENTS, this, m -> value.applyAsDouble(m.stats.get()))
                .tag("result", result).description(description).register(registry);
    }
}
