package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import java.util.List;

/**
 * An Anthropic Messages or legacy Complete request, as the caller sent it, rewritten as the InvokeModel body of a
 * Claude model: the model moves to the path and {@code stream} to the operation, so neither stays in the body; only
 * the fields Bedrock's Claude schema accepts are copied, since it refuses any other ("Extra inputs are not
 * permitted") where Anthropic's API would ignore or accept them ({@code service_tier}, {@code container}, …).
 */
public final class ClaudeInvokeEncoder {

    /** The only Messages API version Bedrock accepts in the body. */
    public static final String BEDROCK_VERSION = "bedrock-2023-05-31";

    private static final List<String> MESSAGES_FIELDS = List.of("system", "messages", "max_tokens", "stop_sequences",
            "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking");
    private static final List<String> COMPLETE_FIELDS = List.of("prompt", "max_tokens_to_sample", "stop_sequences",
            "temperature", "top_p", "top_k");

    private final ObjectMapper json;

    public ClaudeInvokeEncoder(ObjectMapper json) {
        this.json = json;
    }

    /** The Bedrock model id the caller named in {@code model}, which goes in the InvokeModel path. */
    public static String modelId(JsonNode request) {
        JsonNode model = request == null ? null : request.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new InvalidChatRequestException("model", "the Bedrock model id is required (e.g. anthropic.claude-3-5-sonnet-20241022-v2:0)");
        }
        return model.asText();
    }

    /**
     * The Messages body. {@code anthropic_version} is the body's own, else the {@code anthropic-version} header when it
     * names a Bedrock version, else {@link #BEDROCK_VERSION}: the Anthropic SDKs always send their API's version
     * (2023-06-01), which Bedrock refuses in the body. The {@code anthropic-beta} header (comma-separated) becomes
     * Bedrock's {@code anthropic_beta} list. {@code metadata} keeps only {@code user_id}, the one key Bedrock allows.
     *
     * @param versionHeader the caller's {@code anthropic-version} header, or null
     * @param betaHeader    the caller's {@code anthropic-beta} header, or null
     */
    public ObjectNode messages(JsonNode request, String versionHeader, String betaHeader) {
        ObjectNode out = json.createObjectNode();
        out.put("anthropic_version", version(request, versionHeader));
        ArrayNode betas = betas(request, betaHeader);
        if (!betas.isEmpty()) out.set("anthropic_beta", betas);
        copy(request, out, MESSAGES_FIELDS);
        JsonNode user = request.path("metadata").get("user_id");
        if (user != null && user.isTextual()) out.putObject("metadata").set("user_id", user);
        return out;
    }

    /** The legacy Text Completions body: prompt, max_tokens_to_sample, stop_sequences and the sampling fields. */
    public ObjectNode complete(JsonNode request) {
        ObjectNode out = json.createObjectNode();
        copy(request, out, COMPLETE_FIELDS);
        return out;
    }

    private static String version(JsonNode request, String header) {
        JsonNode own = request.get("anthropic_version");
        if (own != null && own.isTextual() && !own.asText().isBlank()) return own.asText();
        return header != null && header.startsWith("bedrock-") ? header : BEDROCK_VERSION;
    }

    private ArrayNode betas(JsonNode request, String header) {
        ArrayNode out = json.createArrayNode();
        JsonNode own = request.get("anthropic_beta");
        if (own != null && own.isArray()) own.forEach(b -> add(out, b.asText()));
        if (header != null) {
            for (String b : header.split(",")) add(out, b.trim());
        }
        return out;
    }

    private static void add(ArrayNode betas, String beta) {
        if (beta.isEmpty()) return;
        for (JsonNode b : betas) if (b.asText().equals(beta)) return;
        betas.add(beta);
    }

    private static void copy(JsonNode from, ObjectNode to, List<String> fields) {
        for (String f : fields) {
            JsonNode v = from.get(f);
            if (v != null && !v.isNull()) to.set(f, v);
        }
    }
}
