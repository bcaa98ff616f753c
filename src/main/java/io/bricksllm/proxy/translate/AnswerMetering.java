package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.Usage;
import io.bricksllm.metering.TokenCounter;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.MeterReading;
import io.bricksllm.proxy.meter.Pricing;
import java.util.function.Supplier;

/**
 * Prices a translated answer from the canonical usage its dialect reported, with the answering provider's prices;
 * when the upstream reported none, the gateway counts the prompt and the answer itself.
 */
record AnswerMetering(Pricing pricing, TokenCounter tokens) {

    MeterReading reading(Exchange x, String model, Usage reported, Supplier<String> answerText) {
        return reading(x, model, io.bricksllm.metering.Usage.of(reported), answerText);
    }

    /** {@code reported} empty: the upstream said nothing of its usage, so the gateway counts. */
    MeterReading reading(Exchange x, String model, java.util.Optional<io.bricksllm.metering.Usage> reported,
                         Supplier<String> answerText) {
        Supplier<io.bricksllm.metering.Usage> counted = () -> counted(x, model, answerText.get());
        return reported.isPresent() ? pricing.reading(x, model, reported.get(), counted) : pricing.reading(x, model, counted.get(), null);
    }

    /**
     * A stream that ended before the upstream said why it stopped (cut by the upstream, or left by the caller): the
     * output count it reported so far can be a placeholder (Anthropic's message_start says 1 until message_delta), so
     * the text relayed by then, counted, is the least that is charged.
     */
    MeterReading cutReading(Exchange x, String model, Usage reported, String answerText) {
        java.util.Optional<io.bricksllm.metering.Usage> r = io.bricksllm.metering.Usage.of(reported);
        if (r.isEmpty() || tokens == null || answerText.isEmpty()) return reading(x, model, r, () -> answerText);
        io.bricksllm.metering.Usage u = r.get();
        long relayed = tokens.countText(model, answerText);
        if (relayed <= u.outputTokens()) return reading(x, model, r, () -> answerText);
        return pricing.reading(x, model, new io.bricksllm.metering.Usage(u.inputTokens(), relayed, u.cacheReadTokens(),
                u.cacheWriteTokens(), u.reasoningTokens()), () -> counted(x, model, answerText));
    }

    private io.bricksllm.metering.Usage counted(Exchange x, String model, String answer) {
        if (tokens == null) return io.bricksllm.metering.Usage.of(0, 0);
        JsonNode req = x.info.json();
        // the request is in the caller's dialect: count it as that dialect's own meter would
        long prompt = req == null ? 0 : x.callerDialect().promptTokens(tokens, model, req);
        return io.bricksllm.metering.Usage.of(prompt, answer.isEmpty() ? 0 : tokens.countText(model, answer));
    }
}
