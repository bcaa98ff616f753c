package io.bricksllm.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.metering.ModelPrice;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Events;
import io.bricksllm.testing.Poll;
import java.time.Duration;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** What the events of unified calls must say: who answered, which model, how many tokens, and the price book's cost. */
public final class Metering {
    public static final PriceBook PRICES = PriceBook.load(Optional.empty());

    private Metering() {}

    /**
     * The cost of {@code prompt} input and {@code completion} output tokens (no cache tokens) at the bundled
     * price book's prices, looked up under the price book's own provider id ({@code anthropic}, {@code google},
     * {@code aws}, {@code openai}, {@code mistral}).
     */
    public static double cost(String priceProvider, String model, long prompt, long completion) {
        ModelPrice p = PRICES.find(priceProvider, model)
                .orElseThrow(() -> new AssertionError("the bundled price book has no " + priceProvider + " / " + model));
        BigDecimal in = p.input().perMillion(prompt).multiply(BigDecimal.valueOf(prompt));
        BigDecimal out = p.output().perMillion(prompt).multiply(BigDecimal.valueOf(completion));
        return in.add(out).divide(BigDecimal.valueOf(1_000_000), MathContext.DECIMAL64).doubleValue();
    }

    /** The one event of this key with that prompt token count (each test answers with its own count). */
    public static JsonNode eventWithPrompt(AdminClient admin, String keyId, long promptTokens) {
        return events(admin, keyId, e -> e.get("prompt_token_count").asLong() == promptTokens, 1).get(0);
    }

    /**
     * Polls until {@code count} of the key's events match. The deadline is generous because the event writer is
     * asynchronous and the test machine may be shared; a passing test waits only as long as the writer takes.
     */
    public static List<JsonNode> events(AdminClient admin, String keyId, Predicate<JsonNode> match, int count) {
        List<List<JsonNode>> found = new java.util.ArrayList<>(List.of(List.of()));
        try {
            Poll.until(Duration.ofSeconds(30), count + " matching events of key " + keyId, () -> {
                found.set(0, Events.fetch(admin, keyId).stream().filter(match).toList());
                return found.get(0).size() >= count;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the key's events: " + Events.fetch(admin, keyId), e);
        }
        return found.get(0);
    }

    /** Provider as the setting names it, the upstream model id without the prefix, the tokens and the price book's cost. */
    public static void assertMetered(JsonNode e, String provider, String model, long prompt, long completion, String priceProvider) {
        assertThat(e.get("provider").asText()).as("event provider in " + e).isEqualTo(provider);
        assertThat(e.get("model").asText()).as("event model (no provider prefix) in " + e).isEqualTo(model);
        assertThat(e.get("prompt_token_count").asLong()).as("prompt tokens in " + e).isEqualTo(prompt);
        assertThat(e.get("completion_token_count").asLong()).as("completion tokens in " + e).isEqualTo(completion);
        double expected = cost(priceProvider, model, prompt, completion);
        assertThat(expected).isPositive();
        assertThat(e.get("cost_in_usd").asDouble()).as("cost at " + priceProvider + "'s prices in " + e).isCloseTo(expected, within(1e-12));
        assertThat(e.get("status").asInt()).as("status in " + e).isEqualTo(200);
    }
}
