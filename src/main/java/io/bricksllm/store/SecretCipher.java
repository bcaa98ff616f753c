package io.bricksllm.store;

import io.bricksllm.config.EncryptionKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals credentials for storage with AES-256-GCM (JDK): {@code enc:v1:<key id>:<base64 of 12-byte nonce + ciphertext
 * + tag>}, a fresh random nonce per value, and the row's id as associated data so a sealed value cannot be moved to
 * another row. The key id (8 hex digits of a hash of the key) says which key sealed a value: during a rotation values
 * sealed with {@code ENCRYPTION_KEY_PREVIOUS} still open. A stored value without the prefix is a plaintext row from
 * before encryption was enabled and is read as is. Without a current key, {@link #seal} stores plaintext.
 */
public final class SecretCipher {
    static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private record Key(String id, SecretKeySpec spec) {
        static Key of(byte[] raw) {
            if (raw == null) return null;
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(concat("bricksllm-key-id:".getBytes(StandardCharsets.US_ASCII), raw));
                return new Key(HexFormat.of().formatHex(digest, 0, 4), new SecretKeySpec(raw, "AES"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }

        @Override
        public String toString() {
            return "key " + id;
        }
    }

    private final Key current;
    private final Key previous;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(Key current, Key previous) {
        this.current = current;
        this.previous = previous;
    }

    public static SecretCipher of(EncryptionKeys keys) {
        return new SecretCipher(Key.of(keys.current()), Key.of(keys.previous()));
    }

    /** Stores plaintext and reads only plaintext: for tests and tools that never see sealed rows. */
    public static SecretCipher none() {
        return new SecretCipher(null, null);
    }

    /** True when new values are encrypted (ENCRYPTION_KEY is set). */
    public boolean encrypting() {
        return current != null;
    }

    /** The id of the current key, or "none". Safe to log. */
    public String currentKeyId() {
        return current == null ? "none" : current.id();
    }

    /** {@code context}: what the value belongs to (the row id); the same must be given to {@link #open}. */
    public String seal(String plaintext, String context) {
        if (current == null) return plaintext;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, current, nonce, context, plaintext.getBytes(StandardCharsets.UTF_8));
        return PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(concat(nonce, sealed));
    }

    /** The plaintext of a stored value; a {@link SecretKeyException} when no configured key opens it. */
    public String open(String stored, String context) {
        if (stored == null || !stored.startsWith(PREFIX)) return stored;
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) throw new SecretKeyException(context + ": the stored value is not a valid encrypted value");
        String keyId = stored.substring(PREFIX.length(), colon);
        Key key = current != null && current.id().equals(keyId) ? current
                : previous != null && previous.id().equals(keyId) ? previous : null;
        if (key == null) {
            throw new SecretKeyException(context + " was encrypted with key " + keyId + ", but ENCRYPTION_KEY is "
                    + (current == null ? "unset" : "key " + current.id())
                    + (previous == null ? "" : " and ENCRYPTION_KEY_PREVIOUS is key " + previous.id())
                    + ": set ENCRYPTION_KEY (or ENCRYPTION_KEY_PREVIOUS during a rotation) to the key it was encrypted with");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretKeyException(context + ": the stored value is not a valid encrypted value");
        }
        if (blob.length < NONCE_BYTES) throw new SecretKeyException(context + ": the stored value is not a valid encrypted value");
        ByteBuffer b = ByteBuffer.wrap(blob);
        byte[] nonce = new byte[NONCE_BYTES];
        b.get(nonce);
        byte[] sealed = new byte[b.remaining()];
        b.get(sealed);
        return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, context, sealed), StandardCharsets.UTF_8);
    }

    /** True when the stored value is not sealed with the current key (plaintext while a key is set, an older key, or sealed while none is). */
    public boolean needsResealing(String stored) {
        if (stored == null) return false;
        if (!stored.startsWith(PREFIX)) return current != null;
        return current == null || !stored.startsWith(PREFIX + current.id() + ":");
    }

    private static byte[] crypt(int mode, Key key, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretKeyException(context + " cannot be decrypted with " + key
                    + ": the stored value was altered, or it was encrypted with a different key that has the same id");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A stored secret that the configured keys cannot open. Its message names keys by id only, never a secret. */
    public static final class SecretKeyException extends StoreException {
        public SecretKeyException(String message) {
            super(message, null);
        }
    }
}
