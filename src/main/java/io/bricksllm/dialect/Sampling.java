package io.bricksllm.dialect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Generation controls; empty means "the caller did not say" (the target's default applies). */
public record Sampling(OptionalInt maxOutputTokens, OptionalDouble temperature, OptionalDouble topP,
        List<String> stop, OptionalInt n, Optional<ReasoningEffort> reasoningEffort) {

    public static final Sampling DEFAULTS = new Sampling(OptionalInt.empty(), OptionalDouble.empty(),
            OptionalDouble.empty(), List.of(), OptionalInt.empty(), Optional.empty());

    public Sampling {
        stop = List.copyOf(stop);
        Objects.requireNonNull(reasoningEffort, "reasoningEffort");
    }
}
