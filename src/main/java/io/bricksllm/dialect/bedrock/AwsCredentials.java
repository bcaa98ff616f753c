package io.bricksllm.dialect.bedrock;

import java.util.Objects;
import java.util.Optional;

/** Static AWS credentials from a provider setting. {@link #toString()} never shows the secrets. */
public record AwsCredentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {

    public AwsCredentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
    }

    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***"
                + (sessionToken.isPresent() ? ", sessionToken=***]" : "]");
    }
}
