package io.bricksllm.agents;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.Interceptor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The official anthropic-java SDK set up as Claude Code is with {@code ANTHROPIC_BASE_URL=<gateway proxy>} and
 * {@code ANTHROPIC_AUTH_TOKEN=<gateway key>} (sent as {@code Authorization: Bearer}), with the CLI's extra headers.
 * It keeps the bytes of every request body it sends, so a test can byte-compare them with what the upstream got.
 */
final class AgentSdk {
    final AnthropicClient client;
    final List<byte[]> sent = new CopyOnWriteArrayList<>();

    AgentSdk(TestGateway gw, String gatewayKey, Map<String, String> headers) {
        AnthropicOkHttpClient.Builder b = AnthropicOkHttpClient.builder().baseUrl(gw.proxyUrl()).authToken(gatewayKey).maxRetries(0)
                .addInterceptor(Interceptor.syncOnly((http, request, options) -> {
                    byte[] body = request.body().map(AgentSdk::bytes).orElse(new byte[0]);
                    sent.add(body);
                    return http.execute(request.toBuilder().body(new Bytes(body)).build(), options);
                }));
        headers.forEach(b::putHeader);
        client = b.build();
    }

    /** A request body as recorded, as the SDK's params (what the SDK then writes is what {@link #sent} keeps). */
    static MessageCreateParams params(JsonNode body) {
        try {
            return MessageCreateParams.builder()
                    .body(ObjectMappers.jsonMapper().treeToValue(body, MessageCreateParams.Body.class)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams the request and adds the events up to the final Message, as an application would. */
    Message stream(JsonNode body) {
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params(body))) {
            s.stream().forEach(acc::accumulate);
        }
        return acc.message();
    }

    /** A Message (or any SDK model) as JSON, for comparing with the recorded blocks. */
    static JsonNode json(Object sdkModel) {
        return ObjectMappers.jsonMapper().valueToTree(sdkModel);
    }

    private static byte[] bytes(HttpRequestBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toByteArray();
    }

    /** A request body the interceptor already read. */
    private record Bytes(byte[] bytes) implements HttpRequestBody {
        @Override
        public void writeTo(OutputStream out) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String contentType() {
            return "application/json";
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean repeatable() {
            return true;
        }

        @Override
        public void close() {}
    }
}
