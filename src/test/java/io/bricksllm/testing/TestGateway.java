package io.bricksllm.testing;

import io.bricksllm.Gateway;
import io.bricksllm.config.ConfigLoader;
import io.bricksllm.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole gateway for end-to-end tests: embedded defaults, a SQLite file in a temp directory,
 * listeners on free ports. Extra environment entries override the defaults.
 */
public final class TestGateway implements AutoCloseable {
    private final Gateway gateway;
    private final Path dataDir;
    public final AdminClient admin;

    private TestGateway(Gateway gateway, Path dataDir) {
        this.gateway = gateway;
        this.dataDir = dataDir;
        this.admin = new AdminClient("http://127.0.0.1:" + gateway.adminPort());
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    public static TestGateway start(Map<String, String> env) {
        return start(env, Clock.systemUTC());
    }

    public static TestGateway start(Map<String, String> env, Clock clock) {
        return start(env, clock, System.out);
    }

    /** {@code requestLog}: receives the gateway's one-line-per-request log. */
    public static TestGateway start(Map<String, String> env, Clock clock, java.io.OutputStream requestLog) {
        try {
            Path dir = Files.createTempDirectory("bricksllm-gw");
            Map<String, String> all = new HashMap<>();
            all.put("ADMIN_PORT", "0");
            all.put("PROXY_PORT", "0");
            all.put("BIND_HOST", "127.0.0.1");
            all.put("DATA_DIR", dir.toString());
            all.put("TELEMETRY_PROVIDER", "none");
            all.putAll(env);
            GatewayConfig config = ConfigLoader.load(all);
            return new TestGateway(new Gateway(config, clock, requestLog).start(), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start", e);
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + gateway.adminPort();
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + gateway.proxyPort();
    }

    @Override
    public void close() {
        gateway.close();
    }
}
