package io.bricksllm.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The stored form of a gateway key's secret: lowercase hex SHA-256, as in the original. */
public final class SecretHash {
    /** One digest per thread: looking the algorithm up costs more than hashing a key (done on every request). */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    private SecretHash() {}

    public static String sha256Hex(String secret) {
        return HEX.formatHex(SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8))); // digest() also resets it
    }

    /** Constant-time comparison for secrets (admin password). */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
