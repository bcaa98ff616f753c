package io.bricksllm.admin.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** What {@link AdminAuthenticator} and the console endpoints read from a Vert.x request. */
public final class RequestFacts {
    private RequestFacts() {}

    public static AdminAuthenticator.Credentials credentials(HttpServerRequest r) {
        Cookie session = r.getCookie(AdminAuthenticator.SESSION_COOKIE);
        String token = session == null || session.getValue().isEmpty() ? null : session.getValue();
        boolean browser = r.getHeader(AdminAuthenticator.CONSOLE_HEADER) != null || token != null
                || r.getHeader("Origin") != null || r.getHeader("Sec-Fetch-Site") != null;
        return new AdminAuthenticator.Credentials(r.method().name(), r.getHeader("X-API-KEY"), r.getHeader("Authorization"),
                token, r.getHeader(AdminAuthenticator.CSRF_HEADER), browser, local(r));
    }

    /**
     * From this machine: a loopback peer that no proxy forwarded (a reverse proxy on the same host would make every
     * visitor look local; it adds X-Forwarded-For).
     */
    public static boolean local(HttpServerRequest r) {
        if (r.getHeader("X-Forwarded-For") != null || r.getHeader("Forwarded") != null) return false;
        SocketAddress peer = r.remoteAddress();
        if (peer == null || peer.hostAddress() == null) return false;
        try {
            return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The peer's address, as the audit log and the login throttle use it. */
    public static String address(HttpServerRequest r) {
        SocketAddress peer = r.remoteAddress();
        return peer == null || peer.hostAddress() == null ? "" : peer.hostAddress();
    }

    /** Came over TLS, or through a proxy that says it terminated TLS: the session cookie is then Secure. */
    public static boolean secure(HttpServerRequest r) {
        return r.isSSL() || "https".equalsIgnoreCase(r.getHeader("X-Forwarded-Proto"));
    }
}
