package io.bricksllm.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Spend alerts (ALERT_* variables): where the webhook goes, the optional HMAC secret and the thresholds, whole
 * percents of a budget in ascending order. Present only when {@code ALERT_WEBHOOK_URL} is set.
 */
public record AlertSettings(URI webhookUrl, Optional<String> secret, List<Integer> thresholds) {
    public AlertSettings {
        thresholds = List.copyOf(thresholds);
    }

    /** Never the secret (a record's own toString would print it); the URL may carry a token too, so only its host. */
    @Override
    public String toString() {
        return "AlertSettings[webhook " + webhookUrl.getScheme() + "://" + webhookUrl.getHost() + ", signed "
                + secret.isPresent() + ", thresholds " + thresholds + "]";
    }
}
