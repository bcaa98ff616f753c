package io.bricksllm.proxy.meter;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.limits.Micros;
import io.bricksllm.metering.Cost;
import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.Usage;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.Providers;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.stage.CostEstimator;
import io.bricksllm.store.ProviderSetting;
import io.bricksllm.store.RouteStep;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * The cost a budget reserves before forwarding: a realistic bound, not a worst case, so that a team is not blocked
 * while its real spend is far below its budget — and never more than {@code maxReservationMicros}
 * ({@code MAX_RESERVATION_USD}). What a request really spends beyond its reservation is settled afterwards: that
 * difference is the overshoot the README states.
 *
 * <ul>
 *   <li>Prompt: the body's bytes / {@value #BYTES_PER_PROMPT_TOKEN}. Measured with o200k/cl100k on whole request bodies:
 *       a Claude Code session's turns 2.7 bytes a token (tool results, escaped code, signatures), 200 KB of Java source
 *       in one message 4.0, this README's English 4.0, Japanese 3.4–4.7; bytes/2 (before) reserved about twice the prompt. The
 *       tokenizer itself is not used: it takes ~9 ms for a 30 KB body and ~46 ms for 200 KB, on the event loop, for
 *       an estimate the answer replaces anyway.</li>
 *   <li>Output: the request's own cap ({@code max_tokens}, …; a route step's request params may raise it), else
 *       {@value #DEFAULT_OUTPUT_ALLOWANCE} tokens; never more than the model's context window when the price data
 *       gives one (no answer is longer), else {@value #DEFAULT_MAX_OUTPUT} tokens (the most today's models write at
 *       a time is 32k–128k). The prompt is bounded by the context window too: a longer one is refused upstream.</li>
 *   <li>A route (and a unified request with a {@code models} list) reserves its dearest step: only one answers.</li>
 * </ul>
 */
public final class PriceEstimator implements CostEstimator {
    static final long DEFAULT_OUTPUT_ALLOWANCE = 1024;
    static final long DEFAULT_MAX_OUTPUT = 32_768;
    static final int BYTES_PER_PROMPT_TOKEN = 3;
    private static final String[] OUTPUT_CAPS = {"max_completion_tokens", "max_tokens", "max_output_tokens", "max_tokens_to_sample"};

    private final Pricing pricing;
    private final Providers providers;
    private final long maxReservationMicros;
    private final BigDecimal maxReservationUsd;
    private final long defaultOutput;

    public PriceEstimator(Pricing pricing, Providers providers, long maxReservationMicros) {
        this(pricing, providers, maxReservationMicros, DEFAULT_OUTPUT_ALLOWANCE);
    }

    /** {@code defaultOutput}: the output tokens counted for a request that sets no cap ({@code DEFAULT_OUTPUT_TOKENS}). */
    public PriceEstimator(Pricing pricing, Providers providers, long maxReservationMicros, long defaultOutput) {
        if (maxReservationMicros <= 0) throw new IllegalArgumentException("the reservation cap must be positive");
        if (defaultOutput <= 0) throw new IllegalArgumentException("the default output allowance must be positive");
        this.pricing = pricing;
        this.providers = providers;
        this.maxReservationMicros = maxReservationMicros;
        this.maxReservationUsd = BigDecimal.valueOf(maxReservationMicros).movePointLeft(6);
        this.defaultOutput = defaultOutput;
    }

    /**
     * The output tokens a reservation counts, bounded as the cost estimate bounds them: the request's cap (a route's
     * largest step cap), else the default allowance, never more than the model's context window (else
     * {@value #DEFAULT_MAX_OUTPUT}). 0 for operations without generated tokens.
     */
    public long outputTokens(Exchange x) {
        Operation op = x.endpoint.operation();
        if (!op.generatesTokens()) return 0;
        if (x.route != null) {
            long most = 0;
            for (RouteStep s : x.route.flatSteps()) {
                Provider provider = providers.get(s.provider()).orElse(null);
                if (provider == null) continue;
                most = Math.max(most, boundedOutput(provider, s.model(), Math.max(x.info.maxOutputTokens(), stepCap(s))));
            }
            return most;
        }
        return x.provider == null ? 0 : boundedOutput(x.provider, x.info.model(), x.info.maxOutputTokens());
    }

    private long boundedOutput(Provider provider, String model, long cap) {
        long output = cap > 0 ? cap : defaultOutput;
        OptionalLong window = model.isEmpty() ? OptionalLong.empty() : pricing.calculator().contextWindow(provider.priceProvider(), model);
        return Math.min(output, window.isPresent() ? window.getAsLong() : DEFAULT_MAX_OUTPUT);
    }

    @Override
    public Estimate estimate(Exchange x) {
        Operation op = x.endpoint.operation();
        if (op == Operation.PASS_THROUGH || op == Operation.TOKEN_COUNT) return Estimate.FREE;
        if (x.route != null) return route(x);
        if (x.provider == null) return Estimate.FREE; // answered by the gateway (GET /v1/models)
        return single(x, x.provider, x.setting, x.info.model(), x.info.maxOutputTokens());
    }

    /** The dearest step; the first step that cannot be priced is named. */
    private Estimate route(Exchange x) {
        long most = 0;
        String unpriced = null;
        for (RouteStep s : x.route.flatSteps()) {
            Provider provider = providers.get(s.provider()).orElse(null);
            if (provider == null) continue; // refused when the step is tried
            Estimate e = single(x, provider, x.routeSettings.get(s.provider()), s.model(), Math.max(x.info.maxOutputTokens(), stepCap(s)));
            most = Math.max(most, e.micros());
            if (unpriced == null && e.unpriced()) unpriced = e.unpricedModel();
        }
        return new Estimate(most, unpriced);
    }

    private Estimate single(Exchange x, Provider provider, ProviderSetting setting, String model, long cap) {
        Operation op = x.endpoint.operation();
        CostCalculator calculator = pricing.calculator();
        String priceProvider = provider.priceProvider();
        switch (op) {
            case SPEECH -> {
                if (!calculator.pricesAudio(model, true)) return new Estimate(0, model);
                JsonNode input = x.info.json() == null ? null : x.info.json().get("input");
                String text = input == null ? "" : input.asText();
                return capped(calculator.speech(priceProvider, model, text.codePointCount(0, text.length())));
            }
            case TRANSCRIPTION, TRANSLATION -> {
                // the price is per minute of audio, known from the answer only
                return calculator.pricesAudio(model, false) ? Estimate.FREE : new Estimate(0, model);
            }
            default -> {
                // priced by the answer's model: an Azure deployment's name, or no model in the body
                boolean byAnswer = model.isEmpty() || provider.pricesByResponseModel();
                long prompt = x.body == null ? 0 : Math.ceilDiv(x.body.length(), BYTES_PER_PROMPT_TOKEN);
                long output = op == Operation.EMBEDDINGS ? 0 : cap > 0 ? cap : defaultOutput;
                OptionalLong window = model.isEmpty() ? OptionalLong.empty() : calculator.contextWindow(priceProvider, model);
                if (window.isPresent()) {
                    prompt = Math.min(prompt, window.getAsLong());
                    output = Math.min(output, window.getAsLong());
                } else {
                    output = Math.min(output, DEFAULT_MAX_OUTPUT);
                }
                Cost cost = calculator.cost(priceProvider, model, Usage.of(prompt, output), Pricing.overrideOf(setting), Pricing.kindOf(op));
                if (cost.unpriced()) return byAnswer ? Estimate.FREE : new Estimate(0, model);
                return capped(cost);
            }
        }
    }

    private Estimate capped(Cost cost) {
        // compared before converting: a cost map's absurd price must not overflow the micro-dollar long
        return Estimate.of(cost.usd().compareTo(maxReservationUsd) >= 0 ? maxReservationMicros : Micros.of(cost.usd()));
    }

    /** The largest output cap a route step's request params set (they override the caller's). */
    private static long stepCap(RouteStep s) {
        long cap = 0;
        for (String field : OUTPUT_CAPS) {
            JsonNode n = s.requestParams().get(field);
            if (n != null && n.canConvertToLong()) cap = Math.max(cap, n.asLong());
        }
        return cap;
    }
}
