package io.bricksllm.dialect.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bricksllm.dialect.ChatError;
import java.io.IOException;
import java.util.Locale;

/**
 * Bedrock's errors as canonical ones: an HTTP error is {@code {"message": …}} with the exception's
 * name in the {@code x-amzn-ErrorType} header (e.g. {@code ValidationException:http://…}); a stream
 * exception is an event-stream message with the name in {@code :exception-type} (lower camel case)
 * and no status, so the status is the one Bedrock documents for that exception.
 */
public final class BedrockErrorDecoder {

    private final ObjectMapper json;

    public BedrockErrorDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** @param errorType the {@code x-amzn-ErrorType} header, or null */
    public ChatError decode(int status, String errorType, byte[] body) {
        String exception = exceptionName(errorType);
        String message = null;
        try {
            JsonNode root = json.readTree(body);
            if (root != null && root.isObject()) {
                // Bedrock spells it "message"; some AWS front ends "Message"
                message = root.has("message") ? root.path("message").asText() : root.path("Message").textValue();
            }
        } catch (IOException e) {
            // not JSON: answered below without echoing the body
        }
        if (message == null || message.isBlank()) {
            message = "bedrock answered with status " + status + (exception.isEmpty() ? "" : " (" + exception + ")");
        }
        return new ChatError(status, typeOf(exception, status), message);
    }

    /** A stream's {@code exception} message: its {@code :exception-type} header and JSON payload. */
    ChatError fromStreamException(String exceptionType, byte[] payload) {
        String exception = exceptionName(exceptionType);
        return decode(statusOf(exception), exception, payload);
    }

    private static String exceptionName(String header) {
        if (header == null) {
            return "";
        }
        int colon = header.indexOf(':');
        return (colon < 0 ? header : header.substring(0, colon)).trim();
    }

    static int statusOf(String exception) {
        return switch (exception.toLowerCase(Locale.ROOT)) {
            case "validationexception", "servicequotaexceededexception" -> 400;
            case "accessdeniedexception" -> 403;
            case "resourcenotfoundexception" -> 404;
            case "modeltimeoutexception" -> 408;
            case "modelerrorexception", "modelstreamerrorexception" -> 424;
            case "throttlingexception", "modelnotreadyexception" -> 429;
            case "serviceunavailableexception" -> 503;
            default -> 500;
        };
    }

    /** The OpenAI error type for the exception; by status when Bedrock named none. */
    private static String typeOf(String exception, int status) {
        return switch (exception.toLowerCase(Locale.ROOT)) {
            case "validationexception" -> "invalid_request_error";
            case "unrecognizedclientexception", "invalidsignatureexception", "expiredtokenexception" ->
                    "authentication_error";
            case "accessdeniedexception" -> "permission_error";
            case "resourcenotfoundexception" -> "not_found_error";
            case "throttlingexception", "modelnotreadyexception", "servicequotaexceededexception" -> "rate_limit_error";
            default -> switch (status) {
                case 400 -> "invalid_request_error";
                case 401 -> "authentication_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 429 -> "rate_limit_error";
                default -> "upstream_error";
            };
        };
    }
}
