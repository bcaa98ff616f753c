package io.bricksllm.dialect;

import java.util.Objects;
import java.util.Optional;

/** One typed piece of a message's content. */
public sealed interface Part {

    record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** An image by URL: either a {@code data:} URL with inline base64 bytes or an http(s) URL. */
    record Image(String url) implements Part {
        public Image {
            Objects.requireNonNull(url, "url");
        }

        public boolean isDataUrl() {
            return url.regionMatches(true, 0, "data:", 0, 5);
        }
    }

    /** A call the assistant made; {@code argumentsJson} is the JSON text as the model produced it. */
    record ToolCall(String id, String name, String argumentsJson) implements Part {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
        }
    }

    record ToolResult(String toolCallId, String content) implements Part {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * The model's reasoning. {@code signature} is the provider's proof of authenticity (Anthropic needs
     * it to accept the reasoning back in a later turn); OpenAI's wire shape cannot carry it.
     */
    record Reasoning(String text, Optional<String> signature) implements Part {
        public Reasoning {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(signature, "signature");
        }
    }
}
