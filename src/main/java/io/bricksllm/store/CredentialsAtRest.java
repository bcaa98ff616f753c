package io.bricksllm.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up step that puts stored provider credentials under the configured encryption key. */
public final class CredentialsAtRest {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsAtRest.class);

    private CredentialsAtRest() {}

    /**
     * Re-encrypts what is not under the current key and warns (once, at start-up) when there is no key. Blocking.
     * Throws {@link SecretCipher.SecretKeyException} when a stored credential cannot be opened with the configured
     * keys, so a wrong key stops start-up instead of sending garbage upstream.
     */
    public static void secure(ProviderSettingRepository settings, SecretCipher cipher) {
        if (!cipher.encrypting()) {
            LOG.warn("ENCRYPTION_KEY is not set: provider credentials are stored unencrypted "
                    + "(set it to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`)");
        }
        int changed = settings.resealAll();
        if (changed > 0) {
            LOG.info("{} provider setting(s) {}", changed,
                    cipher.encrypting() ? "re-encrypted with key " + cipher.currentKeyId() : "decrypted (no ENCRYPTION_KEY)");
        }
    }
}
