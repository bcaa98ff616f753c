package io.bricksllm.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PROMETHEUS_ENABLED is applied: {@code /metrics} is served by default and not at all when it is false. */
class PrometheusEnabledTest {
    @Test
    void metricsAreServedUnlessDisabled() {
        try (TestGateway on = TestGateway.start(); TestGateway off = TestGateway.start(Map.of("PROMETHEUS_ENABLED", "false"))) {
            var scraped = on.admin.get("/metrics");
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("bricksllm_");

            var refused = off.admin.get("/metrics");
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.json().get("status").asInt()).isEqualTo(404);
            assertThat(off.admin.get("/api/health").status()).as("the rest of the admin API is unaffected").isEqualTo(200);
        }
    }
}
