package io.bricksllm.console;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The admin console's files (issue 21), served by the admin listener from the jar: the pages under {@code /ui/} (from
 * {@code console/} on the class path) and the charting library from its WebJar under {@code /ui/vendor/uplot/}. They
 * are code, not data, so they are served before authentication; every datum they show comes from the admin API,
 * which authenticates as ever. Every answer carries a strict Content-Security-Policy (no inline script or style, no
 * other origin, never framed) and {@code nosniff}.
 */
public final class ConsoleAssets {
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    static final String UPLOT_VERSION = "1.6.30";
    private static final String UPLOT_ROOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist";

    private ConsoleAssets() {}

    /** Adds the console's routes; call before the authentication handler. */
    public static void mount(Router router) {
        router.get("/").handler(ctx -> ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/ui/").end());
        router.get("/ui").handler(ctx -> { // Vert.x matches "/ui" for "/ui/" too: only the bare path is redirected
            if ("/ui".equals(ctx.request().path())) ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/ui/").end();
            else ctx.next();
        });
        // the library's file names carry its version: cached for a year
        router.get("/ui/vendor/uplot/" + UPLOT_VERSION + "/*").handler(ConsoleAssets::secure)
                .handler(StaticHandler.create(UPLOT_ROOT).setCachingEnabled(true).setMaxAgeSeconds(31_536_000)
                        .setDirectoryListing(false).setIncludeHidden(false));
        // the console's own files keep their names across releases: revalidated on every load (ETag-free, so no-cache)
        router.get("/ui/*").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            secure(ctx);
        }).handler(StaticHandler.create("console").setCachingEnabled(false).setDirectoryListing(false)
                .setIncludeHidden(false).setIndexPage("index.html"));
    }

    private static void secure(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }
}
