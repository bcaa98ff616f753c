package io.bricksllm.metering;

import java.util.Optional;

/**
 * What a non-streamed response says about itself for metering: the usage it reports and the model
 * that served it (Azure is priced by the response's model, not the deployment name).
 * Both are empty when the body does not say, or is not JSON at all (an upstream error page).
 */
public record ResponseMeta(Optional<Usage> usage, Optional<String> model) {

    public static final ResponseMeta NONE = new ResponseMeta(Optional.empty(), Optional.empty());
}
