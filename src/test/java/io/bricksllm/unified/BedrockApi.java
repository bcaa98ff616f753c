package io.bricksllm.unified;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.store.Json;
import io.bricksllm.testing.MockUpstream.Received;
import io.bricksllm.testing.MockUpstream.Reply;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The Bedrock runtime as a strict upstream: every request must carry a SigV4 signature that the AWS SDK's own
 * signer, given the received method, path, signed headers and body and the same credentials, reproduces
 * (403 InvalidSignatureException otherwise, as AWS answers); Converse bodies are checked as AWS validates them;
 * ConverseStream answers are AWS event-stream frames built with the SDK's encoder.
 */
public final class BedrockApi {
    /** Credentials as a provider setting holds them and as AWS knows them. */
    public record Credentials(String accessKeyId, String secretAccessKey, String region, Optional<String> sessionToken) {}

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private BedrockApi() {}

    public static String converse(String modelId) {
        return "/model/" + encoded(modelId) + "/converse";
    }

    public static String converseStream(String modelId) {
        return "/model/" + encoded(modelId) + "/converse-stream";
    }

    public static String invoke(String modelId) {
        return "/model/" + encoded(modelId) + "/invoke";
    }

    /** The model id as one path segment, as the AWS SDK sends it ({@code :} → {@code %3A}). */
    public static String encoded(String modelId) {
        return java.net.URLEncoder.encode(modelId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A Converse / ConverseStream responder: signature, then body checks, then {@code answer(body)}. */
    public static Function<Received, Reply> converse(Credentials creds, Function<JsonNode, Reply> answer) {
        return r -> {
            Optional<Reply> refused = refuseSignature(r, creds);
            if (refused.isPresent()) return refused.get();
            JsonNode body = parse(r);
            if (body == null) return validation("Malformed input request, please reformat your input and try again.");
            Optional<String> problem = problem(body);
            return problem.isPresent() ? validation(problem.get()) : answer.apply(body);
        };
    }

    /** InvokeModel for Amazon Titan text embeddings: {"inputText": …} in, {"embedding": […], "inputTextTokenCount": n} out. */
    public static Function<Received, Reply> titanEmbeddings(Credentials creds, Function<JsonNode, Reply> answer) {
        return r -> {
            Optional<Reply> refused = refuseSignature(r, creds);
            if (refused.isPresent()) return refused.get();
            JsonNode body = parse(r);
            if (body == null || !body.path("inputText").isTextual() || body.get("inputText").asText().isEmpty()) {
                return validation("Malformed input request: required key [inputText] not found, please reformat your input and try again.");
            }
            return answer.apply(body);
        };
    }

    /**
     * Recomputes the signature with the AWS SDK's signer from what was received and compares. Also refuses what AWS
     * refuses before that: a missing or malformed Authorization, another access key, region or service, or a date
     * more than 15 minutes off.
     */
    public static Optional<Reply> refuseSignature(Received r, Credentials creds) {
        String authorization = r.header("Authorization");
        if (authorization == null) return Optional.of(denied("MissingAuthenticationTokenException", "Missing Authentication Token"));
        Matcher m = AUTH.matcher(authorization);
        if (!m.matches()) return Optional.of(denied("IncompleteSignatureException", "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders'."));
        if (!m.group(1).equals(creds.accessKeyId())) {
            return Optional.of(denied("UnrecognizedClientException", "The security token included in the request is invalid."));
        }
        if (!m.group(3).equals(creds.region()) || !m.group(4).equals("bedrock")) {
            return Optional.of(denied("InvalidSignatureException", "Credential should be scoped to a valid region and service 'bedrock', not "
                    + m.group(3) + "/" + m.group(4)));
        }
        String amzDate = r.header("X-Amz-Date");
        if (amzDate == null) return Optional.of(denied("IncompleteSignatureException", "X-Amz-Date header is required"));
        Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            return Optional.of(denied("InvalidSignatureException", "Signature expired: " + amzDate));
        }
        List<String> signedHeaders = List.of(m.group(5).split(";"));
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
            return Optional.of(denied("InvalidSignatureException", "host and x-amz-date must be signed; signed: " + m.group(5)));
        }
        if (creds.sessionToken().isPresent() && !creds.sessionToken().get().equals(r.header("X-Amz-Security-Token"))) {
            return Optional.of(denied("UnrecognizedClientException", "The security token included in the request is invalid."));
        }
        String expected = expectedAuthorization(r, creds, signedHeaders, signedAt);
        if (!expected.equals(authorization)) {
            return Optional.of(denied("InvalidSignatureException", "The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method. (expected " + expected + ", got " + authorization + ")"));
        }
        return Optional.empty();
    }

    private static String expectedAuthorization(Received r, Credentials creds, List<String> signedHeaders, Instant signedAt) {
        String query = r.query() == null || r.query().isEmpty() ? "" : "?" + r.query();
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(r.method()))
                .uri(URI.create("http://" + r.header("Host") + r.path() + query));
        for (String name : signedHeaders) {
            List<String> values = r.headers().getAll(name);
            if (!values.isEmpty()) request.putHeader(name, values);
        }
        AwsCredentialsIdentity identity = creds.sessionToken()
                .<AwsCredentialsIdentity>map(t -> AwsSessionCredentialsIdentity.create(creds.accessKeyId(), creds.secretAccessKey(), t))
                .orElseGet(() -> AwsCredentialsIdentity.create(creds.accessKeyId(), creds.secretAccessKey()));
        SdkHttpRequest signed = SIGNER.sign(s -> s.identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(r.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, creds.region())
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))).request();
        return signed.firstMatchingHeader("Authorization").orElseThrow();
    }

    private static JsonNode parse(Received r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    /** What Converse validation would refuse. */
    /** Converse's body fields (the model id is in the path); AWS refuses any other. */
    public static final Set<String> FIELDS = Set.of("messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig",
            "additionalModelRequestFields", "promptVariables", "additionalModelResponseFieldPaths", "requestMetadata", "performanceConfig");

    public static Optional<String> problem(JsonNode body) {
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) return Optional.of("extraneous key [" + field + "] is not permitted");
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) return Optional.of("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
        String expected = "user";
        Set<String> openToolUses = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText();
            if (i == 0 && !role.equals("user")) return Optional.of("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
            if (!role.equals(expected)) return Optional.of("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.");
            expected = role.equals("user") ? "assistant" : "user";
            JsonNode content = m.path("content");
            if (!content.isArray() || content.isEmpty()) return Optional.of("The content field in the Message object at messages." + i + " is empty. Add a ContentBlock object to the content field and try again.");
            Set<String> uses = new LinkedHashSet<>();
            Set<String> answered = new HashSet<>();
            for (JsonNode block : content) {
                if (block.has("toolUse")) {
                    if (!role.equals("assistant")) return Optional.of("toolUse blocks are only allowed in assistant messages");
                    uses.add(block.get("toolUse").path("toolUseId").asText());
                } else if (block.has("toolResult")) {
                    String id = block.get("toolResult").path("toolUseId").asText();
                    if (!openToolUses.contains(id)) {
                        return Optional.of("The toolResult blocks at messages." + i + ".content contain toolUseId " + id
                                + " that does not match a toolUse block of the previous turn.");
                    }
                    answered.add(id);
                } else if (block.has("image")) {
                    JsonNode image = block.get("image");
                    if (!Set.of("png", "jpeg", "gif", "webp").contains(image.path("format").asText()) || !image.path("source").path("bytes").isTextual()) {
                        return Optional.of("messages." + i + ": image needs format png|jpeg|gif|webp and source.bytes");
                    }
                } else if (block.has("text")) {
                    if (block.get("text").asText().isEmpty()) return Optional.of("messages." + i + ": text content blocks must be non-empty");
                } else if (!block.has("reasoningContent") && !block.has("document") && !block.has("cachePoint")) {
                    return Optional.of("messages." + i + ": unknown content block " + block);
                }
            }
            if (role.equals("user") && !openToolUses.isEmpty()) {
                Set<String> missing = new LinkedHashSet<>(openToolUses);
                missing.removeAll(answered);
                if (!missing.isEmpty()) {
                    return Optional.of("Expected toolResult blocks at messages." + i + ".content for the following Ids: " + String.join(", ", missing));
                }
            }
            openToolUses = uses;
        }
        for (JsonNode tool : body.path("toolConfig").path("tools")) {
            if (!tool.path("toolSpec").path("name").isTextual() || !tool.path("toolSpec").path("inputSchema").path("json").isObject()) {
                return Optional.of("toolConfig.tools: a toolSpec needs name and inputSchema.json");
            }
        }
        return Optional.empty();
    }

    private static Reply denied(String type, String message) {
        return withErrorType(403, type, message);
    }

    public static Reply validation(String message) {
        return withErrorType(400, "ValidationException", message);
    }

    public static Reply withErrorType(int status, String type, String message) {
        return new Reply(status, Map.of("Content-Type", "application/json", "x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/"),
                io.vertx.core.buffer.Buffer.buffer(Json.write(Map.of("message", message))), null, Duration.ZERO, Duration.ZERO, false, -1);
    }

    /** A Converse answer with one text block. */
    public static String textAnswer(String text, long input, long output) {
        return Json.write(Map.of("output", Map.of("message", Map.of("role", "assistant", "content", List.of(Map.of("text", text)))),
                "stopReason", "end_turn", "usage", Map.of("inputTokens", input, "outputTokens", output, "totalTokens", input + output),
                "metrics", Map.of("latencyMs", 120)));
    }

    /**
     * A ConverseStream body from a transcript of {@code {"event": type, "payload": …}} entries, framed with the AWS SDK's
     * event-stream encoder.
     */
    public static Reply eventStream(JsonNode transcript) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode entry : transcript) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            if (entry.has("exception")) {
                headers.put(":message-type", HeaderValue.fromString("exception"));
                headers.put(":exception-type", HeaderValue.fromString(entry.get("exception").asText()));
            } else {
                headers.put(":message-type", HeaderValue.fromString("event"));
                headers.put(":event-type", HeaderValue.fromString(entry.get("event").asText()));
            }
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            new Message(headers, Json.write(entry.get("payload")).getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        return Reply.bytes(200, "application/vnd.amazon.eventstream", out.toByteArray());
    }

    /** A streamed text answer as event-stream frames: messageStart, one delta per piece, stop, metadata with usage. */
    public static Reply textEventStream(List<String> pieces, long input, long output) {
        List<Object> entries = new java.util.ArrayList<>();
        entries.add(Map.of("event", "messageStart", "payload", Map.of("role", "assistant")));
        for (String p : pieces) {
            entries.add(Map.of("event", "contentBlockDelta", "payload", Map.of("contentBlockIndex", 0, "delta", Map.of("text", p))));
        }
        entries.add(Map.of("event", "contentBlockStop", "payload", Map.of("contentBlockIndex", 0)));
        entries.add(Map.of("event", "messageStop", "payload", Map.of("stopReason", "end_turn")));
        entries.add(Map.of("event", "metadata", "payload", Map.of("usage", Map.of("inputTokens", input, "outputTokens", output,
                "totalTokens", input + output), "metrics", Map.of("latencyMs", 99))));
        return eventStream(Json.MAPPER.valueToTree(entries));
    }
}
