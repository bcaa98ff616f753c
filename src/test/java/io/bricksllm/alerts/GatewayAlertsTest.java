package io.bricksllm.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.limits.SpendObserver;
import io.bricksllm.testing.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway builds spend alerts only when a webhook is configured, and closes them with itself. */
class GatewayAlertsTest {
    @Test
    void alertsAreOnOnlyWithAWebhook() {
        try (TestGateway off = TestGateway.start()) {
            assertThat(off.gateway().spendObserver()).isSameAs(SpendObserver.NONE);
        }
        try (TestGateway on = TestGateway.start(Map.of("ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook",
                "ALERT_WEBHOOK_SECRET", "s", "ALERT_THRESHOLDS", "90"))) {
            assertThat(on.gateway().spendObserver()).isInstanceOf(SpendAlerts.class);
        }
    }
}
