package io.bricksllm.dialect;

import java.util.List;
import java.util.Objects;

public record Message(Role role, List<Part> parts) {

    public Message {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    public static Message text(Role role, String text) {
        return new Message(role, List.of(new Part.Text(text)));
    }

    /**
     * Whether the last assistant turn called tools without starting with signed reasoning: Claude refuses extended
     * thinking for a request that continues such a tool loop ("a final assistant message must start with a thinking
     * block"), and only Claude's own signature can be sent back — another API's caller (OpenAI chat, the Responses
     * API) has no place for it. Such a request is sent without thinking rather than refused.
     */
    public static boolean continuesUnsignedToolLoop(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() != Role.ASSISTANT) continue;
            boolean calls = m.parts().stream().anyMatch(p -> p instanceof Part.ToolCall);
            boolean signed = !m.parts().isEmpty() && m.parts().get(0) instanceof Part.Reasoning r && r.signature().isPresent();
            return calls && !signed;
        }
        return false;
    }

    /**
     * The non-empty texts of every system message, in order: what each target puts in its own system field.
     * Targets take text only there; anything else is refused naming {@code provider}.
     */
    public static List<String> systemTexts(List<Message> messages, String provider) {
        List<String> texts = new java.util.ArrayList<>();
        for (Message message : messages) {
            if (message.role() != Role.SYSTEM) {
                continue;
            }
            for (Part part : message.parts()) {
                if (!(part instanceof Part.Text(String text))) {
                    throw new UnsupportedByDialectException("messages[].content", provider, "system prompts may contain text only");
                }
                if (!text.isEmpty()) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }
}
