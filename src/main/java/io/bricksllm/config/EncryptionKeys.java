package io.bricksllm.config;

import java.util.Arrays;

/**
 * The keys that encrypt provider credentials at rest: {@code ENCRYPTION_KEY} (new values are sealed with it) and,
 * during a rotation, {@code ENCRYPTION_KEY_PREVIOUS} (still accepted for reading). Each is 32 bytes (AES-256) or
 * null when unset. Never printed.
 */
public record EncryptionKeys(byte[] current, byte[] previous) {
    public static final EncryptionKeys NONE = new EncryptionKeys(null, null);

    public EncryptionKeys {
        current = current == null ? null : current.clone();
        previous = previous == null ? null : previous.clone();
    }

    @Override
    public byte[] current() {
        return current == null ? null : current.clone();
    }

    @Override
    public byte[] previous() {
        return previous == null ? null : previous.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKeys k && Arrays.equals(current, k.current) && Arrays.equals(previous, k.previous);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(current) + Arrays.hashCode(previous);
    }

    @Override
    public String toString() {
        return "EncryptionKeys[current=" + (current == null ? "unset" : "set") + ", previous=" + (previous == null ? "unset" : "set") + "]";
    }
}
