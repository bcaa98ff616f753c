package io.bricksllm.metering;

import java.util.List;

/** One provider of the price data: its id, its models in match order, and where else to look. */
record PriceProvider(String id, List<String> fallbackProviders, List<PricedModel> models) {

    PriceProvider {
        fallbackProviders = List.copyOf(fallbackProviders);
        models = List.copyOf(models);
    }
}
