package io.bricksllm.admin.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.bricksllm.config.ConsoleAuthSettings;
import io.bricksllm.store.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The relying party of OIDC single sign-on: discovery, the authorization-code request with PKCE (S256), state and
 * nonce, the code exchange, and verification of ID and access tokens (signature against the provider's JWKS, issuer,
 * audience, expiry, nonce) with nimbus-jose-jwt. Blocking (discovery, token and JWKS requests): worker threads only.
 */
public final class OidcClient {
    /** A token or a sign-in that did not verify; the message says why (never the token). */
    public static final class OidcException extends RuntimeException {
        private final boolean unavailable;

        public OidcException(String message) {
            this(message, false);
        }

        OidcException(String message, boolean unavailable) {
            super(message, null, false, false);
            this.unavailable = unavailable;
        }

        /** The provider could not be reached or answered discovery wrongly: nothing was wrong with the token. */
        public boolean unavailable() {
            return unavailable;
        }
    }

    /** The endpoints discovery gives. */
    record Metadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {}

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final ConsoleAuthSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Metadata metadata;
    private volatile JWKSource<SecurityContext> keys;

    public OidcClient(ConsoleAuthSettings settings) {
        this.settings = settings;
    }

    public ConsoleAuthSettings settings() {
        return settings;
    }

    /** Discovery, read once (again after a failure, so a provider down at start-up is picked up later). */
    Metadata metadata() {
        Metadata m = metadata;
        if (m != null) return m;
        synchronized (this) {
            if (metadata != null) return metadata;
            String issuer = settings.oidcIssuer().orElseThrow().toString();
            URI discovery = URI.create(stripSlash(issuer) + "/.well-known/openid-configuration");
            JsonNode doc = getJson(discovery);
            String announced = doc.path("issuer").asText("");
            if (!stripSlash(announced).equals(stripSlash(issuer))) {
                throw new OidcException("the provider's discovery names issuer " + announced + ", not " + issuer, true);
            }
            m = new Metadata(announced, uri(doc, "authorization_endpoint"), uri(doc, "token_endpoint"), uri(doc, "jwks_uri"));
            try {
                keys = JWKSourceBuilder.<SecurityContext>create(m.jwksUri().toURL()).retrying(true).build();
            } catch (java.net.MalformedURLException e) {
                throw new OidcException("jwks_uri is not a URL: " + e.getMessage());
            }
            metadata = m;
            return m;
        }
    }

    /** The provider's authorization URL for a new sign-in (PKCE S256 challenge of {@code codeVerifier}). */
    public URI authorizationUrl(URI redirectUri, String state, String nonce, String codeVerifier) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", redirectUri.toString());
        q.put("scope", "openid profile email");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", s256(codeVerifier));
        q.put("code_challenge_method", "S256");
        URI endpoint = metadata().authorizationEndpoint();
        String sep = endpoint.getRawQuery() == null ? "?" : "&";
        return URI.create(endpoint + sep + form(q));
    }

    /** Exchanges an authorization code and verifies the ID token it brings (nonce included); its claims. */
    public JWTClaimsSet exchange(String code, String codeVerifier, URI redirectUri, String nonce) {
        Metadata m = metadata();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri.toString());
        body.put("code_verifier", codeVerifier);
        body.put("client_id", settings.clientId());
        HttpRequest.Builder req = HttpRequest.newBuilder(m.tokenEndpoint()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (!settings.clientSecret().isEmpty()) {
            // client_secret_basic, each part form-encoded first (RFC 6749 §2.3.1)
            String basic = enc(settings.clientId()) + ":" + enc(settings.clientSecret());
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = send(req.POST(HttpRequest.BodyPublishers.ofString(form(body))).build());
        if (r.statusCode() != 200) {
            throw new OidcException("the provider refused the authorization code (HTTP " + r.statusCode() + ")");
        }
        JsonNode tokens = Json.read(r.body(), JsonNode.class);
        String idToken = tokens.path("id_token").asText("");
        if (idToken.isEmpty()) throw new OidcException("the provider's token answer has no id_token");
        return verify(idToken, nonce, false);
    }

    /** Verifies a bearer token (an ID token or a JWT access token) given to the admin API. */
    public JWTClaimsSet verifyBearer(String token) {
        return verify(token, null, true);
    }

    private JWTClaimsSet verify(String token, String nonce, boolean bearer) {
        Metadata m = metadata();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // access tokens are often typed at+jwt (RFC 9068); ID tokens JWT or untyped
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder().issuer(m.issuer());
        if (nonce != null) exact.claim("nonce", nonce);
        // an ID token names the client in aud; an access token may name an API there and the client in azp instead
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(bearer ? null : Set.of(settings.clientId()),
                exact.build(), Set.of("sub", "exp"), null));
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            throw new OidcException("token refused: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new OidcException("token refused: " + e.getMessage());
        } catch (java.text.ParseException e) {
            throw new OidcException("token refused: not a JWT");
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw new OidcException("the provider's keys (JWKS) could not be read: " + e.getMessage(), true);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new OidcException("token refused: " + e.getMessage());
        }
        if (bearer) {
            List<String> aud = claims.getAudience();
            Object azp = claims.getClaim("azp");
            if (!aud.contains(settings.clientId()) && !settings.clientId().equals(azp)) {
                throw new OidcException("token refused: issued neither to nor for client " + settings.clientId());
            }
        }
        return claims;
    }

    /** The roles in the claim OIDC_ROLES_CLAIM (a dotted path reaches into objects); a list or a space/comma list. */
    public List<String> roles(JWTClaimsSet claims) {
        Object v = claims.getClaims();
        for (String part : settings.rolesClaim().split("\\.")) {
            v = v instanceof Map<?, ?> map ? map.get(part) : null;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) if (o instanceof String s) out.add(s);
        } else if (v instanceof String s) {
            for (String p : s.split("[\\s,]+")) if (!p.isEmpty()) out.add(p);
        }
        return Principal.knownRoles(out);
    }

    /** The person of a verified token: sub, and a display name from name / preferred_username / email. */
    public Principal principal(JWTClaimsSet claims, Principal.AuthMethod method) {
        String name = firstString(claims, "name", "preferred_username", "email");
        return new Principal(claims.getSubject(), name == null ? claims.getSubject() : name, method, roles(claims));
    }

    private static String firstString(JWTClaimsSet claims, String... names) {
        for (String n : names) {
            Object v = claims.getClaim(n);
            if (v instanceof String s && !s.isBlank()) return s;
        }
        return null;
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64URL.encode(d).toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode getJson(URI uri) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build());
        if (r.statusCode() != 200) throw new OidcException("OIDC discovery at " + uri + " answered HTTP " + r.statusCode(), true);
        return Json.read(r.body(), JsonNode.class);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OidcException("cannot reach the OIDC provider at " + request.uri().getHost() + ": " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException("interrupted while calling the OIDC provider");
        }
    }

    private static URI uri(JsonNode doc, String field) {
        String v = doc.path(field).asText("");
        if (v.isEmpty()) throw new OidcException("the provider's discovery has no " + field, true);
        return URI.create(v);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
