package io.bricksllm.dialect.bedrock;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Bedrock runtime paths. Model ids contain {@code :} (and inference profile ARNs {@code /}), so the id
 * is percent-encoded as one path segment; the SigV4 signer encodes the path once more for the
 * canonical request, as the AWS SDK does for Bedrock.
 */
public final class BedrockPaths {

    private BedrockPaths() {
    }

    /** The runtime endpoint of a region, used when the setting has no {@code url}. */
    public static String defaultBaseUrl(String region) {
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }

    /**
     * Whether a Bedrock model id (or inference profile, {@code us.anthropic.claude-…}, or its ARN) is a Claude model,
     * which takes Anthropic's own Messages bodies through InvokeModel.
     */
    public static boolean isClaude(String modelId) {
        return modelId.contains("anthropic.claude");
    }

    public static String converse(String modelId) {
        return "/model/" + segment(modelId) + "/converse";
    }

    public static String converseStream(String modelId) {
        return "/model/" + segment(modelId) + "/converse-stream";
    }

    /** InvokeModel, the path of the Titan embeddings call. */
    public static String invoke(String modelId) {
        return "/model/" + segment(modelId) + "/invoke";
    }

    /** InvokeModelWithResponseStream: the InvokeModel body, answered in event-stream frames. */
    public static String invokeWithResponseStream(String modelId) {
        return "/model/" + segment(modelId) + "/invoke-with-response-stream";
    }

    static String segment(String modelId) {
        if (modelId.isEmpty()) {
            throw new IllegalArgumentException("empty model id");
        }
        // URLEncoder is form encoding: a space becomes '+', which a path must spell %20
        return URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
