package io.bricksllm.dialect;

import java.util.Objects;

public sealed interface ToolChoice {

    record Auto() implements ToolChoice {
    }

    record None() implements ToolChoice {
    }

    /** The model must call some tool. */
    record Required() implements ToolChoice {
    }

    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }
}
