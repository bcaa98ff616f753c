package io.bricksllm.telemetry.tracing;

import io.bricksllm.proxy.Operation;

/** Our provider and operation names as the OpenTelemetry GenAI semantic conventions spell them. */
final class GenAiNames {
    private GenAiNames() {
    }

    /** {@code gen_ai.provider.name}: the well-known values of the conventions, else our own provider name. */
    static String provider(String ours) {
        if (ours == null || ours.isEmpty()) return null;
        return switch (ours) {
            case "azure" -> "azure.ai.openai";
            case "bedrock" -> "aws.bedrock";
            case "gemini" -> "gcp.gemini";
            default -> ours; // openai, anthropic, and custom providers by their own name
        };
    }

    /** {@code gen_ai.operation.name}; null for operations the conventions do not name (audio, pass-through). */
    static String operation(Operation op) {
        return switch (op) {
            case CHAT, MESSAGES, RESPONSES -> "chat";
            case COMPLETION -> "text_completion";
            case EMBEDDINGS -> "embeddings";
            case CUSTOM -> "generate_content";
            default -> null;
        };
    }
}
