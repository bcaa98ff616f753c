package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.bricksllm.store.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A caller of Anthropic's Messages API whose model is Anthropic's: the body goes as sent but for the model (without
 * its provider prefix) and the {@code models} list — thinking signatures, {@code cache_control} and every beta field
 * untouched — with the caller's {@code anthropic-version} (or a default: Anthropic requires one) and
 * {@code anthropic-beta}; the answer passes untouched and Anthropic's own meter reads it.
 */
final class AnthropicTarget extends EncodedOnce {
    private final String model;
    private final String leaf;

    /** @param leaf {@code /messages} or {@code /messages/count_tokens} */
    AnthropicTarget(String model, String leaf) {
        this.model = model;
        this.leaf = leaf;
    }

    @Override
    Upstream encodeNow(Exchange x) {
        JsonNode caller = CrossDialect.callerBody(x);
        // a route step's tree may differ from the caller's bytes (its params): only a plain request is spliced
        Buffer spliced = x.route == null ? withModel(x.body, model) : null;
        Buffer out;
        if (spliced != null) {
            out = spliced;
        } else {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.setAll((ObjectNode) caller); // shallow: only top-level fields change
            body.put("model", model);
            body.remove("models");
            out = Bodies.of(Json.MAPPER, body);
        }
        String version = x.request.getHeader("anthropic-version");
        return new Upstream(leaf, out,
                Map.of("anthropic-version", version == null || version.isBlank() ? AnthropicChat.VERSION : version), true);
    }

    /**
     * The caller's bytes with only the top-level {@code model} value replaced. Writing the parsed tree again changed
     * other bytes too — characters outside the BMP (emoji in a tool result or a thinking block) came out as escaped
     * surrogate pairs, so a 200 KB agent turn grew and Anthropic got other bytes than the caller signed and cached.
     * Null (use the tree) when the body has no single top-level string {@code model}, or has {@code models}.
     */
    static Buffer withModel(Buffer body, String model) {
        if (body == null) return null;
        byte[] bytes = body.getBytes();
        long start = -1;
        long end = -1;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("models")) return null;
                if (field.equals("model")) {
                    if (value != JsonToken.VALUE_STRING || start >= 0) return null; // not a string, or twice: as the tree says
                    start = p.currentTokenLocation().getByteOffset();
                    p.getText(); // reads the string to its closing quote
                    end = p.currentLocation().getByteOffset();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return null;
        } catch (IOException e) {
            return null;
        }
        if (start < 0 || bytes[(int) start] != '"' || bytes[(int) end - 1] != '"') return null;
        byte[] value = Json.write(model).getBytes(StandardCharsets.UTF_8);
        Buffer out = Buffer.buffer(bytes.length - (int) (end - start) + value.length);
        out.appendBytes(bytes, 0, (int) start).appendBytes(value).appendBytes(bytes, (int) end, bytes.length - (int) end);
        return out;
    }

    @Override
    public ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        return null;
    }

    @Override
    public UsageDialect callerDialect() {
        return UsageDialect.ANTHROPIC;
    }
}
