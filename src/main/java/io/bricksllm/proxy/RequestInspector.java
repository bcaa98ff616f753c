package io.bricksllm.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Learns what the gateway needs from a request body without changing it: model, stream flag, user id,
 * output cap. Parsing is lenient (every valid upstream shape passes); a body that is not what the
 * endpoint needs is rejected with {@link InvalidBody}.
 */
public final class RequestInspector {

    /** The body cannot be used by this endpoint; the message is safe to show the caller. */
    public static final class InvalidBody extends Exception {
        public InvalidBody(String message) {
            super(message, null, false, false);
        }
    }

    public RequestInfo inspect(Endpoint endpoint, String contentType, Buffer body) throws InvalidBody {
        return switch (endpoint.body()) {
            case BodyKind.Json j -> json(endpoint, body);
            case BodyKind.Multipart m -> multipart(endpoint, contentType, body);
            case BodyKind.Opaque o -> RequestInfo.NONE;
        };
    }

    private RequestInfo json(Endpoint endpoint, Buffer body) throws InvalidBody {
        boolean required = endpoint.operation() != Operation.PASS_THROUGH;
        if (body.length() == 0) {
            if (required) throw new InvalidBody("request body is empty; a JSON object is required");
            return RequestInfo.NONE;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new InvalidBody("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidBody("request body could not be read");
        }
        if (root == null || !root.isObject()) throw new InvalidBody("request body must be a JSON object");
        String model = text(root.get("model"));
        boolean stream = endpoint.operation().streamable() && root.path("stream").asBoolean(false);
        String user = endpoint.provider().equals("anthropic") ? text(root.path("metadata").get("user_id")) : text(root.get("user"));
        boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
        long maxTokens = firstLong(root, "max_completion_tokens", "max_tokens", "max_output_tokens", "max_tokens_to_sample");
        return new RequestInfo(model, stream, user, includeUsage, maxTokens, root);
    }

    private RequestInfo multipart(Endpoint endpoint, String contentType, Buffer body) throws InvalidBody {
        String boundary = boundaryOf(contentType);
        if (boundary == null) throw new InvalidBody("multipart/form-data with a boundary is required");
        String model = MultipartFields.field(body, boundary, "model");
        String user = MultipartFields.field(body, boundary, "user");
        if (model == null && endpoint.template().endsWith("/images/edits") || model == null && endpoint.template().endsWith("/images/variations")) {
            model = "dall-e-2";
        }
        return new RequestInfo(model == null ? "" : model, false, user == null ? "" : user, false, 0, null);
    }

    static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) return null;
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) b = b.substring(1, b.length() - 1);
                return b.isEmpty() ? null : b;
            }
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : "";
    }

    private static long firstLong(JsonNode root, String... fields) {
        for (String f : fields) {
            JsonNode n = root.get(f);
            if (n != null && n.canConvertToLong()) return Math.max(0, n.asLong());
        }
        return 0;
    }

    /** Reads small text fields of a multipart body without copying file parts. */
    static final class MultipartFields {
        private MultipartFields() {}

        static String field(Buffer body, String boundary, String name) {
            byte[] data = body.getBytes();
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int pos = indexOf(data, delimiter, 0);
            while (pos >= 0) {
                int headersStart = pos + delimiter.length;
                if (headersStart + 1 < data.length && data[headersStart] == '-' && data[headersStart + 1] == '-') return null;
                int headersEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
                if (headersEnd < 0) return null;
                String headers = new String(data, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1);
                int next = indexOf(data, delimiter, headersEnd + 4);
                if (next < 0) return null;
                if (headers.contains("name=\"" + name + "\"") && !headers.contains("filename=")) {
                    int end = next - 2; // the CRLF before the delimiter
                    return new String(data, headersEnd + 4, Math.max(0, end - headersEnd - 4), StandardCharsets.UTF_8);
                }
                pos = next;
            }
            return null;
        }

        private static int indexOf(byte[] data, byte[] pattern, int from) {
            outer:
            for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
                return i;
            }
            return -1;
        }
    }
}
