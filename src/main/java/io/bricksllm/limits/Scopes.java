package io.bricksllm.limits;

/** Names of the counters' scopes: admission, seeding and the self-service view must all name a key's the same way. */
public final class Scopes {
    private Scopes() {}

    /** The rate-limit counters and spend account of one gateway key. */
    public static String key(String keyId) {
        return "key:" + keyId;
    }
}
