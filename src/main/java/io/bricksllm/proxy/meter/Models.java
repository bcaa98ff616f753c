package io.bricksllm.proxy.meter;

import io.bricksllm.proxy.Exchange;

/** Which model name prices a response. */
final class Models {
    private Models() {}

    /**
     * The requested model, unless the request names none or the provider prices by the model the response reports
     * (an Azure request names a deployment, which is no model).
     */
    static String pricingModel(Exchange x, String responseModel) {
        String requested = x.info.model();
        if (x.provider.pricesByResponseModel() || requested.isEmpty()) return responseModel.isEmpty() ? requested : responseModel;
        return requested;
    }
}
