package io.bricksllm.limits.e2e;

import io.bricksllm.testing.AdminClient;
import java.util.Map;
import java.util.UUID;

/** Admin calls and request bodies the limit tests share; everything through the admin API. */
final class Setup {
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String MODEL = "gpt-4o-mini";

    private Setup() {}

    static String chat(String content) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    static String chat(String content, int maxTokens) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    static String stream(String content, int maxTokens) {
        return "{\"model\":\"" + MODEL + "\",\"stream\":true,\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    static String openAiSetting(AdminClient admin, String upstreamUrl) {
        return admin.createSetting("openai", Map.of("apikey", "sk-upstream", "url", upstreamUrl));
    }

    /** Creates a team with {@code limits} (JSON members, may be empty); returns its id. */
    static String team(AdminClient admin, String name, String limits) {
        AdminClient.Reply r = admin.post("/api/teams", "{\"name\":\"" + name + "\"" + (limits.isEmpty() ? "" : "," + limits) + "}");
        if (r.status() != 200) throw new AssertionError("team not created: " + r);
        return r.json().get("id").asText();
    }

    /** A key of the setting with {@code extra} JSON members (limits, teamId); returns {secret, keyId}. */
    static String[] key(AdminClient admin, String setting, String extra) {
        String secret = "e2e-" + UUID.randomUUID();
        String id = admin.createKey("{\"name\":\"k\",\"key\":\"" + secret + "\",\"settingIds\":[\"" + setting + "\"]"
                + (extra.isEmpty() ? "" : "," + extra) + "}").get("keyId").asText();
        return new String[] {secret, id};
    }

    /** {@code Retry-After} as whole seconds; fails when absent or not a positive integer. */
    static long retryAfterSeconds(Burst.Answer a) {
        String v = a.header("Retry-After");
        if (v == null) throw new AssertionError("429 without Retry-After: " + a.body());
        long s = Long.parseLong(v.trim());
        if (s < 1) throw new AssertionError("Retry-After not positive: " + v);
        return s;
    }
}
