package io.bricksllm.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /** Bodies up to this size get their tree at once: the common case, where later uses need no second parse. */
    public static final int EAGER_TREE_BYTES = 256 * 1024;

    /**
     * The Responses API's end-user field, which replaces its deprecated {@code user}: without it here, a caller naming
     * the end user the current way went unrecorded and escaped the end user's limits.
     */
    private static final String SAFETY_IDENTIFIER = "safety_identifier";
    private static final String[] MAX_TOKEN_FIELDS = {"max_completion_tokens", "max_tokens", "max_output_tokens", "max_tokens_to_sample"};

    private final int eagerTreeBytes;
    private final Providers providers;

    public RequestInspector(Providers providers) {
        this(EAGER_TREE_BYTES, providers);
    }

    /** With the built-in providers. */
    public RequestInspector(int eagerTreeBytes) {
        this(eagerTreeBytes, Providers.defaults());
    }

    /**
     * {@code eagerTreeBytes}: bigger JSON bodies are scanned with a streaming parser and get their tree on first use;
     * {@code providers}: where an endpoint's provider names the end user ({@link Provider#endUserPath}).
     */
    public RequestInspector(int eagerTreeBytes, Providers providers) {
        this.eagerTreeBytes = eagerTreeBytes;
        this.providers = providers;
    }

    /** {@code body} is the whole request body (the array is kept, not copied: nobody may change it afterwards). */
    public RequestInfo inspect(Endpoint endpoint, String contentType, byte[] body) throws InvalidBody {
        return switch (endpoint.body()) {
            case BodyKind.Json j -> json(endpoint, body);
            case BodyKind.Multipart m -> multipart(endpoint, contentType, body);
            case BodyKind.Opaque o -> RequestInfo.NONE;
        };
    }

    private RequestInfo json(Endpoint endpoint, byte[] body) throws InvalidBody {
        boolean required = endpoint.operation() != Operation.PASS_THROUGH;
        if (body.length == 0) {
            if (required) throw new InvalidBody("request body is empty; a JSON object is required");
            return RequestInfo.NONE;
        }
        try {
            return body.length <= eagerTreeBytes ? fromTree(endpoint, body) : scan(endpoint, body);
        } catch (JsonProcessingException e) {
            throw new InvalidBody("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidBody("request body could not be read");
        }
    }

    private RequestInfo fromTree(Endpoint endpoint, byte[] body) throws java.io.IOException, InvalidBody {
        JsonNode root = Json.MAPPER.readTree(body);
        if (root == null || !root.isObject()) throw new InvalidBody("request body must be a JSON object");
        String model = text(root.get("model"));
        boolean stream = endpoint.operation().streamable() && root.path("stream").asBoolean(false);
        JsonNode userNode = root;
        for (String name : endUserPath(endpoint)) userNode = userNode.path(name);
        String user = text(userNode);
        if (user.isEmpty() && endpoint.operation() == Operation.RESPONSES) user = text(root.get(SAFETY_IDENTIFIER));
        boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
        long maxTokens = 0;
        for (String f : MAX_TOKEN_FIELDS) {
            JsonNode n = root.get(f);
            if (n != null && n.canConvertToLong()) {
                maxTokens = Math.max(0, n.asLong());
                break;
            }
        }
        return new RequestInfo(model, stream, user, includeUsage, maxTokens, root.has("stream_options"), JsonTree.of(root));
    }

    /**
     * The same facts as {@link #fromTree} (same rules, last duplicate wins) read with a streaming parser that skips
     * everything else: a big body then costs no more than its bytes, and its tree is built only if someone needs it.
     */
    private RequestInfo scan(Endpoint endpoint, byte[] body) throws java.io.IOException, InvalidBody {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new InvalidBody("request body must be a JSON object");
            List<String> userPath = endUserPath(endpoint);
            String userField = userPath.get(0);
            String userMember = userPath.size() > 1 ? userPath.get(1) : null;
            String model = "";
            String user = "";
            String safetyIdentifier = "";
            boolean stream = false;
            boolean includeUsage = false;
            boolean hasStreamOptions = false;
            Long[] maxTokens = new Long[MAX_TOKEN_FIELDS.length];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(userField)) {
                    if (userMember == null) user = t == JsonToken.VALUE_STRING ? p.getText() : "";
                    else user = t == JsonToken.START_OBJECT ? textMember(p, userMember) : "";
                } else {
                    switch (name) {
                        case "model" -> model = t == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "stream" -> stream = bool(p, t);
                        case SAFETY_IDENTIFIER -> safetyIdentifier = t == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "stream_options" -> {
                            hasStreamOptions = true;
                            includeUsage = t == JsonToken.START_OBJECT && boolMember(p, "include_usage");
                        }
                        default -> {
                            int i = java.util.Arrays.asList(MAX_TOKEN_FIELDS).indexOf(name);
                            if (i >= 0) maxTokens[i] = asLong(p, t);
                        }
                    }
                }
                p.skipChildren(); // no-op for scalars and for objects a helper above already read to their end
            }
            long max = 0;
            for (Long m : maxTokens) {
                if (m != null) {
                    max = Math.max(0, m);
                    break;
                }
            }
            if (user.isEmpty() && endpoint.operation() == Operation.RESPONSES) user = safetyIdentifier;
            return new RequestInfo(model, endpoint.operation().streamable() && stream, user, includeUsage, max,
                    hasStreamOptions, JsonTree.lazy(body));
        }
    }

    /**
     * One field name, or an object and its member: where the caller's API names the end user (an endpoint whose caller
     * speaks another API than its provider's names it there); OpenAI's {@code user} for endpoints of no built-in provider.
     */
    private List<String> endUserPath(Endpoint endpoint) {
        if (endpoint.ingress() != null) return endpoint.ingress().endUserPath();
        return providers.get(endpoint.provider()).map(Provider::endUserPath).orElse(Provider.TOP_LEVEL_USER);
    }

    /** JsonNode.asBoolean(false): true, a non-zero integer, or the text "true". */
    private static boolean bool(JsonParser p, JsonToken t) throws java.io.IOException {
        return switch (t) {
            case VALUE_TRUE -> true;
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue().signum() != 0 : p.getLongValue() != 0;
            case VALUE_STRING -> "true".equals(p.getText().trim());
            default -> false;
        };
    }

    /** JsonNode.canConvertToLong() then asLong(), or null. */
    private static Long asLong(JsonParser p, JsonToken t) throws java.io.IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) return p.getLongValue();
            java.math.BigInteger b = p.getBigIntegerValue();
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return d >= Long.MIN_VALUE && d <= Long.MAX_VALUE ? (long) d : null;
        }
        return null;
    }

    /** Reads the object the parser is at to its end; the last {@code field} if it is a string, else "". */
    private static String textMember(JsonParser p, String field) throws java.io.IOException {
        String out = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = field.equals(p.currentName());
            JsonToken t = p.nextToken();
            if (wanted) out = t == JsonToken.VALUE_STRING ? p.getText() : "";
            p.skipChildren();
        }
        return out;
    }

    /** Reads the object the parser is at to its end; the last {@code field} as {@link #bool}. */
    private static boolean boolMember(JsonParser p, String field) throws java.io.IOException {
        boolean out = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = field.equals(p.currentName());
            JsonToken t = p.nextToken();
            if (wanted) out = bool(p, t);
            p.skipChildren();
        }
        return out;
    }

    private RequestInfo multipart(Endpoint endpoint, String contentType, byte[] body) throws InvalidBody {
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

    /** Reads small text fields of a multipart body without copying file parts. */
    static final class MultipartFields {
        private MultipartFields() {}

        static String field(byte[] data, String boundary, String name) {
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
