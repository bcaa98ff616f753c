package io.bricksllm.metering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns usage into USD. Book prices are per million tokens:
 * {@code uncachedInput × input + cacheRead × cacheRead(or input) + cacheWrite × cacheWrite(or input)
 * + output × output}; a setting's cost map (per 1,000 tokens) wins for the models it lists.
 * All arithmetic is exact BigDecimal so that summing many small calls does not drift.
 *
 * <p>Thread-safe. A model that cannot be priced costs 0, is flagged {@link Cost#unpriced()} and is
 * logged once per (provider, model) per calculator.
 */
public final class CostCalculator {

    private static final Logger LOG = LoggerFactory.getLogger(CostCalculator.class);

    /** Callers choose model names, so the set of warned names must not grow without limit. */
    private static final int MAX_WARNED = 10_000;

    private static final BigDecimal SECONDS_PER_MINUTE = BigDecimal.valueOf(60);

    private final Supplier<PriceBook> prices;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** @param prices the current price book; a supplier so a reloaded book is used without a new calculator */
    public CostCalculator(Supplier<PriceBook> prices) {
        this.prices = Objects.requireNonNull(prices);
    }

    public CostCalculator(PriceBook prices) {
        this(() -> prices);
        Objects.requireNonNull(prices);
    }

    /** Chat pricing; see {@link #cost(String, String, Usage, CostOverride, PriceKind)}. */
    public Cost cost(String provider, String model, Usage usage, CostOverride override) {
        return cost(provider, model, usage, override, PriceKind.CHAT);
    }

    /**
     * @param provider the gateway provider (openai, azure, anthropic, deepinfra, vllm)
     * @param model    the model to price by (Azure: the response's model)
     * @param override the setting's cost map, {@link CostOverride#NONE} when it has none
     * @param kind     embeddings use the embeddings cost map; chat and completions the prompt/completion maps
     */
    public Cost cost(String provider, String model, Usage usage, CostOverride override, PriceKind kind) {
        Objects.requireNonNull(usage, "usage");
        CostOverride costMap = override == null ? CostOverride.NONE : override;
        String name = model == null ? "" : model;
        Optional<ModelPrice> price = prices.get().find(provider, name);
        Cost cost = switch (kind) {
            case EMBEDDINGS -> embeddingsCost(price, name, usage, costMap);
            case CHAT, COMPLETION -> tokenCost(price, name, usage, costMap);
        };
        if (cost.unpriced()) {
            warnOnce(provider, name);
        }
        return cost;
    }

    /** The model's context window in tokens, when the price data gives one (see {@link PriceBook#contextWindow}). */
    public java.util.OptionalLong contextWindow(String provider, String model) {
        return prices.get().contextWindow(provider, model);
    }

    /** Whether {@code model} has a speech (per character) or transcription (per minute) price. */
    public boolean pricesAudio(String model, boolean speech) {
        return (speech ? prices.get().perMillionChars(model) : prices.get().perMinute(model)).isPresent();
    }

    /** Whisper bills whole seconds (truncated), at a per-minute price. Rounded to 12 decimals. */
    public Cost transcription(String provider, String model, double durationSeconds) {
        Optional<BigDecimal> perMinute = prices.get().perMinute(model);
        if (perMinute.isEmpty()) {
            warnOnce(provider, model);
            return Cost.UNPRICED;
        }
        long seconds = (long) Math.max(0, Math.floor(durationSeconds));
        return Cost.priced(perMinute.get().multiply(BigDecimal.valueOf(seconds))
                .divide(SECONDS_PER_MINUTE, 12, RoundingMode.HALF_UP));
    }

    /** Text-to-speech bills input characters, at a per-million-characters price. */
    public Cost speech(String provider, String model, long characters) {
        Optional<BigDecimal> perMillion = prices.get().perMillionChars(model);
        if (perMillion.isEmpty()) {
            warnOnce(provider, model);
            return Cost.UNPRICED;
        }
        return Cost.priced(perMillion.get().multiply(BigDecimal.valueOf(characters)).movePointLeft(6));
    }

    /**
     * A cost map entry for the model prices its side (prompt or completion) for all tokens of that
     * side; a side the map does not list keeps the book price. Listing a model in either map means
     * the operator priced it, so the result is never flagged unpriced.
     */
    private static Cost tokenCost(Optional<ModelPrice> price, String model, Usage usage, CostOverride costMap) {
        Optional<Double> prompt = costMap.prompt(model);
        Optional<Double> completion = costMap.completion(model);
        if (prompt.isEmpty() && completion.isEmpty()) {
            return price.map(p -> Cost.priced(inputCost(p, usage).add(outputCost(p, usage)))).orElse(Cost.UNPRICED);
        }
        BigDecimal input = prompt.map(perK -> perThousand(perK, usage.inputTokens()))
                .orElseGet(() -> price.map(p -> inputCost(p, usage)).orElse(BigDecimal.ZERO));
        BigDecimal output = completion.map(perK -> perThousand(perK, usage.outputTokens()))
                .orElseGet(() -> price.map(p -> outputCost(p, usage)).orElse(BigDecimal.ZERO));
        return Cost.priced(input.add(output));
    }

    private static Cost embeddingsCost(Optional<ModelPrice> price, String model, Usage usage, CostOverride costMap) {
        Optional<Double> perK = costMap.embeddings(model);
        if (perK.isPresent()) {
            return Cost.priced(perThousand(perK.get(), usage.inputTokens()));
        }
        return price.map(p -> Cost.priced(inputCost(p, usage).add(outputCost(p, usage)))).orElse(Cost.UNPRICED);
    }

    /** Tiers are chosen by the whole prompt size, cached tokens included, as providers bill them. */
    private static BigDecimal inputCost(ModelPrice price, Usage usage) {
        long tier = usage.inputTokens();
        BigDecimal input = price.input().perMillion(tier);
        BigDecimal cacheRead = price.cacheRead().map(p -> p.perMillion(tier)).orElse(input);
        BigDecimal cacheWrite = price.cacheWrite().map(p -> p.perMillion(tier)).orElse(input);
        return tokens(usage.uncachedInputTokens(), input)
                .add(tokens(usage.cacheReadTokens(), cacheRead))
                .add(tokens(usage.cacheWriteTokens(), cacheWrite))
                .movePointLeft(6);
    }

    private static BigDecimal outputCost(ModelPrice price, Usage usage) {
        return tokens(usage.outputTokens(), price.output().perMillion(usage.inputTokens())).movePointLeft(6);
    }

    /** {@code BigDecimal.valueOf(double)} keeps the decimal the operator typed (0.00015, not 1.49999…e-4). */
    private static BigDecimal perThousand(double pricePerThousand, long tokens) {
        return tokens(tokens, BigDecimal.valueOf(pricePerThousand)).movePointLeft(3);
    }

    private static BigDecimal tokens(long count, BigDecimal price) {
        return count == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(count));
    }

    private void warnOnce(String provider, String model) {
        if (warned.size() >= MAX_WARNED) {
            return;
        }
        String name = String.valueOf(model);
        if (warned.add(provider + '\u0000' + name.substring(0, Math.min(name.length(), PriceBook.MAX_MODEL_NAME)))) {
            LOG.warn("no price for model '{}' of provider '{}': its calls are recorded with cost 0 and flagged unpriced;"
                    + " add it to the price override file or the setting's costMap", printable(name), printable(provider));
        }
    }

    /** Model names come from callers: keep log lines single and short. */
    private static String printable(String text) {
        String s = String.valueOf(text).replaceAll("\\p{Cntrl}", "?");
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
