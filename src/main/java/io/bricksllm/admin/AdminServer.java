package io.bricksllm.admin;

import io.bricksllm.admin.audit.AuditMasking;
import io.bricksllm.admin.auth.AdminAuthenticator;
import io.bricksllm.admin.auth.AdminSecurity;
import io.bricksllm.admin.auth.Authorizer;
import io.bricksllm.admin.auth.Principal;
import io.bricksllm.admin.auth.RequestFacts;
import io.bricksllm.admin.auth.RouteRule;
import io.bricksllm.config.ListenerLimits;
import io.bricksllm.listener.ConnectionGuard;
import io.bricksllm.store.Json;
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
    private static final String CALLER = "admin.caller";

    /** A streamed answer whose client reads nothing for this long is cut off (it holds a worker and a connection). */
    private static final java.time.Duration STREAM_STALL_LIMIT = java.time.Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Router router;
    private final AdminSecurity security;
    private final List<RouteId> registered = new ArrayList<>();
    private final StorageFailureLog storageFailures = new StorageFailureLog();

    /** One registered admin route: its method and path template. */
    public record RouteId(HttpMethod method, String path) {}

    /** Registration surface handed to resources. */
    public final class Routes {
        public void add(HttpMethod method, String path, AdminHandler handler) {
            RouteRule rule = security.routes().rule(method, path);
            registered.add(new RouteId(method, path));
            router.route(method, path).handler(ctx -> {
                ctx.put(TEMPLATE, path);
                dispatch(ctx, handler, rule);
            });
        }

        /** For endpoints that answer from memory without touching the database (health, metrics). */
        public void addDirect(HttpMethod method, String path, io.vertx.core.Handler<RoutingContext> handler) {
            RouteRule rule = security.routes().rule(method, path);
            registered.add(new RouteId(method, path));
            router.route(method, path).handler(ctx -> {
                try {
                    // a direct route's rule has no team gate (it would read the database on the event loop)
                    if (rule.gate() != null) throw new AdminError(403, "/errors/forbidden", "forbidden", "not allowed");
                    Authorizer.admit(caller(ctx), rule, null);
                } catch (AdminError e) {
                    writeError(ctx, e);
                    return;
                }
                handler.handle(ctx);
            });
        }
    }

    public AdminServer(Vertx vertx, String adminPass, long bodyLimitBytes, List<AdminResource> resources) {
        this(vertx, bodyLimitBytes, resources, AdminSecurity.apiKeyOnly(adminPass));
    }

    public AdminServer(Vertx vertx, long bodyLimitBytes, List<AdminResource> resources, AdminSecurity security) {
        this.vertx = vertx;
        this.security = security;
        this.router = Router.router(vertx);
        // a JSON answer is never sniffed into something a browser would run; no answer is framed by another site
        router.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY");
            ctx.next();
        });
        io.bricksllm.console.ConsoleAssets.mount(router); // static code, before authentication (its data is the API's)
        router.route().handler(this::authenticate);
        router.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes));
        router.get("/api/health").handler(ctx -> ctx.response().setStatusCode(200).end());
        if (security.console() != null) security.console().register(router);
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

    /** The routes resources registered, in order (for the role tests that walk every route). */
    public List<RouteId> routes() {
        return List.copyOf(registered);
    }

    /**
     * Finds the caller ({@link AdminAuthenticator}) before anything else is read, so an unauthenticated call is a
     * 401 even when its body is too large or its route does not exist. The console's own pages and sign-in endpoints
     * (/ui/…) and the liveness probe need no caller. Sessions and bearer tokens are checked on a worker thread.
     */
    private void authenticate(RoutingContext ctx) {
        String path = ctx.request().path();
        if ("/api/health".equals(path) || "/".equals(path) || "/ui".equals(path) || path.startsWith("/ui/")) {
            ctx.next();
            return;
        }
        AdminAuthenticator auth = security.authenticator();
        AdminAuthenticator.Credentials credentials = RequestFacts.credentials(ctx.request());
        if (auth.quick(credentials)) {
            try {
                ctx.put(CALLER, auth.authenticate(credentials));
            } catch (AdminError e) {
                writeError(ctx, e);
                return;
            }
            ctx.next();
            return;
        }
        // the body handler comes next: the body must wait for it, not flow (and be lost) while the caller is looked up
        ctx.request().pause();
        vertx.executeBlocking(() -> auth.authenticate(credentials), false).onComplete(ar -> {
            if (ctx.response().ended() || ctx.response().closed()) return;
            if (ar.succeeded()) {
                ctx.put(CALLER, ar.result());
                ctx.next();
            } else {
                fail(ctx, ar.cause());
                ctx.request().resume(); // drain the unread body so the connection can serve the next request
            }
        });
    }

    private static Principal caller(RoutingContext ctx) {
        AdminAuthenticator.Caller c = ctx.get(CALLER);
        if (c == null) throw new AdminError(401, "/errors/unauthorized", "unauthorized", "no caller");
        return c.principal();
    }

    private void dispatch(RoutingContext ctx, AdminHandler handler, RouteRule rule) {
        Map<String, List<String>> query = new HashMap<>();
        ctx.queryParams().forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        // only the headers a handler reads: never the X-API-KEY, which must not end up in a record's toString
        Map<String, String> headers = new HashMap<>();
        String acceptEncoding = ctx.request().getHeader("Accept-Encoding");
        if (acceptEncoding != null) headers.put("accept-encoding", acceptEncoding);
        AdminRequest request = new AdminRequest(Map.copyOf(ctx.pathParams()), query, ctx.body().buffer(), headers);
        Principal who;
        try {
            who = caller(ctx);
        } catch (AdminError e) {
            writeError(ctx, e);
            return;
        }
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        String address = RequestFacts.address(ctx.request());
        String template = ctx.get(TEMPLATE);
        vertx.executeBlocking(() -> {
            // the role check of this route (and a team-admin's narrowing), then the change, then its audit row
            RouteRule.Admission admission = Authorizer.admit(who, rule, request);
            if (admission instanceof RouteRule.Admission.Answer answer) return forCaller(who, template, answer.reply());
            AdminRequest admitted = ((RouteRule.Admission.Run) admission).request();
            boolean audited = rule.access().change() && security.audit() != null;
            var before = audited ? security.audit().before(rule.resourceType(), admitted) : null;
            AdminReply reply = handler.handle(admitted);
            if (audited && reply.status() < 300) {
                security.audit().record(who, address, method, path, rule.resourceType(), admitted, before, reply);
            }
            return forCaller(who, template, reply);
        }, false).onComplete(ar -> {
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
                    // a rotation's generated secret is shown once, to whoever rotated (as in forCaller)
                    boolean rotation = template != null && template.endsWith("/rotate");
                    Object body = ctx.request().getHeader(io.bricksllm.console.ConsoleRedaction.HEADER) != null && !rotation
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

    /**
     * Keys' stored secrets and hashes never reach a browser or a caller below admin; an API client with ADMIN_PASS
     * sees them as before. A rotation's generated secret is the one answer meant to show a secret, once.
     */
    private static AdminReply forCaller(Principal who, String template, AdminReply reply) {
        if (reply.body() == null || reply.streamed() != null) return reply;
        if (!who.method().browser() && who.isAdmin()) return reply;
        if (template != null && template.endsWith("/rotate")) return reply;
        return new AdminReply(reply.status(), AuditMasking.keySecrets(reply.body()), reply.empty());
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
