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
