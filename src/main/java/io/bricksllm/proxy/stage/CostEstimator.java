package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.Exchange;

/** A bounded cost of a request before it is forwarded, for budget reservations. */
@FunctionalInterface
public interface CostEstimator {
    Estimate estimate(Exchange x);

    default long estimateMicros(Exchange x) {
        return estimate(x).micros();
    }

    /**
     * What to reserve, and the model that cannot be priced before forwarding (null when every model the request may
     * use has a price, or when its price is only known from the answer: an Azure deployment, a body without a model).
     */
    record Estimate(long micros, String unpricedModel) {
        public static final Estimate FREE = new Estimate(0, null);

        public static Estimate of(long micros) {
            return new Estimate(micros, null);
        }

        public boolean unpriced() {
            return unpricedModel != null;
        }
    }
}
