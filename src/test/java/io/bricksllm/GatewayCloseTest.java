package io.bricksllm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.Poll;
import io.bricksllm.testing.TestGateway;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A closed gateway that stays referenced (tests keep them in fields) must not keep its token encodings (~60 MB):
 * twelve kept gateways held 712 MB before close() let go of them, and a full test run ran out of heap.
 */
class GatewayCloseTest {
    @Test
    void aClosedGatewayLetsGoOfItsMetersAndTokenEncodings() {
        TestGateway kept = TestGateway.start();
        WeakReference<Object> meters = new WeakReference<>(kept.gateway().meters());
        WeakReference<Object> translations = new WeakReference<>(kept.gateway().translations());
        assertThat(meters.get()).isNotNull();
        assertThat(translations.get()).isNotNull();
        kept.close();
        Poll.until(Duration.ofSeconds(10), "the meters and translations collected while the gateway is still referenced", () -> {
            System.gc();
            return meters.get() == null && translations.get() == null;
        });
        assertThat(kept.gateway()).isNotNull();
        kept.close(); // a second close is harmless
    }
}
