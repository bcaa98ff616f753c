package io.bricksllm.metering;

import java.util.Map;
import java.util.Optional;

/**
 * A provider setting's own prices ({@code costMap}), USD per 1,000 tokens, keyed by model name.
 * They beat the price book for the models they list. Empty maps mean "no override".
 */
public record CostOverride(Map<String, Double> promptCostPerModel,
                           Map<String, Double> completionCostPerModel,
                           Map<String, Double> embeddingsCostPerModel) {

    public static final CostOverride NONE = new CostOverride(Map.of(), Map.of(), Map.of());

    public CostOverride {
        promptCostPerModel = copy(promptCostPerModel);
        completionCostPerModel = copy(completionCostPerModel);
        embeddingsCostPerModel = copy(embeddingsCostPerModel);
    }

    Optional<Double> prompt(String model) {
        return Optional.ofNullable(promptCostPerModel.get(model));
    }

    Optional<Double> completion(String model) {
        return Optional.ofNullable(completionCostPerModel.get(model));
    }

    Optional<Double> embeddings(String model) {
        return Optional.ofNullable(embeddingsCostPerModel.get(model));
    }

    private static Map<String, Double> copy(Map<String, Double> prices) {
        if (prices == null || prices.isEmpty()) {
            return Map.of();
        }
        prices.forEach((model, price) -> {
            if (model == null || price == null || !Double.isFinite(price) || price < 0) {
                throw new IllegalArgumentException("cost map price for " + model + " must be a finite, non-negative number");
            }
        });
        return Map.copyOf(prices);
    }
}
