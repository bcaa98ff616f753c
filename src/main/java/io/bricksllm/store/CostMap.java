package io.bricksllm.store;

import java.util.Map;

/** A provider setting's own prices, USD per 1,000 tokens, overriding the price book per model. */
public record CostMap(Map<String, Double> promptCostPerModel,
                      Map<String, Double> completionCostPerModel,
                      Map<String, Double> embeddingsCostPerModel) {
    public CostMap {
        promptCostPerModel = promptCostPerModel == null ? Map.of() : Map.copyOf(promptCostPerModel);
        completionCostPerModel = completionCostPerModel == null ? Map.of() : Map.copyOf(completionCostPerModel);
        embeddingsCostPerModel = embeddingsCostPerModel == null ? Map.of() : Map.copyOf(embeddingsCostPerModel);
    }
}
