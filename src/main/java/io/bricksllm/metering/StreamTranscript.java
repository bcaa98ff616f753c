package io.bricksllm.metering;

import java.util.Optional;

/** What a stream said, as opposed to what it cost: the generated text and the first model named. */
final class StreamTranscript {

    private final StringBuilder text = new StringBuilder();
    private String model;

    void append(String part) {
        if (part != null) {
            text.append(part);
        }
    }

    /** The first non-empty name wins: later chunks repeat it, they never correct it. */
    void noteModel(String name) {
        if (model == null && name != null && !name.isEmpty()) {
            model = name;
        }
    }

    boolean knowsModel() {
        return model != null;
    }

    String text() {
        return text.toString();
    }

    Optional<String> model() {
        return Optional.ofNullable(model);
    }
}
