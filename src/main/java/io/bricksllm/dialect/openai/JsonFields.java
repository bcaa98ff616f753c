package io.bricksllm.dialect.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.InvalidChatRequestException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Typed reads of a caller's JSON that fail with the field's path, so a 400 says what was wrong. */
final class JsonFields {

    private JsonFields() {
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    static String requiredText(JsonNode parent, String name, String path) {
        return optionalText(parent, name, path)
                .orElseThrow(() -> new InvalidChatRequestException(path, "is required"));
    }

    static Optional<String> optionalText(JsonNode parent, String name, String path) {
        return present(parent, name).map(node -> checked(node, node.isTextual(), path, "must be a string").textValue());
    }

    static Optional<Boolean> optionalBoolean(JsonNode parent, String name) {
        return present(parent, name).map(node -> checked(node, node.isBoolean(), name, "must be true or false")
                .booleanValue());
    }

    static OptionalInt optionalPositiveInt(JsonNode parent, String name) {
        return present(parent, name)
                .map(node -> checked(node, node.isIntegralNumber() && node.canConvertToInt() && node.intValue() > 0,
                        name, "must be a positive integer"))
                .map(node -> OptionalInt.of(node.intValue())).orElse(OptionalInt.empty());
    }

    static OptionalDouble optionalNumber(JsonNode parent, String name) {
        return present(parent, name).map(node -> checked(node, node.isNumber(), name, "must be a number"))
                .map(node -> OptionalDouble.of(node.doubleValue())).orElse(OptionalDouble.empty());
    }

    /** The field's value, unless it is absent or null (which OpenAI treats alike). */
    private static Optional<JsonNode> present(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        return absent(node) ? Optional.empty() : Optional.of(node);
    }

    private static JsonNode checked(JsonNode node, boolean valid, String path, String expectation) {
        if (!valid) {
            throw new InvalidChatRequestException(path, expectation);
        }
        return node;
    }

    static JsonNode requiredObject(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new InvalidChatRequestException(path, "must be an object");
        }
        return node;
    }

    /** An optional array: absent or null reads as empty. */
    static Iterable<JsonNode> optionalArray(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return java.util.List.of();
        }
        if (!node.isArray()) {
            throw new InvalidChatRequestException(path, "must be an array");
        }
        return node;
    }
}
