package io.bricksllm.limits;

import io.bricksllm.config.RedisSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import io.vertx.redis.client.impl.types.ErrorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one Redis client, shared by every Redis-backed counter. Every call ends within the
 * read timeout ({@code REDIS_READ_TIME_OUT}): it answers, or fails with {@link LimitStoreUnavailable}.
 *
 * <p>Reconnecting: the Vert.x client keeps a pool of connections and opens a new one on the next call
 * after a connection broke (Redis restarted, connection refused while it is down). Connections that
 * stop answering without breaking (a failover behind the same address, a half-open socket) are not
 * noticed by the pool: when a call times out and nothing at all was answered since it was sent, the
 * client is replaced — new calls connect afresh, and the old client is closed once its calls have
 * timed out. A call that is merely slow while others get answers replaces nothing.
 *
 * <p>Outages are logged here, once for the whole gateway: one warning with the cause when calls start failing, one
 * line when Redis answers again. Callers report the failures they see to metrics, not to the log.
 */
public final class RedisConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
    private static final int POOL_SIZE = 16;
    private static final int POOL_WAITING = 4096;

    private final Vertx vertx;
    private final RedisOptions options;
    private final String address;
    private final long timeoutMillis;
    private final AtomicReference<Redis> client;
    private final String whileDown;
    private final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong failedWhileDown = new java.util.concurrent.atomic.AtomicLong();
    private volatile long downSinceNanos;
    private volatile long lastAnswerNanos = System.nanoTime();

    public RedisConnector(Vertx vertx, RedisSettings settings) {
        this(vertx, settings, "");
    }

    /** {@code whileDown}: what the gateway does while Redis is unavailable, for the outage warning. */
    public RedisConnector(Vertx vertx, RedisSettings settings, String whileDown) {
        this.vertx = vertx;
        this.whileDown = whileDown;
        this.options = options(settings);
        this.address = settings.toString();
        this.timeoutMillis = Math.max(1, settings.readTimeout().toMillis());
        this.client = new AtomicReference<>(Redis.createClient(vertx, options));
    }

    static RedisOptions options(RedisSettings s) {
        long timeout = Math.max(1, s.readTimeout().toMillis());
        RedisOptions o = new RedisOptions()
                .setConnectionString("redis://" + s.host() + ":" + s.port() + "/" + s.dbStartIndex())
                .setNetClientOptions(new NetClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout))
                        .setTcpNoDelay(true)
                        .setTcpKeepAlive(true))
                .setMaxPoolSize(POOL_SIZE)
                .setMaxPoolWaiting(POOL_WAITING);
        if (s.password() != null && !s.password().isEmpty()) o.setPassword(s.password());
        if (s.username() != null && !s.username().isEmpty()) o.setUser(s.username());
        return o;
    }

    /** The per-call deadline. */
    public Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    /** Answers once Redis does (use at start-up to report an unreachable Redis early). */
    public Future<Void> ping() {
        return send(Request.cmd(io.vertx.redis.client.Command.PING)).mapEmpty();
    }

    /** Sends one command. */
    public Future<Response> send(Request request) {
        Redis c = client.get();
        return guard(c, c.send(request));
    }

    /** Runs a script by its SHA-1, loading it with EVAL when Redis answers NOSCRIPT (first use, or after a restart). */
    Future<Response> eval(LuaScript script, List<String> keys, List<String> args) {
        Redis c = client.get();
        Future<Response> call = c.send(script.evalsha(keys, args))
                .recover(e -> noScript(e) ? c.send(script.eval(keys, args)) : Future.failedFuture(e));
        return guard(c, call);
    }

    private Future<Response> guard(Redis c, Future<Response> call) {
        long sent = System.nanoTime();
        return call.timeout(timeoutMillis, TimeUnit.MILLISECONDS).recover(e -> {
            if (e instanceof TimeoutException && lastAnswerNanos - sent < 0) replace(c);
            if (e instanceof ErrorType) { // Redis answered, with an error: it is up
                answered();
                return Future.failedFuture(e);
            }
            unavailable(e);
            return Future.failedFuture(e instanceof LimitStoreUnavailable u ? u
                    : new LimitStoreUnavailable("Redis " + address + " unavailable: " + describe(e), e));
        }).andThen(ar -> {
            if (ar.succeeded()) answered();
        });
    }

    private void answered() {
        lastAnswerNanos = System.nanoTime();
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.info("Redis {} available again after {} s ({} calls failed meanwhile)", address,
                    (System.nanoTime() - downSinceNanos) / 1_000_000_000, failedWhileDown.getAndSet(0));
        }
    }

    private void unavailable(Throwable e) {
        failedWhileDown.incrementAndGet();
        if (down.compareAndSet(false, true)) {
            downSinceNanos = System.nanoTime();
            LOG.warn("Redis {} unavailable: {}{}", address, describe(e), whileDown.isEmpty() ? "" : "; " + whileDown);
        }
    }

    /** True from the first failed call of an outage until Redis answers again. */
    public boolean down() {
        return down.get();
    }

    private static boolean noScript(Throwable e) {
        String m = e.getMessage();
        return m != null && m.startsWith("NOSCRIPT");
    }

    private String describe(Throwable e) {
        if (e instanceof TimeoutException) return "no answer within " + timeoutMillis + " ms";
        if (e instanceof LimitStoreUnavailable && e.getCause() != null) e = e.getCause();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Drops a client whose connections stopped answering; only the first caller that saw it time out does so. */
    private void replace(Redis stale) {
        if (client.get() != stale) return;
        Redis fresh = Redis.createClient(vertx, options);
        if (client.compareAndSet(stale, fresh)) {
            vertx.setTimer(timeoutMillis, id -> stale.close());
        } else {
            fresh.close();
        }
    }

    @Override
    public void close() {
        client.get().close();
    }

    @Override
    public String toString() {
        return address;
    }
}
