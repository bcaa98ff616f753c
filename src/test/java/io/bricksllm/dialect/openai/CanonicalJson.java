package io.bricksllm.dialect.openai;

import static io.bricksllm.dialect.DialectFixtures.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.Usage;
import java.util.List;
import java.util.OptionalLong;

/** Canonical answers, events and errors as JSON, so decoder goldens are files; counts not reported are left out. */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static ObjectNode response(ChatResponse response) {
        ObjectNode node = JSON.createObjectNode().put("id", response.id()).put("model", response.model());
        ArrayNode parts = node.putArray("parts");
        for (Part part : response.parts()) {
            switch (part) {
                case Part.Text t -> parts.addObject().put("type", "text").put("text", t.text());
                case Part.Reasoning r -> {
                    ObjectNode reasoning = parts.addObject().put("type", "reasoning").put("text", r.text());
                    r.signature().ifPresent(signature -> reasoning.put("signature", signature));
                }
                case Part.ToolCall c -> parts.addObject().put("type", "tool_call").put("id", c.id())
                        .put("name", c.name()).put("arguments", c.argumentsJson());
                case Part.Image i -> parts.addObject().put("type", "image").put("url", i.url());
                case Part.ToolResult r -> parts.addObject().put("type", "tool_result").put("id", r.toolCallId())
                        .put("content", r.content());
            }
        }
        node.put("finish", response.finishReason().name());
        node.set("usage", usage(response.usage()));
        return node;
    }

    static ArrayNode events(List<StreamEvent> events) {
        ArrayNode array = JSON.createArrayNode();
        for (StreamEvent event : events) {
            array.add(switch (event) {
                case StreamEvent.Start s -> JSON.createObjectNode().put("start", s.id()).put("model", s.model());
                case StreamEvent.TextDelta t -> JSON.createObjectNode().put("text", t.text());
                case StreamEvent.ReasoningDelta r -> JSON.createObjectNode().put("reasoning", r.text());
                case StreamEvent.ToolCallStart c -> JSON.createObjectNode().put("tool_call", c.index())
                        .put("id", c.id()).put("name", c.name());
                case StreamEvent.ToolCallArgumentsDelta a -> JSON.createObjectNode().put("arguments", a.index())
                        .put("text", a.text());
                case StreamEvent.Finish f -> JSON.createObjectNode().put("finish", f.reason().name());
                case StreamEvent.UsageUpdate u -> JSON.createObjectNode().set("usage", usage(u.usage()));
                case StreamEvent.Failure f -> JSON.createObjectNode().set("failure", error(f.error()));
            });
        }
        return array;
    }

    static ObjectNode error(ChatError error) {
        return JSON.createObjectNode().put("status", error.status()).put("type", error.type())
                .put("message", error.message());
    }

    private static ObjectNode usage(Usage usage) {
        ObjectNode node = JSON.createObjectNode();
        put(node, "input", usage.input());
        put(node, "output", usage.output());
        put(node, "cacheRead", usage.cacheRead());
        put(node, "cacheWrite", usage.cacheWrite());
        put(node, "reasoning", usage.reasoning());
        return node;
    }

    private static void put(ObjectNode node, String name, OptionalLong count) {
        // as an int when it fits, as a parsed golden file holds it
        count.ifPresent(value -> node.set(name, value == (int) value ? JSON.getNodeFactory().numberNode((int) value)
                : JSON.getNodeFactory().numberNode(value)));
    }
}
