package io.bricksllm.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** The proxy listener. Requests are handed to the pipeline; health is answered directly. */
public final class ProxyServer {
    private final Vertx vertx;
    private final Handler<HttpServerRequest> pipeline;

    public ProxyServer(Vertx vertx, Handler<HttpServerRequest> pipeline) {
        this.vertx = vertx;
        this.pipeline = pipeline;
    }

    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                        .setTcpNoDelay(true).setCompressionSupported(false))
                .requestHandler(req -> {
                    if ("/api/health".equals(req.path())) {
                        req.response().setStatusCode(200).end();
                    } else {
                        pipeline.handle(req);
                    }
                })
                .listen();
    }
}
