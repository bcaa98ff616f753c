package io.bricksllm.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the texts of a JSON request that carry user content — message contents and content parts,
 * system prompts, tool-call arguments, embeddings inputs (each element), completion prompts,
 * instructions — with their exact byte positions, so that redaction can replace those strings and
 * leave every other byte of the body as the caller sent it.
 */
public final class TextSpans {
    /** {@code output}: a Responses API {@code function_call_output} item (tool results carry the most personal data). */
    static final Set<String> TEXT_FIELDS = Set.of("content", "text", "input", "prompt", "instructions",
            "additional_instructions", "arguments", "system", "output");
    private static final JsonFactory FACTORY = new JsonFactory();

    /** A JSON string token: bytes [start, end) including its quotes, and its decoded text. */
    public record Span(int start, int end, String text) {}

    private TextSpans() {}

    public static List<Span> find(byte[] json) throws IOException {
        List<Span> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.VALUE_STRING || !scannable(p.getParsingContext())) continue;
                int start = (int) p.currentTokenLocation().getByteOffset();
                String text = p.getText();
                int end = (int) p.currentLocation().getByteOffset();
                out.add(new Span(start, end, text));
            }
        }
        return out;
    }

    /** A string directly under a text field, or an element of an array under one. */
    static boolean scannable(JsonStreamContext ctx) {
        if (ctx.inObject()) return TEXT_FIELDS.contains(ctx.getCurrentName());
        if (ctx.inArray()) {
            JsonStreamContext parent = ctx.getParent();
            return parent != null && parent.inObject() && TEXT_FIELDS.contains(parent.getCurrentName());
        }
        return false;
    }

    /** The body with the given spans replaced by new texts (JSON-encoded); every other byte unchanged. */
    public static byte[] replace(byte[] json, List<Span> spans, List<String> texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 64);
        int pos = 0;
        for (int i = 0; i < spans.size(); i++) {
            Span s = spans.get(i);
            out.write(json, pos, s.start() - pos);
            byte[] encoded = encode(texts.get(i));
            out.write(encoded, 0, encoded.length);
            pos = s.end();
        }
        out.write(json, pos, json.length - pos);
        return out.toByteArray();
    }

    private static byte[] encode(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, sb);
        return sb.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }
}
