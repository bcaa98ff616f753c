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
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidChatRequestException(path, "must be a string");
        }
        return Optional.of(node.textValue());
    }

    static Optional<Boolean> optionalBoolean(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw new InvalidChatRequestException(name, "must be true or false");
        }
        return Optional.of(node.booleanValue());
    }

    static OptionalInt optionalPositiveInt(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return OptionalInt.empty();
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
            throw new InvalidChatRequestException(name, "must be a positive integer");
        }
        return OptionalInt.of(node.intValue());
    }

    static OptionalDouble optionalNumber(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber()) {
            throw new InvalidChatRequestException(name, "must be a number");
        }
        return OptionalDouble.of(node.doubleValue());
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
