package io.bricksllm.dialect;

import java.util.Objects;

/**
 * One step of a streamed answer. Tool calls are numbered from 0 in the order they start, whatever
 * block numbering the upstream used; argument deltas name the call they extend.
 */
public sealed interface StreamEvent {

    record Start(String id, String model) implements StreamEvent {
        public Start {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(model, "model");
        }
    }

    record TextDelta(String text) implements StreamEvent {
    }

    record ReasoningDelta(String text) implements StreamEvent {
    }

    record ToolCallStart(int index, String id, String name) implements StreamEvent {
    }

    record ToolCallArgumentsDelta(int index, String text) implements StreamEvent {
    }

    record Finish(FinishReason reason) implements StreamEvent {
    }

    /** Cumulative usage so far: later reports replace earlier counts ({@link Usage#updatedBy}). */
    record UsageUpdate(Usage usage) implements StreamEvent {
    }

    /** The upstream reported an error mid-stream; nothing follows. */
    record Failure(ChatError error) implements StreamEvent {
    }
}
