package io.bricksllm.proxy.meter;

import io.bricksllm.proxy.Exchange;

/** Which model name prices a response. */
final class Models {
    private Models() {}

    /** Azure requests rarely name the model (the deployment does): price by the model the response reports. */
    static String pricingModel(Exchange x, String responseModel) {
        String requested = x.info.model();
        if (x.provider.name().equals("azure") || requested.isEmpty()) return responseModel.isEmpty() ? requested : responseModel;
        return requested;
    }
}
