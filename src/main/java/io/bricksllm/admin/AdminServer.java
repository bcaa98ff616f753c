package io.bricksllm.admin;

import io.bricksllm.config.ListenerLimits;
import io.bricksllm.listener.ConnectionGuard;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretHash;
import io.bricksllm.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: authentication, body limit, JSON error shape, and dispatch of each
 * {@link AdminResource}'s handlers to worker threads (they use the database).
 */
public final class AdminServer {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private static final String TEMPLATE = "admin.template";

    /** A streamed answer whose client reads nothing for this long is cut off (it holds a worker and a connection). */
    private static final java.time.Duration STREAM_STALL_LIMIT = java.time.Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Router router;
    private final String adminPass;
    private final StorageFailureLog storageFailures = new StorageFailureLog();

    /** Registration surface handed to resources. */
    public final class Routes {
        public void add(HttpMethod method, String path, AdminHandler handler) {
            router.route(method, path).handler(ctx -> {
                ctx.put(TEMPLATE, path);
                dispatch(ctx, handler);
            });
        }

        /** For endpoints that answer from memory without touching the database (health, metrics). */
        public void addDirect(HttpMethod method, String path, io.vertx.core.Handler<RoutingContext> handler) {
            router.route(method, path).handler(handler);
        }
    }

    public AdminServer(Vertx vertx, String adminPass, long bodyLimitBytes, List<AdminResource> resources) {
        this.vertx = vertx;
        this.adminPass = adminPass;
        this.router = Router.router(vertx);
        io.bricksllm.console.ConsoleAssets.mount(router); // static code, before authentication (its data is the API's)
        router.route().handler(this::authenticate);
        router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes));
        router.get("/api/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        Routes routes = new Routes();
        for (AdminResource r : resources) r.register(routes);
        router.errorHandler(413, ctx -> writeError(ctx, new AdminError(413, "/errors/request-too-large",
                "request body too large", "the request body is larger than " + bodyLimitBytes + " bytes")));
        router.errorHandler(404, ctx -> writeError(ctx, new AdminError(404, "/errors/route-not-found",
                "route not found", "no admin endpoint " + ctx.request().method() + " " + ctx.request().path())));
        router.errorHandler(405, ctx -> writeError(ctx, new AdminError(405, "/errors/method-not-allowed",
                "method not allowed", "method " + ctx.request().method() + " is not allowed on " + ctx.request().path())));
        router.errorHandler(400, ctx -> writeError(ctx, AdminError.badJson("the request could not be read")));
        router.errorHandler(500, ctx -> {
            LOG.error("admin {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            writeError(ctx, new AdminError(500, "/errors/internal", "internal error", "internal error"));
        });
    }

    public Future<HttpServer> listen(String host, int port) {
        return listen(host, port, ListenerLimits.DEFAULTS);
    }

    /**
     * Listens with header-read and idle timeouts and a connection cap ({@link ConnectionGuard}); malformed HTTP
     * (a bad chunk size, an undecodable head) gets a JSON error instead of a closed connection.
     */
    public Future<HttpServer> listen(String host, int port, ListenerLimits limits) {
        ConnectionGuard connections = new ConnectionGuard(limits);
        connections.start(vertx);
        HttpServer server = vertx.createHttpServer(
                        new HttpServerOptions().setHost(host).setPort(port).setHttp2ClearTextEnabled(false)) /* see ProxyServer */
                .invalidRequestHandler(MalformedHttpAnswer::invalidRequest);
        return connections.attach(server, MalformedHttpAnswer::guard, router)
                .listen()
                .onFailure(e -> connections.stop(vertx));
    }

    private void authenticate(RoutingContext ctx) {
        if (adminPass.isEmpty() || "/api/health".equals(ctx.request().path())) {
            ctx.next();
            return;
        }
        String presented = ctx.request().getHeader("X-API-KEY");
        if (presented != null && SecretHash.constantTimeEquals(presented, adminPass)) {
            ctx.next();
            return;
        }
        writeError(ctx, new AdminError(401, "/errors/unauthorized", "unauthorized",
                "a valid X-API-KEY header is required for the admin API"));
    }

    private void dispatch(RoutingContext ctx, AdminHandler handler) {
        Map<String, List<String>> query = new HashMap<>();
        ctx.queryParams().forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        // only the headers a handler reads: never the X-API-KEY, which must not end up in a record's toString
        Map<String, String> headers = new HashMap<>();
        String acceptEncoding = ctx.request().getHeader("Accept-Encoding");
        if (acceptEncoding != null) headers.put("accept-encoding", acceptEncoding);
        AdminRequest request = new AdminRequest(Map.copyOf(ctx.pathParams()), query, ctx.body().buffer(), headers);
        vertx.executeBlocking(() -> handler.handle(request), false).onComplete(ar -> {
            if (ctx.response().closed() || ctx.response().ended()) return;
            if (ar.succeeded()) {
                AdminReply reply = ar.result();
                if (reply.streamed() != null) {
                    stream(ctx, reply.streamed());
                    return;
                }
                ctx.response().setStatusCode(reply.status());
                if (reply.empty()) {
                    ctx.response().end();
                } else {
                    Object body = ctx.request().getHeader(io.bricksllm.console.ConsoleRedaction.HEADER) != null
                            ? io.bricksllm.console.ConsoleRedaction.withoutKeySecrets(reply.body()) : reply.body();
                    ctx.response().putHeader("Content-Type", "application/json").end(Json.write(body));
                }
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    /**
     * Sends a streamed answer: its body is written on a worker thread through a {@link ResponseOutputStream}. A failure
     * before the first byte still gets its JSON error; after it, the connection is cut so that the client sees a
     * truncated answer, never a complete-looking one.
     */
    private void stream(RoutingContext ctx, AdminReply.Streamed streamed) {
        var response = ctx.response();
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", streamed.contentType());
        streamed.headers().forEach(response::putHeader);
        ResponseOutputStream out = new ResponseOutputStream(response, STREAM_STALL_LIMIT);
        vertx.executeBlocking(() -> {
            streamed.body().writeTo(out);
            out.flush();
            return null;
        }, false).onComplete(ar -> {
            if (response.closed() || response.ended()) return;
            Throwable cause = ar.cause() instanceof java.io.UncheckedIOException u ? u.getCause() : ar.cause();
            if (ar.succeeded()) {
                response.end();
            } else if (!response.headWritten()) {
                streamed.headers().keySet().forEach(response.headers()::remove);
                response.setChunked(false);
                fail(ctx, cause);
            } else {
                if (cause instanceof ResponseOutputStream.ClientGone gone) {
                    LOG.info("admin {} {}: stream stopped: {}", ctx.request().method(), ctx.request().path(), gone.getMessage());
                } else {
                    LOG.error("admin {} {} failed while streaming", ctx.request().method(), ctx.request().path(), cause);
                }
                response.reset();
            }
        });
    }

    private void fail(RoutingContext ctx, Throwable cause) {
        if (cause instanceof AdminError e) {
            writeError(ctx, e);
        } else if (cause instanceof StoreException e && e.invalidValue()) {
            // the value itself is the problem (e.g. a NUL byte PostgreSQL cannot store): the caller's mistake
            writeError(ctx, AdminError.validation("a value in the request cannot be stored: it is too long or"
                    + " contains a character the database refuses (such as \\u0000)"));
        } else if (cause instanceof StoreException e) {
            storageFailures.failed(ctx.request().method().name(), ctx.request().path(), e);
            writeError(ctx, new AdminError(503, "/errors/storage-unavailable", "storage unavailable",
                    "the database could not complete the request; try again"));
        } else {
            LOG.error("admin {} {} failed", ctx.request().method(), ctx.request().path(), cause);
            writeError(ctx, new AdminError(500, "/errors/internal", "internal error", "internal error"));
        }
    }

    static void writeError(RoutingContext ctx, AdminError e) {
        if (ctx.response().ended() || ctx.response().closed()) return;
        String template = ctx.get(TEMPLATE);
        ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json")
                .end(e.toJson(template != null ? template : ctx.request().path()));
    }
}
