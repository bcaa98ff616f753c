package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bricksllm.dialect.RequestBody;
import io.bricksllm.dialect.bedrock.BedrockPaths;
import io.bricksllm.dialect.bedrock.ClaudeInvokeEncoder;
import io.bricksllm.dialect.bedrock.ClaudeInvokeStreamDecoder;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The original's native Bedrock paths: the caller speaks Anthropic's Messages (or legacy Complete) API and a Claude
 * model answers through Bedrock's InvokeModel, or InvokeModelWithResponseStream when the caller asked for a stream.
 * Claude on Bedrock takes Anthropic's own bodies and answers with Anthropic's own JSON and events, so no canonical
 * model sits between: the body loses what moves to the path, the JSON answer passes as it is (a Complete answer gets
 * the fields Anthropic's has), a stream's event-stream frames become Anthropic's server-sent events, and Bedrock's
 * errors Anthropic's error shape.
 */
final class ClaudeOnBedrock extends EncodedOnce {
    private final Codecs codecs;
    private final AnswerMetering metering;
    private final Provider provider;
    private final Operation operation;
    /** The unified endpoint's model (the caller's without its provider prefix); null on the native paths: the body's. */
    private final String targetModel;
    private String model = "";
    private boolean stream;

    ClaudeOnBedrock(Codecs codecs, AnswerMetering metering, Provider provider, Operation operation) {
        this(codecs, metering, provider, operation, null);
    }

    ClaudeOnBedrock(Codecs codecs, AnswerMetering metering, Provider provider, Operation operation, String targetModel) {
        this.targetModel = targetModel;
        this.codecs = codecs;
        this.metering = metering;
        this.provider = provider;
        this.operation = operation;
    }

    @Override
    Upstream encodeNow(Exchange x) {
        JsonNode caller = RequestBody.object(x.info.json());
        model = targetModel != null ? targetModel : ClaudeInvokeEncoder.modelId(caller);
        stream = x.info.stream();
        ClaudeInvokeEncoder encoder = codecs.claudeInvokeRequests();
        ObjectNode body = operation == Operation.COMPLETION ? encoder.complete(caller)
                : encoder.messages(caller, x.request.getHeader("anthropic-version"), x.request.getHeader("anthropic-beta"));
        String path = stream ? BedrockPaths.invokeWithResponseStream(model) : BedrockPaths.invoke(model);
        // InvokeModel's accept member travels as Accept, the stream's as X-Amzn-Bedrock-Accept (Accept is the frames')
        Map<String, String> headers = stream
                ? Map.of("Content-Type", "application/json", "Accept", "application/vnd.amazon.eventstream",
                        "X-Amzn-Bedrock-Accept", "application/json")
                : Map.of("Content-Type", "application/json", "Accept", "application/json");
        return new Upstream(path, Bodies.of(codecs.json(), body), headers, false);
    }

    @Override
    public ResponseMeter answer(Exchange x, int status, MultiMap headers) {
        if (status / 100 != 2) {
            return new ErrorAnswer(status, provider.name(), b -> codecs.bedrockErrors().decode(status, headers.get("x-amzn-ErrorType"), b),
                    codecs.anthropicErrorAnswers()::encode);
        }
        if (stream) {
            return new ClaudeStreamAnswer(x, new ClaudeInvokeStreamDecoder(codecs.json(), BedrockChat.requestId(headers), model),
                    codecs.anthropicErrorAnswers(), metering);
        }
        return new ClaudeJsonAnswer(x, headers, operation == Operation.COMPLETION ? completion(BedrockChat.requestId(headers)) : null, metering);
    }

    /** Bedrock's Complete answer is {@code {"completion","stop_reason","stop"}}: Anthropic's also names its type, id and model. */
    private UnaryOperator<byte[]> completion(String id) {
        return bytes -> {
            try {
                JsonNode answer = codecs.json().readTree(bytes);
                if (!(answer instanceof ObjectNode o)) return bytes;
                ObjectNode out = codecs.json().createObjectNode();
                out.put("type", "completion");
                out.put("id", id);
                out.put("model", model);
                out.setAll(o);
                return codecs.json().writeValueAsBytes(out);
            } catch (IOException e) {
                return bytes; // not JSON: passed as it came, metered by counting
            }
        };
    }

    @Override
    public UsageDialect callerDialect() {
        return UsageDialect.ANTHROPIC;
    }
}
