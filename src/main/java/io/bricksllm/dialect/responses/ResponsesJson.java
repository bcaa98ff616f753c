package io.bricksllm.dialect.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.InvalidChatRequestException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Typed reads of a caller's JSON that fail with the field's path, and writes of trees we built. */
final class ResponsesJson {

    private ResponsesJson() {
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    static JsonNode object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidChatRequestException(path, "must be an object");
        }
        return node;
    }

    static Optional<String> text(JsonNode node, String path) {
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new InvalidChatRequestException(path, "must be a string");
        }
        return Optional.of(node.textValue());
    }

    static String requiredText(JsonNode parent, String name, String path) {
        return text(parent.get(name), path).orElseThrow(() -> new InvalidChatRequestException(path, "is required"));
    }

    static Optional<Boolean> bool(JsonNode parent, String name) {
        return bool(parent, name, name);
    }

    static Optional<Boolean> bool(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw new InvalidChatRequestException(path, "must be true or false");
        }
        return Optional.of(node.booleanValue());
    }

    static OptionalInt positiveInt(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            throw new InvalidChatRequestException(name, "must be a positive integer");
        }
        return OptionalInt.of(node.intValue());
    }

    static OptionalDouble number(JsonNode parent, String name) {
        JsonNode node = parent.get(name);
        if (absent(node)) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber()) {
            throw new InvalidChatRequestException(name, "must be a number");
        }
        return OptionalDouble.of(node.doubleValue());
    }

    static byte[] bytes(ObjectMapper json, JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we built always serialises
        }
    }
}
