package io.bricksllm.proxy;

import io.bricksllm.listener.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One proxy listener per event loop: the gateway deploys as many instances as it has cores, all on the
 * same port (Vert.x spreads connections across them), each with its own pipeline and upstream client so
 * that a request never leaves its event loop. Health is answered directly.
 */
public final class ProxyServer extends VerticleBase {
    private final Function<Vertx, Handler<HttpServerRequest>> pipelines;
    private final String host;
    private final int port;
    private final ConnectionGuard connections;
    private HttpServer server;

    /** {@code connections}: shared by every instance of the listener (its cap counts them all). */
    public ProxyServer(Function<Vertx, Handler<HttpServerRequest>> pipelines, String host, int port, ConnectionGuard connections) {
        this.pipelines = pipelines;
        this.host = host;
        this.port = port;
        this.connections = connections;
    }

    @Override
    public Future<?> start() {
        Handler<HttpServerRequest> pipeline = pipelines.apply(vertx);
        // The proxy serves no WebSocket: without the deflate extensions Vert.x leaves WebSocketServerExtensionHandler,
        // which inspects every request and response for an upgrade, out of each connection's pipeline.
        // HTTP/1.1 only (no cleartext HTTP/2): with h2c on, Vert.x makes a connection known to the connection handler
        // only once its first request head is read, and the ConnectionGuard must see it from the start.
        HttpServer http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false).setTcpNoDelay(true).setCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false));
        return connections.attach(http, req -> {
                    if ("/api/health".equals(req.path())) {
                        req.response().setStatusCode(200).end();
                    } else {
                        pipeline.handle(req);
                    }
                })
                .listen()
                .onSuccess(s -> server = s);
    }

    /** Stops accepting and lets in-flight requests finish (bounded). */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(4, TimeUnit.SECONDS);
    }

    public int actualPort() {
        return server.actualPort();
    }
}
