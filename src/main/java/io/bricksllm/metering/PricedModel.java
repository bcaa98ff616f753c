package io.bricksllm.metering;

import java.time.Instant;
import java.util.List;

/**
 * One model entry of the price data: its match rule and its prices, possibly several conditional
 * ones. Conditional prices are tried last to first and the first active one wins; when none is
 * active the first is used (genai-prices semantics), so a scheduled price change takes effect on
 * its date without a new release. {@code contextWindow}: the data's {@code context_window} in tokens, 0 when it
 * gives none (it bounds a budget reservation's prompt and output).
 */
record PricedModel(String providerId, String id, ModelMatch match, List<ConditionalPrice> prices, long contextWindow) {

    /** Without a known context window (0). */
    PricedModel(String providerId, String id, ModelMatch match, List<ConditionalPrice> prices) {
        this(providerId, id, match, prices, 0);
    }

    PricedModel {
        if (prices.isEmpty()) {
            throw new IllegalArgumentException("model " + id + " has no prices");
        }
        prices = List.copyOf(prices);
    }

    ModelPrice pricesAt(Instant now) {
        for (int i = prices.size() - 1; i >= 0; i--) {
            if (prices.get(i).constraint().activeAt(now)) {
                return prices.get(i).price();
            }
        }
        return prices.get(0).price();
    }

    record ConditionalPrice(PriceConstraint constraint, ModelPrice price) {
    }
}
