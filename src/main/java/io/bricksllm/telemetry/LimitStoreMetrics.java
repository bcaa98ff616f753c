package io.bricksllm.telemetry;

import io.bricksllm.limits.StoreOutage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Health of the shared counter store (Redis) as each guard sees it, tagged {@code store=rate_limit|budget}:
 * calls that failed or were skipped because the store was unavailable, admissions granted by fail-open without
 * it (counters), and whether it is down now (gauge, 1 or 0). Read from {@link StoreOutage} when a backend asks.
 */
public final class LimitStoreMetrics {
    public static final String FAILURES = "bricksllm.limits.store_failures";
    public static final String ADMITTED_WHILE_DOWN = "bricksllm.limits.admitted_while_down";
    public static final String DOWN = "bricksllm.limits.store_down";

    private LimitStoreMetrics() {}

    /** Registers the meters of one guarded store; {@code store} is the tag value. */
    public static void bind(MeterRegistry registry, String store, StoreOutage outage) {
        FunctionCounter.builder(FAILURES, outage, StoreOutage::failures)
                .description("Counter-store calls that failed or were not attempted because the store was unavailable")
                .tag("store", store).register(registry);
        FunctionCounter.builder(ADMITTED_WHILE_DOWN, outage, StoreOutage::admittedWhileDown)
                .description("Requests admitted by the fail_open policy while the counter store was unavailable")
                .tag("store", store).register(registry);
        Gauge.builder(DOWN, outage, o -> o.down() ? 1 : 0)
                .description("1 while the counter store is considered unavailable, else 0")
                .tag("store", store).strongReference(true).register(registry);
    }
}
