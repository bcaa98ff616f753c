package io.bricksllm.proxy.translate;

import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * How one attempt's request is written for its target and its answer written back for the caller (DESIGN.md §4b):
 * the stages saw the caller's request (policies redacted it, limits counted it); the forwarder sends
 * {@link #encode}'s request and relays the answer through {@link #answer}'s meter. One instance per attempt: it
 * keeps what the answer needs from the request (the model, a forced JSON tool, whether usage was asked for).
 */
public interface Translation {

    /** The request as it goes upstream: path and query under the provider's base URL, body and extra headers. */
    record Upstream(String pathAndQuery, Buffer body, Map<String, String> headers, boolean callerHeaders) {
        public Upstream {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * Writes the exchange's current body for the target.
     *
     * @throws io.bricksllm.dialect.DialectException when the target cannot express the request (a 400 naming the
     *                                               field and provider; nothing is sent)
     */
    Upstream encode(Exchange x);

    /**
     * The meter that writes the upstream's answer (any status) in the caller's dialect while metering it; null when
     * the answer is already in the caller's dialect and the provider's own meter applies.
     */
    ResponseMeter answer(Exchange x, int status, io.vertx.core.MultiMap headers);

    /** The dialect the caller speaks (refusals and cut streams are written in it). */
    UsageDialect callerDialect();

    /** The upstream answer in the caller's dialect, for an answer that was read whole (a route's last failure). */
    default Buffer rewrite(Exchange x, int status, io.vertx.core.MultiMap headers, Buffer body) {
        ResponseMeter m = answer(x, status, headers);
        if (m == null) return body;
        Buffer head = m.onChunk(body);
        Buffer tail = m.onEnd();
        return tail.length() == 0 ? head : Buffer.buffer(head.length() + tail.length()).appendBuffer(head).appendBuffer(tail);
    }
}
