package io.bricksllm.config;

/** A configuration value that prevents start-up; the message names the variable. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
