package io.bricksllm.proxy.translate;

import io.bricksllm.dialect.ChatRequest;
import io.bricksllm.dialect.Message;
import io.bricksllm.dialect.Part;
import io.bricksllm.dialect.RequestBody;
import io.bricksllm.dialect.Tool;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.LocalAnswer;
import io.bricksllm.proxy.Outcome;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's {@code count_tokens} for a model Anthropic does not serve: the gateway's tokenizer estimate of the
 * request's input — system prompt, every text, tool call and result, and the tools' schemas — with the few tokens per
 * message every chat format adds. An estimate (each vendor tokenizes its own way), good for an agent's context budget.
 */
public final class TokenCountAnswer implements LocalAnswer {
    /** Role and separators per message, as OpenAI's chat format counts them. */
    private static final int PER_MESSAGE = 3;

    private final Codecs codecs;
    private final TokenCounter tokens;
    private final String model;

    TokenCountAnswer(Codecs codecs, TokenCounter tokens, String model) {
        this.codecs = codecs;
        this.tokens = tokens;
        this.model = model;
    }

    /**
     * Checks that the request is one the Messages API accepts, so a malformed one is refused before the answer.
     *
     * @throws io.bricksllm.dialect.DialectException naming the field at fault
     */
    public void check(Exchange x) {
        decode(x);
    }

    @Override
    public Outcome answer(Exchange x) {
        long count = count(decode(x));
        byte[] body = ("{\"input_tokens\":" + count + "}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        x.request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
        return new Outcome(200, "", 0, 0, 0, 0, false, x.key.shouldLogResponse() ? body : null, null, false);
    }

    private ChatRequest decode(Exchange x) {
        return codecs.anthropicIngressRequests().decode(RequestBody.object(x.info.json()));
    }

    long count(ChatRequest request) {
        StringBuilder text = new StringBuilder();
        for (Message m : request.messages()) {
            for (Part p : m.parts()) {
                switch (p) {
                    case Part.Text t -> text.append(t.text()).append('\n');
                    case Part.Reasoning r -> text.append(r.text()).append('\n');
                    case Part.ToolCall c -> text.append(c.name()).append(' ').append(c.argumentsJson()).append('\n');
                    case Part.ToolResult r -> text.append(r.content()).append('\n');
                    case Part.Image i -> { } // priced by the provider in its own way; not text
                }
            }
        }
        for (Tool t : request.tools()) {
            text.append(t.name()).append(' ').append(t.description().orElse("")).append(' ').append(t.parameters()).append('\n');
        }
        long n = text.isEmpty() || tokens == null ? 0 : tokens.countText(model, text.toString());
        return n + (long) PER_MESSAGE * request.messages().size();
    }
}
