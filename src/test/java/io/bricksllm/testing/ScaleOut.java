package io.bricksllm.testing;

import io.bricksllm.config.PostgresSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several gateway "processes" in scale-out mode: each a whole {@link TestGateway} with its own Vert.x,
 * ports and data directory (hence its own event spool), all sharing one PostgreSQL database and one Redis.
 * Closing stops every instance.
 */
public final class ScaleOut implements AutoCloseable {
    private final PostgresSettings postgres;
    private final int redisPort;
    private final List<TestGateway> instances = new ArrayList<>();

    public ScaleOut(PostgresSettings postgres, int redisPort) {
        this.postgres = postgres;
        this.redisPort = redisPort;
    }

    /** The environment that selects scale-out mode (POSTGRESQL_*, REDIS_*), plus {@code extra}. */
    public Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("POSTGRESQL_HOSTS", postgres.host());
        env.put("POSTGRESQL_PORT", String.valueOf(postgres.port()));
        env.put("POSTGRESQL_DB_NAME", postgres.database());
        env.put("POSTGRESQL_USERNAME", postgres.username());
        env.put("POSTGRESQL_PASSWORD", postgres.password());
        env.put("REDIS_HOSTS", "127.0.0.1");
        env.put("REDIS_PORT", String.valueOf(redisPort));
        // the machine running the tests is shared and may be slow: a loaded JVM must not look like an outage
        env.put("REDIS_READ_TIME_OUT", "2s");
        env.putAll(extra);
        return env;
    }

    public TestGateway start(Map<String, String> extra, Clock clock) {
        TestGateway gw = TestGateway.start(env(extra), clock);
        instances.add(gw);
        return gw;
    }

    public TestGateway start(Map<String, String> extra) {
        return start(extra, Clock.systemUTC());
    }

    /** Starts {@code n} instances with the same configuration and clock. */
    public List<TestGateway> start(int n, Map<String, String> extra, Clock clock) {
        List<TestGateway> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(start(extra, clock));
        return out;
    }

    public List<TestGateway> instances() {
        return List.copyOf(instances);
    }

    @Override
    public void close() {
        for (TestGateway gw : instances) {
            try {
                gw.close();
            } catch (RuntimeException e) {
                System.err.println("instance did not close cleanly: " + e);
            }
        }
        instances.clear();
    }
}
