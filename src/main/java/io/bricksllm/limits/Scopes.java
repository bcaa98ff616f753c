package io.bricksllm.limits;

/** Names of the counters' scopes: admission, seeding and the self-service view must all name a key's the same way. */
public final class Scopes {
    private Scopes() {}

    /** The rate-limit counters and spend account of one gateway key. */
    public static String key(String keyId) {
        return "key:" + keyId;
    }

    /** The counters of one team: every key and end user of the team counts here too. */
    public static String team(String teamId) {
        return "team:" + teamId;
    }

    /** The counters of one end user, by its internal id (not the caller-given user id). */
    public static String user(String internalId) {
        return "user:" + internalId;
    }
}
