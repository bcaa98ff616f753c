package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.ChatResponse;
import io.bricksllm.dialect.StreamEvent;
import io.bricksllm.dialect.bedrock.BedrockCall;
import io.bricksllm.dialect.bedrock.BedrockPaths;
import io.bricksllm.dialect.bedrock.BedrockStreamDecoder;
import io.bricksllm.provider.Provider;
import io.bricksllm.proxy.Exchange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** OpenAI chat → Bedrock Converse / ConverseStream (AWS event-stream frames) and back. */
final class BedrockChat extends ChatTranslation {
    private Optional<String> answerTool = Optional.empty();
    private boolean streaming;

    BedrockChat(Codecs codecs, AnswerMetering metering, Ingress ingress, Provider provider, String model) {
        super(codecs, metering, ingress, provider, model);
    }

    @Override
    Upstream encode(Exchange x, ChatRequest request) {
        BedrockCall call = codecs.bedrockRequests().encode(request, model);
        answerTool = call.answerTool();
        streaming = request.streaming().stream();
        String path = streaming ? BedrockPaths.converseStream(model) : BedrockPaths.converse(model);
        return new Upstream(path, Bodies.of(codecs.json(), call.body()), Map.of("Content-Type", "application/json",
                "Accept", streaming ? "application/vnd.amazon.eventstream" : "application/json"), false);
    }

    @Override
    ChatResponse response(byte[] body, MultiMap headers) {
        return codecs.bedrockResponses().decode(body, requestId(headers), model, answerTool);
    }

    @Override
    StreamChatAnswer.Decoder stream(MultiMap headers) {
        BedrockStreamDecoder decoder = new BedrockStreamDecoder(codecs.json(), requestId(headers), model, answerTool);
        return new StreamChatAnswer.Decoder() {
            @Override
            public List<StreamEvent> feed(Buffer chunk) {
                byte[] bytes = chunk.getBytes();
                return decoder.feed(bytes, 0, bytes.length);
            }

            @Override
            public List<StreamEvent> end() {
                return decoder.end();
            }
        };
    }

    @Override
    ChatError error(int status, MultiMap headers, byte[] body) {
        return codecs.bedrockErrors().decode(status, headers.get("x-amzn-ErrorType"), body);
    }

    /** Bedrock's id of the answer (the answer's id for the caller); a made-up one when a proxy dropped the header. */
    static String requestId(MultiMap headers) {
        String id = headers.get("x-amzn-RequestId");
        return id == null || id.isEmpty() ? "bedrock-" + java.util.UUID.randomUUID() : id;
    }
}
