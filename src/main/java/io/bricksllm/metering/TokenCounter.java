package io.bricksllm.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Locale;

/**
 * Counts tokens with the model's tiktoken encoding when the upstream reported no usage (streams
 * without usage, legacy endpoints). Counts ordinary text only: a prompt that contains
 * {@code <|endoftext|>} is counted as the text it is, not rejected.
 *
 * <p>Thread-safe. Encodings load lazily and the first use of each takes a few hundred
 * milliseconds; call {@link #warmUp()} off the event loop at start-up so no request pays it.
 * Large texts should be counted on a worker, not an event loop.
 */
public final class TokenCounter {

    private static final List<String> O200K_PREFIXES =
            List.of("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "gpt-oss", "codex");
    private static final List<String> CL100K_PREFIXES =
            List.of("text-embedding-", "gpt-4", "gpt-3.5", "gpt-35", "babbage-002", "davinci-002");
    private static final List<String> P50K_PREFIXES = List.of("text-davinci-002", "text-davinci-003", "code-");
    private static final List<String> R50K_PREFIXES =
            List.of("ada", "babbage", "curie", "davinci", "text-ada-", "text-babbage-", "text-curie-", "text-davinci-", "text-similarity-", "text-search-");

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

    /** Loads every encoding this class may use. Blocking; run it once at start-up. */
    public TokenCounter warmUp() {
        for (EncodingType type : List.of(EncodingType.O200K_BASE, EncodingType.CL100K_BASE, EncodingType.P50K_BASE, EncodingType.R50K_BASE)) {
            registry.getEncoding(type).countTokensOrdinary("warm up");
        }
        return this;
    }

    /**
     * The encoding OpenAI uses for {@code model}: o200k_base for the gpt-4o generation and later,
     * cl100k_base for gpt-4/gpt-3.5 and embeddings, p50k/r50k for the GPT-3 era; cl100k_base when
     * unknown (the most common encoding among OpenAI-compatible servers' tokenizers of similar size).
     */
    public EncodingType encodingFor(String model) {
        String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
        if (m.startsWith("ft:")) {
            m = m.substring(3);
        }
        if (m.startsWith("text-embedding-")) {
            return EncodingType.CL100K_BASE; // before the generic prefixes: "text-embedding-ada-002" is cl100k
        }
        if (startsWithAny(m, O200K_PREFIXES)) {
            return EncodingType.O200K_BASE;
        }
        if (startsWithAny(m, CL100K_PREFIXES)) {
            return EncodingType.CL100K_BASE;
        }
        if (startsWithAny(m, P50K_PREFIXES)) {
            return EncodingType.P50K_BASE;
        }
        if (startsWithAny(m, R50K_PREFIXES)) {
            return EncodingType.R50K_BASE;
        }
        return EncodingType.CL100K_BASE;
    }

    public int countText(String model, String text) {
        return countText(encodingFor(model), text);
    }

    /** For callers whose tokenizer is fixed by the spec rather than the model (vLLM: r50k_base). */
    public int countText(EncodingType encoding, String text) {
        return text == null || text.isEmpty() ? 0 : registry.getEncoding(encoding).countTokensOrdinary(text);
    }

    public int countChatPrompt(String model, JsonNode messages) {
        return countChatPrompt(encodingFor(model), messages);
    }

    /**
     * OpenAI's prompt-size formula for chat messages (BEHAVIOUR.md 9a.2): 3 tokens prime the reply;
     * each message adds 3 plus its role, content and name (+1 when named), −2 for the legacy
     * {@code function} role, and for a {@code function_call} (and each {@code tool_calls} entry) its
     * name and arguments + 3. Array content counts its text parts; images are not counted.
     * Function definitions ({@code functions}/{@code tools}) are not included.
     */
    public int countChatPrompt(EncodingType encodingType, JsonNode messages) {
        Encoding encoding = registry.getEncoding(encodingType);
        int tokens = 3;
        if (messages == null || !messages.isArray()) {
            return tokens;
        }
        for (JsonNode message : messages) {
            String role = text(message.get("role"));
            String name = text(message.get("name"));
            tokens += 3 + count(encoding, role) + contentTokens(encoding, message.get("content"));
            if (!name.isEmpty()) {
                tokens += count(encoding, name) + 1;
            }
            if (role.equals("function")) {
                tokens -= 2;
            }
            tokens += callTokens(encoding, message.get("function_call"));
            JsonNode toolCalls = message.get("tool_calls");
            if (toolCalls != null && toolCalls.isArray()) {
                for (JsonNode call : toolCalls) {
                    tokens += callTokens(encoding, call.get("function"));
                }
            }
        }
        return tokens;
    }

    private static int contentTokens(Encoding encoding, JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return count(encoding, content.asText());
        }
        int tokens = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    tokens += count(encoding, part.asText());
                } else if (part.path("text").isTextual()) {
                    tokens += count(encoding, part.get("text").asText());
                }
            }
        }
        return tokens;
    }

    private static int callTokens(Encoding encoding, JsonNode call) {
        if (call == null || !call.isObject()) {
            return 0;
        }
        return count(encoding, text(call.get("name"))) + count(encoding, text(call.get("arguments"))) + 3;
    }

    private static int count(Encoding encoding, String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : "";
    }

    private static boolean startsWithAny(String model, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (model.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
