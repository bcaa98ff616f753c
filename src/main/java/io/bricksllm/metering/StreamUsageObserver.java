package io.bricksllm.metering;

import java.util.Optional;

/**
 * Watches the events of one streamed response and remembers what metering needs: the usage the
 * upstream reported (if any), the generated text (to count tokens when no usage came) and the
 * model that answered. One instance per stream, confined to its event loop.
 */
public interface StreamUsageObserver extends SseListener {

    /** The usage reported in the stream so far; empty when the upstream reported none. */
    Optional<Usage> usage();

    /** The generated text so far, in arrival order. */
    String text();

    /** The model named by the stream, once a chunk has named it. */
    Optional<String> model();
}
