package io.bricksllm.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bricksllm.store.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.MultiMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real, small OpenID Connect provider for tests: discovery, JWKS, an authorization endpoint that signs in the
 * {@link #nextUser} at once (code + PKCE S256 only), and a token endpoint that checks the client secret, the code,
 * the redirect URI and the PKCE verifier before it answers RS256-signed ID and access tokens (nimbus-jose-jwt).
 */
public final class TestOidcProvider implements AutoCloseable {
    /** Who the next authorization signs in. */
    public record User(String subject, String name, List<String> roles) {}

    private record Grant(User user, String clientId, String redirectUri, String nonce, String challenge) {}

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final RSAKey key;
    private final RSAKey otherKey; // never published: tokens it signs must be refused
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final AtomicReference<User> nextUser = new AtomicReference<>(new User("alice", "Alice", List.of("admin")));
    public final AtomicInteger tokenRequests = new AtomicInteger();
    public final AtomicReference<String> lastAuthorizeQuery = new AtomicReference<>();

    public TestOidcProvider(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key").generate();
            otherKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("OIDC provider did not start", e);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public void nextUser(User user) {
        nextUser.set(user);
    }

    /** A token as the provider would issue it for {@code user}, valid for an hour. */
    public String token(User user) {
        return sign(claims(user, issuer(), clientId, Instant.now().plus(Duration.ofHours(1)), null), key);
    }

    /** Signed by the provider's key but issued by someone else. */
    public String tokenWithIssuer(User user, String issuer) {
        return sign(claims(user, issuer, clientId, Instant.now().plus(Duration.ofHours(1)), null), key);
    }

    /** Expired {@code ago}. */
    public String expiredToken(User user, Duration ago) {
        return sign(claims(user, issuer(), clientId, Instant.now().minus(ago), null), key);
    }

    /** Same claims, signed with a key the provider never published (same key id). */
    public String tokenWithForeignSignature(User user) {
        return sign(claims(user, issuer(), clientId, Instant.now().plus(Duration.ofHours(1)), null), otherKey);
    }

    /** For another client (audience and azp). */
    public String tokenForClient(User user, String otherClient) {
        return sign(claims(user, issuer(), otherClient, Instant.now().plus(Duration.ofHours(1)), null), key);
    }

    private JWTClaimsSet claims(User user, String issuer, String audience, Instant expiry, String nonce) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject(user.subject()).audience(audience)
                .claim("azp", audience).claim("name", user.name()).claim("roles", user.roles())
                .issueTime(Date.from(Instant.now().minusSeconds(5))).expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString());
        if (nonce != null) b.claim("nonce", nonce);
        return b.build();
    }

    private static String sign(JWTClaimsSet claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpServerRequest r) {
        switch (r.path()) {
            case "/.well-known/openid-configuration" -> json(r, 200, Map.of("issuer", issuer(),
                    "authorization_endpoint", issuer() + "/authorize", "token_endpoint", issuer() + "/token",
                    "jwks_uri", issuer() + "/jwks", "response_types_supported", List.of("code"),
                    "code_challenge_methods_supported", List.of("S256"), "subject_types_supported", List.of("public"),
                    "id_token_signing_alg_values_supported", List.of("RS256")));
            case "/jwks" -> r.response().putHeader("Content-Type", "application/json")
                    .end(new JWKSet(key.toPublicJWK()).toString());
            case "/authorize" -> authorize(r);
            case "/token" -> r.setExpectMultipart(true).endHandler(v -> token(r, r.formAttributes()));
            default -> r.response().setStatusCode(404).end();
        }
    }

    private void authorize(HttpServerRequest r) {
        lastAuthorizeQuery.set(r.query());
        String redirect = r.getParam("redirect_uri");
        if (!"code".equals(r.getParam("response_type")) || !clientId.equals(r.getParam("client_id")) || redirect == null
                || !"S256".equals(r.getParam("code_challenge_method")) || r.getParam("code_challenge") == null) {
            r.response().setStatusCode(400).end("bad authorization request");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(nextUser.get(), clientId, redirect, r.getParam("nonce"), r.getParam("code_challenge")));
        r.response().setStatusCode(302).putHeader("Location", redirect + "?code=" + code + "&state="
                + URLEncoder.encode(r.getParam("state"), StandardCharsets.UTF_8)).end();
    }

    private void token(HttpServerRequest r, MultiMap form) {
        tokenRequests.incrementAndGet();
        String expectedAuth = "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expectedAuth.equals(r.getHeader("Authorization"))) {
            json(r, 401, Map.of("error", "invalid_client"));
            return;
        }
        Grant g = codes.remove(String.valueOf(form.get("code")));
        if (g == null || !"authorization_code".equals(form.get("grant_type")) || !g.redirectUri().equals(form.get("redirect_uri"))
                || !g.challenge().equals(s256(form.get("code_verifier")))) {
            json(r, 400, Map.of("error", "invalid_grant"));
            return;
        }
        Instant exp = Instant.now().plus(Duration.ofHours(1));
        json(r, 200, Map.of("token_type", "Bearer", "expires_in", 3600,
                "id_token", sign(claims(g.user(), issuer(), clientId, exp, g.nonce()), key),
                "access_token", sign(claims(g.user(), issuer(), clientId, exp, null), key)));
    }

    private static String s256(String verifier) {
        if (verifier == null) return "";
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII))).toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpServerRequest r, int status, Object body) {
        r.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.write(body));
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
