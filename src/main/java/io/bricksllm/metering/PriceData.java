package io.bricksllm.metering;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.bricksllm.metering.PricedModel.ConditionalPrice;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads price files in the genai-prices format (a JSON array of providers). Only the fields that
 * price text tokens are kept; audio, image and per-request prices are ignored because the gateway
 * does not meter those units. A malformed file fails loudly at load time rather than mispricing later.
 */
final class PriceData {

    /** Floats as BigDecimal so "0.075" stays exactly 0.075 instead of a binary approximation. */
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    List<PriceProvider> read(InputStream json, String source) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("price file " + source + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("price file " + source + " must be a JSON array of providers");
        }
        List<PriceProvider> providers = new ArrayList<>();
        for (JsonNode provider : root) {
            providers.add(provider(provider, source));
        }
        return providers;
    }

    private PriceProvider provider(JsonNode node, String source) {
        String id = requiredText(node, "id", source);
        List<String> fallbacks = new ArrayList<>();
        node.path("fallback_model_providers").forEach(f -> fallbacks.add(f.asText()));
        List<PricedModel> models = new ArrayList<>();
        for (JsonNode model : node.path("models")) {
            String where = source + " provider " + id;
            String modelId = requiredText(model, "id", where);
            try {
                models.add(new PricedModel(id, modelId, match(model.path("match")), prices(id, modelId, model.path("prices")),
                        Math.max(0, model.path("context_window").asLong(0))));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + " model " + modelId + ": " + e.getMessage(), e);
            }
        }
        return new PriceProvider(id, fallbacks, models);
    }

    private ModelMatch match(JsonNode node) {
        if (node.has("equals")) return new ModelMatch.Equals(node.get("equals").asText());
        if (node.has("starts_with")) return new ModelMatch.StartsWith(node.get("starts_with").asText());
        if (node.has("ends_with")) return new ModelMatch.EndsWith(node.get("ends_with").asText());
        if (node.has("contains")) return new ModelMatch.Contains(node.get("contains").asText());
        if (node.has("regex")) return new ModelMatch.Regex(Pattern.compile(node.get("regex").asText()));
        if (node.has("or")) return new ModelMatch.AnyOf(clauses(node.get("or")));
        if (node.has("and")) return new ModelMatch.AllOf(clauses(node.get("and")));
        throw new IllegalArgumentException("unknown match rule " + node);
    }

    private List<ModelMatch> clauses(JsonNode array) {
        List<ModelMatch> clauses = new ArrayList<>();
        array.forEach(c -> clauses.add(match(c)));
        return clauses;
    }

    private List<ConditionalPrice> prices(String providerId, String modelId, JsonNode node) {
        if (node.isObject()) {
            return List.of(new ConditionalPrice(new PriceConstraint.Always(), modelPrice(providerId, modelId, node)));
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("prices must be an object or a non-empty array");
        }
        List<ConditionalPrice> prices = new ArrayList<>();
        for (JsonNode conditional : node) {
            prices.add(new ConditionalPrice(constraint(conditional.path("constraint")),
                    modelPrice(providerId, modelId, conditional.path("prices"))));
        }
        return prices;
    }

    private PriceConstraint constraint(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return new PriceConstraint.Always();
        }
        if (node.has("start_date")) {
            return new PriceConstraint.StartDate(LocalDate.parse(node.get("start_date").asText()));
        }
        if (node.has("start_time") && node.has("end_time")) {
            return new PriceConstraint.TimeOfDay(time(node.get("start_time").asText()), time(node.get("end_time").asText()));
        }
        throw new IllegalArgumentException("unknown price constraint " + node);
    }

    /** The dataset writes "00:30:00Z"; a time without an offset is taken as UTC. */
    private static OffsetTime time(String text) {
        return OffsetTime.parse(text.matches(".*(Z|[+-]\\d{2}:\\d{2})$") ? text : text + "Z");
    }

    private ModelPrice modelPrice(String providerId, String modelId, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("prices must be an object");
        }
        return new ModelPrice(providerId, modelId,
                price(node.get("input_mtok")).orElse(Price.ZERO),
                price(node.get("output_mtok")).orElse(Price.ZERO),
                price(node.get("cache_read_mtok")),
                price(node.get("cache_write_mtok")));
    }

    private Optional<Price> price(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isNumber()) {
            return Optional.of(new Price.Flat(node.decimalValue()));
        }
        if (node.isObject() && node.has("base")) {
            List<Price.Tier> tiers = new ArrayList<>();
            for (JsonNode tier : node.path("tiers")) {
                tiers.add(new Price.Tier(tier.path("start").asLong(), number(tier.get("price"))));
            }
            return Optional.of(new Price.Tiered(number(node.get("base")), tiers));
        }
        throw new IllegalArgumentException("unreadable price " + node);
    }

    private static BigDecimal number(JsonNode node) {
        if (node == null || !node.isNumber()) {
            throw new IllegalArgumentException("price must be a number: " + node);
        }
        return node.decimalValue();
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": every entry needs a text \"" + field + "\"");
        }
        return value.asText();
    }
}
