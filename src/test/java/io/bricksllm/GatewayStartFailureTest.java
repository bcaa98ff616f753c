package io.bricksllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bricksllm.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up work runs on several threads at once: a failure in any of them still stops start-up with its own message. */
class GatewayStartFailureTest {
    @TempDir
    Path dir;

    @Test
    void anUnreadablePriceFileStopsStartUpNamingTheFile() {
        Path missing = dir.resolve("no-such-prices.json");
        Gateway gw = new Gateway(ConfigLoader.load(Map.of("ADMIN_PORT", "0", "PROXY_PORT", "0", "BIND_HOST", "127.0.0.1",
                "DATA_DIR", dir.toString(), "TELEMETRY_PROVIDER", "none", "PRICE_FILE", missing.toString())), Clock.systemUTC());
        assertThatThrownBy(gw::start).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("cannot read price file").hasMessageContaining("no-such-prices.json");
        gw.close(); // harmless after a failed start
        assertThat(dir.resolve("bricksllm.db")).exists(); // the database opened meanwhile, and was closed again
    }
}
