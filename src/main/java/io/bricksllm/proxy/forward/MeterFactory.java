package io.bricksllm.proxy.forward;

import io.bricksllm.proxy.Exchange;

/** Chooses the meter for a response, knowing the exchange and the upstream status and content type. */
@FunctionalInterface
public interface MeterFactory {
    ResponseMeter meterFor(Exchange x, int upstreamStatus, String contentType);
}
