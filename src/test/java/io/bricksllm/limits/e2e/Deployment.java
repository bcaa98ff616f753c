package io.bricksllm.limits.e2e;

import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.ScaleOut;
import io.bricksllm.testing.TestDatabases;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateways a limit test drives: one embedded instance (SQLite, limits in memory) or {@code n} instances sharing
 * PostgreSQL and Redis. Tests reach them over HTTP only (admin API, proxy), so they hold whatever the limits are
 * built of inside.
 */
final class Deployment implements AutoCloseable {
    private final List<TestGateway> instances;
    private final TestRedis redis;
    private final ScaleOut cluster;

    private Deployment(List<TestGateway> instances, TestRedis redis, ScaleOut cluster) {
        this.instances = new ArrayList<>(instances);
        this.redis = redis;
        this.cluster = cluster;
    }

    /** One instance for {@code n == 1}, else {@code n} instances in scale-out mode; all with {@code env} and {@code clock}. */
    static Deployment of(int n, Map<String, String> env, Clock clock) {
        if (n == 1) return new Deployment(List.of(TestGateway.start(env, clock)), null, null);
        TestRedis redis = TestRedis.start();
        ScaleOut cluster = new ScaleOut(TestDatabases.freshPostgres(), redis.port());
        try {
            // a loaded 2-core machine must not look like a Redis outage
            Map<String, String> all = new java.util.HashMap<>(Map.of("REDIS_READ_TIME_OUT", "10s"));
            all.putAll(env);
            return new Deployment(cluster.start(n, all, clock), redis, cluster);
        } catch (RuntimeException e) {
            cluster.close();
            redis.close();
            throw e;
        }
    }

    /** One more instance sharing the same database, with {@code extra} over the scale-out environment (e.g. REDIS_PORT). */
    TestGateway startAnother(Map<String, String> extra, Clock clock) {
        if (cluster == null) throw new IllegalStateException("only a scale-out deployment takes more instances");
        TestGateway gw = cluster.start(extra, clock);
        instances.add(gw);
        return gw;
    }

    int redisPort() {
        if (redis == null) throw new IllegalStateException("an embedded deployment has no Redis");
        return redis.port();
    }

    List<TestGateway> instances() {
        return List.copyOf(instances);
    }

    TestGateway instance(int i) {
        return instances.get(i);
    }

    int size() {
        return instances.size();
    }

    AdminClient admin() {
        return instances.get(0).admin;
    }

    List<String> proxyUrls() {
        return instances.stream().map(TestGateway::proxyUrl).toList();
    }

    /**
     * Waits until every instance knows the key (its self-service view answers) and, when {@code mustShow} is given,
     * until that view names it (the key's team): admission on an instance that has not seen the key yet would refuse.
     */
    void awaitKey(String secret, String mustShow) {
        for (TestGateway gw : instances) {
            ProxyClient proxy = new ProxyClient(gw.proxyUrl());
            Poll.until(Duration.ofSeconds(10), "key known to instance " + gw.proxyUrl(), () -> {
                ProxyClient.Reply r = proxy.get("/v1/key", secret);
                return r.status() == 200 && (mustShow == null || r.text().contains(mustShow));
            });
        }
    }

    /** Waits until every instance knows the key and its team (the view shows the team object, id and all). */
    void awaitKeyInTeam(String secret, String teamId) {
        awaitKey(secret, "\"id\":\"" + teamId + "\"");
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        } else {
            instances.forEach(TestGateway::close);
        }
        if (redis != null) redis.close();
    }
}
