import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Set;

/**
 * A rung of bench/ladder.sh, not part of the gateway: the plainest reverse proxy on the gateway's own stack (Vert.x
 * and Netty epoll, one listener and one upstream client per event loop, same client and server options) with no
 * governance at all: no key, no limits, no metering, no event, no log. What it costs per request over nginx is what
 * the HTTP stack costs before the gateway does anything. Run with the gateway jar on the class path:
 * <pre>java -cp bricksllm.jar bench/floor/VertxPassThrough.java PORT UPSTREAM_PORT</pre>
 */
public final class VertxPassThrough {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "host", "te", "trailer");

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        vertx.deployVerticle(() -> new VerticleBase() {
            private HttpClient client;

            @Override
            public Future<?> start() {
                client = vertx.httpClientBuilder()
                        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false)
                                .setKeepAliveTimeout(60))
                        .with(new PoolOptions().setHttp1MaxSize(512))
                        .build();
                return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(this::relay)
                        .listen();
            }

            private void relay(HttpServerRequest req) {
                req.body().onSuccess(body -> {
                    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
                    req.headers().forEach((k, v) -> { if (!HOP_BY_HOP.contains(k.toLowerCase())) headers.add(k, v); });
                    RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
                            .setPort(upstreamPort).setURI(req.uri()).setHeaders(headers);
                    client.request(options).compose(up -> up.send(body)).onComplete(ar -> {
                        HttpServerResponse out = req.response();
                        if (ar.failed()) {
                            out.setStatusCode(502).end();
                            return;
                        }
                        var in = ar.result();
                        out.setStatusCode(in.statusCode());
                        in.headers().forEach((k, v) -> { if (!HOP_BY_HOP.contains(k.toLowerCase())) out.headers().add(k, v); });
                        if (!out.headers().contains("Content-Length")) out.setChunked(true);
                        in.handler(out::write);
                        in.endHandler(v -> out.end());
                    });
                });
            }
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .onSuccess(id -> System.out.println("listening on " + port))
                .onFailure(e -> { e.printStackTrace(); System.exit(1); });
    }
}
