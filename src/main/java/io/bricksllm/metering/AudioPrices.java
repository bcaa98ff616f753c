package io.bricksllm.metering;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Prices of OpenAI's audio endpoints, which are not billed per token: transcription per minute of
 * audio, speech per million input characters. genai-prices has no such units, hence this table.
 */
record AudioPrices(Map<String, BigDecimal> perMinute, Map<String, BigDecimal> perMillionChars) {

    static AudioPrices defaults() {
        return new AudioPrices(
                Map.of("whisper-1", new BigDecimal("0.006")),
                Map.of("tts-1", new BigDecimal("15"), "tts-1-hd", new BigDecimal("30")));
    }

    AudioPrices {
        perMinute = Map.copyOf(perMinute);
        perMillionChars = Map.copyOf(perMillionChars);
    }

    Optional<BigDecimal> perMinute(String model) {
        return lookup(perMinute, model);
    }

    Optional<BigDecimal> perMillionChars(String model) {
        return lookup(perMillionChars, model);
    }

    private static Optional<BigDecimal> lookup(Map<String, BigDecimal> table, String model) {
        if (model == null || model.length() > PriceBook.MAX_MODEL_NAME) {
            return Optional.empty();
        }
        for (String name : ModelNames.candidates(model)) {
            BigDecimal price = table.get(name);
            if (price != null) {
                return Optional.of(price);
            }
        }
        return Optional.empty();
    }
}
