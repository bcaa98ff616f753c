package io.bricksllm.metering;

import java.util.List;
import java.util.regex.Pattern;

/**
 * genai-prices' boolean rules that tell whether a model name belongs to a price entry. Matching is
 * case-sensitive as in the dataset; the price book retries lower-cased names itself.
 */
sealed interface ModelMatch {

    boolean matches(String model);

    record Equals(String value) implements ModelMatch {
        @Override
        public boolean matches(String model) {
            return model.equals(value);
        }
    }

    record StartsWith(String prefix) implements ModelMatch {
        @Override
        public boolean matches(String model) {
            return model.startsWith(prefix);
        }
    }

    record EndsWith(String suffix) implements ModelMatch {
        @Override
        public boolean matches(String model) {
            return model.endsWith(suffix);
        }
    }

    record Contains(String part) implements ModelMatch {
        @Override
        public boolean matches(String model) {
            return model.contains(part);
        }
    }

    /** Search semantics (not whole-string): the dataset anchors with {@code ^}/{@code $} when it means to. */
    record Regex(Pattern pattern) implements ModelMatch {
        @Override
        public boolean matches(String model) {
            return pattern.matcher(model).find();
        }
    }

    record AnyOf(List<ModelMatch> clauses) implements ModelMatch {
        public AnyOf {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(String model) {
            for (ModelMatch clause : clauses) {
                if (clause.matches(model)) {
                    return true;
                }
            }
            return false;
        }
    }

    record AllOf(List<ModelMatch> clauses) implements ModelMatch {
        public AllOf {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(String model) {
            for (ModelMatch clause : clauses) {
                if (!clause.matches(model)) {
                    return false;
                }
            }
            return true;
        }
    }
}
