package io.bricksllm.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The event webhook (EVENT_WEBHOOK_* variables): where every event is POSTed as batched NDJSON, the optional HMAC
 * secret, how large and how late a batch may be, the durable spool (directory and size limit) and the time one
 * attempt may take. Present only when {@code EVENT_WEBHOOK_URL} is set.
 */
public record EventWebhookSettings(URI url, Optional<String> secret, int batchSize, Duration maxDelay, Path spoolDir,
                                   Duration timeout, long spoolMaxBytes) {

    /** Never the secret (a record's own toString would print it); the URL may carry a token too, so only its host. */
    @Override
    public String toString() {
        return "EventWebhookSettings[" + url.getScheme() + "://" + url.getHost() + ", signed " + secret.isPresent()
                + ", batch " + batchSize + ", max delay " + maxDelay + ", spool " + spoolDir + " (max " + spoolMaxBytes
                + " bytes), timeout " + timeout + "]";
    }
}
