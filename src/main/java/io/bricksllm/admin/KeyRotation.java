package io.bricksllm.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.config.GoDuration;
import io.bricksllm.store.ApiKey;
import io.bricksllm.store.Json;
import io.bricksllm.store.SecretHash;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The rules of {@code POST /api/key-management/keys/:id/rotate} (issue 19.6) that need no database: the body,
 * the generated secret, and the rotated key. Messages never contain a secret.
 */
final class KeyRotation {
    /** Generated secrets start with this, so that a leaked one is recognisable (secret scanners, logs). */
    static final String GENERATED_PREFIX = "bricks-sk-";
    static final int GENERATED_BYTES = 32;
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    /** The parsed body: {@code secret} is null when one is to be generated. */
    record Request(String secret, Duration gracePeriod) {}

    private final SecureRandom random;

    KeyRotation(SecureRandom random) {
        this.random = random;
    }

    /** Both fields optional (an empty body is a rotation with a generated secret and a 24 h grace). */
    static Request parse(AdminRequest req) {
        JsonNode json = req.json();
        // checked on the tree rather than bound: a databind type error would quote the value, which may be a secret
        String secret = null;
        JsonNode key = json.get("key");
        if (key != null && !key.isNull()) {
            if (!key.isTextual()) throw AdminError.badJson("field key must be a string");
            // the proxy trims what a caller presents, so a secret with blanks around it could never authenticate
            if (key.asText().isBlank() || !key.asText().strip().equals(key.asText())) {
                throw KeyValidation.fieldsInvalid(java.util.List.of("key"));
            }
            secret = key.asText();
        }
        Duration grace = DEFAULT_GRACE;
        JsonNode gp = json.get("gracePeriod");
        if (gp != null && !gp.isNull()) {
            if (!gp.isTextual()) throw AdminError.badJson("field gracePeriod must be a string such as \"24h\" or \"0s\"");
            try {
                grace = GoDuration.parse(gp.asText());
            } catch (IllegalArgumentException e) {
                throw AdminError.validation("field gracePeriod is not a duration such as \"24h\", \"90m\" or \"0s\"");
            }
            if (grace.isNegative()) throw AdminError.validation("field gracePeriod must not be negative");
        }
        return new Request(secret, grace);
    }

    /** A fresh secret: 32 random bytes, base64url without padding, after {@link #GENERATED_PREFIX}. */
    String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        random.nextBytes(bytes);
        return GENERATED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * {@code old} with {@code secret} as its secret. The secret it had stays valid until {@code now + grace}, rounded
     * up to the second (expiries are Unix seconds like every key timestamp), replacing any previous secret still in
     * its grace period: only one is kept. A zero grace keeps none, so the old secret stops at once.
     */
    ApiKey apply(ApiKey old, String secret, Duration grace, Instant now) {
        if (old.revoked()) {
            throw AdminError.conflict("key " + old.keyId() + " is revoked: a revoked key cannot be rotated");
        }
        String newHash = SecretHash.sha256Hex(secret);
        if (newHash.equals(old.keyHash())) throw AdminError.validation("field key must differ from the key's current secret");
        long nowSeconds = now.getEpochSecond();
        if (grace.isZero()) return old.rotated(newHash, null, nowSeconds, nowSeconds);
        Instant end = now.plus(grace);
        long expires = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
        return old.rotated(newHash, old.keyHash(), expires, nowSeconds);
    }

    /** The answer to a rotation with a generated secret: the key object with the secret itself in {@code key}. */
    static ObjectNode showingSecret(ApiKey rotated, String secret) {
        ObjectNode node = Json.MAPPER.valueToTree(rotated);
        node.put("key", secret);
        return node;
    }
}
