package io.bricksllm.proxy.meter;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.metering.CostCalculator;
import io.bricksllm.metering.PriceBook;
import io.bricksllm.provider.Providers;
import io.bricksllm.proxy.Endpoint;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.RequestInfo;
import io.bricksllm.proxy.stage.CostEstimator.Estimate;
import io.bricksllm.store.Route;
import io.bricksllm.store.RouteStep;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The figures a budget reserves (README "How limits behave"): bytes/3 prompts, context-window and USD caps. */
class PriceEstimatorTest {
    static final Providers PROVIDERS = Providers.defaults();
    static final Pricing PRICING = new Pricing(new CostCalculator(PriceBook.load(java.util.Optional.empty(), java.time.Clock.systemUTC(), PROVIDERS::priceChain)));
    static final PriceEstimator ESTIMATOR = new PriceEstimator(PRICING, PROVIDERS, 1_000_000);

    static Exchange chat(String provider, String model, long maxTokens, int bodyBytes) {
        Endpoint e = Endpoint.json(HttpMethod.POST, "/api/providers/" + provider + "/v1/chat/completions", provider, Operation.CHAT);
        Exchange x = new Exchange(null, e, PROVIDERS.get(provider).orElseThrow(), null, Instant.now(), 0, "c");
        x.body = Buffer.buffer(new byte[bodyBytes]);
        x.info = new RequestInfo(model, false, "", false, maxTokens, null);
        return x;
    }

    @Test
    void aBigAgentBodyReservesItsBytesOverThreeAsPromptTokens() {
        // 200 KB at bytes/3 = 68,267 tokens × $3/M (claude-sonnet-4-5) = $0.2048, plus 1,000 output × $15/M = $0.015
        Estimate e = ESTIMATOR.estimate(chat("anthropic", "claude-sonnet-4-5", 1_000, 204_800));
        assertThat(e.unpriced()).isFalse();
        assertThat(e.micros()).isEqualTo(204_801 + 15_000);
    }

    @Test
    void theOutputIsBoundedByTheModelsContextWindow() {
        // gpt-4o-mini: max_tokens 1,000,000 → 128,000 × $0.60/M = $0.0768 (+ 100 bytes → 34 tokens × $0.15/M)
        assertThat(ESTIMATOR.estimate(chat("openai", "gpt-4o-mini", 1_000_000, 100)).micros()).isEqualTo(76_800 + 6);
    }

    @Test
    void noReservationIsAboveMaxReservationUsd() {
        // o1: 128,000 × $60/M = $7.68 without the cap
        assertThat(ESTIMATOR.estimate(chat("openai", "o1", 1_000_000, 100)).micros()).isEqualTo(1_000_000);
        assertThat(new PriceEstimator(PRICING, PROVIDERS, 250_000).estimate(chat("openai", "o1", 1_000_000, 100)).micros()).isEqualTo(250_000);
    }

    @Test
    void withoutACapTheOutputAllowanceIs1024Tokens() {
        // gpt-4o: 1,024 × $10/M = $0.01024 (+ 300 bytes → 100 tokens × $2.5/M)
        assertThat(ESTIMATOR.estimate(chat("openai", "gpt-4o", 0, 300)).micros()).isEqualTo(10_240 + 250);
    }

    @Test
    void anUnknownModelIsNamedAndAnAzureDeploymentIsLeftToTheAnswer() {
        Estimate unknown = ESTIMATOR.estimate(chat("openai", "my-own-model", 10, 100));
        assertThat(unknown.unpriced()).isTrue();
        assertThat(unknown.unpricedModel()).isEqualTo("my-own-model");
        assertThat(ESTIMATOR.estimate(chat("azure", "my-deployment", 10, 100)).unpriced()).isFalse();
    }

    @Test
    void aRouteReservesItsDearestStepAndNamesAnUnpricedOne() {
        Exchange x = chat("openai", "whatever", 1_000, 100);
        x.provider = null;
        x.route = new Route("r", 0, 0, "r", "/r", List.of(), List.of(
                new RouteStep("openai", "gpt-4o-mini", 0, "", "", Map.of(), Map.of()),
                new RouteStep("openai", "gpt-4o", 0, "", "", Map.of(), Map.of())), new Route.CacheConfig(false, ""), "", "", List.of());
        // gpt-4o: 34 × $2.5/M + 1,000 × $10/M
        assertThat(ESTIMATOR.estimate(x)).isEqualTo(Estimate.of(85 + 10_000));
        x.route = new Route("r", 0, 0, "r", "/r", List.of(), List.of(
                new RouteStep("openai", "gpt-4o-mini", 0, "", "", Map.of(), Map.of()),
                new RouteStep("openai", "no-such-model", 0, "", "", Map.of(), Map.of())), new Route.CacheConfig(false, ""), "", "", List.of());
        assertThat(ESTIMATOR.estimate(x).unpricedModel()).isEqualTo("no-such-model");
    }
}
