package io.bricksllm.metering;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * A price in USD per million tokens: flat, or tiered by the call's prompt size as genai-prices
 * models it ("cliff" tiers: once the prompt reaches a tier's start, ALL tokens of that type pay
 * the tier's price).
 */
public sealed interface Price {

    Price ZERO = new Flat(BigDecimal.ZERO);

    /** The per-million price that applies to a call whose prompt has {@code inputTokens} tokens. */
    BigDecimal perMillion(long inputTokens);

    record Flat(BigDecimal perMillion) implements Price {
        public Flat {
            requireNonNegative(perMillion);
        }

        @Override
        public BigDecimal perMillion(long inputTokens) {
            return perMillion;
        }
    }

    /** {@code tiers} are kept sorted by start so the lookup is a short backwards scan. */
    record Tiered(BigDecimal base, List<Tier> tiers) implements Price {
        public Tiered {
            requireNonNegative(base);
            tiers = tiers.stream().sorted(Comparator.comparingLong(Tier::start)).toList();
        }

        @Override
        public BigDecimal perMillion(long inputTokens) {
            for (int i = tiers.size() - 1; i >= 0; i--) {
                if (tiers.get(i).start() <= inputTokens) {
                    return tiers.get(i).perMillion();
                }
            }
            return base;
        }
    }

    record Tier(long start, BigDecimal perMillion) {
        public Tier {
            requireNonNegative(perMillion);
        }
    }

    private static void requireNonNegative(BigDecimal price) {
        if (price == null || price.signum() < 0) {
            throw new IllegalArgumentException("price must be a non-negative number: " + price);
        }
    }
}
