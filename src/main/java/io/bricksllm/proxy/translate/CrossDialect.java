package io.bricksllm.proxy.translate;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.dialect.ChatError;
import io.bricksllm.dialect.RequestBody;
import io.bricksllm.provider.Provider;
import io.bricksllm.provider.UsageDialect;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.forward.ResponseMeter;
import io.vertx.core.MultiMap;

/**
 * What every translation of a caller's request into another dialect shares: the caller's API ({@link Ingress}), the
 * target, the caller's JSON body, and upstream errors decoded by the target's dialect and written in the caller's
 * shape with the upstream's status.
 */
abstract class CrossDialect extends EncodedOnce {
    final Codecs codecs;
    final AnswerMetering metering;
    final Ingress ingress;
    final Provider provider;
    final String model;

    CrossDialect(Codecs codecs, AnswerMetering metering, Ingress ingress, Provider provider, String model) {
        this.codecs = codecs;
        this.metering = metering;
        this.ingress = ingress;
        this.provider = provider;
        this.model = model;
    }

    /** The caller's body as a JSON object (the unified endpoints read JSON: anything else was refused earlier). */
    static JsonNode callerBody(Exchange x) {
        return RequestBody.object(x.info.json());
    }

    /** The target dialect's error in the canonical form. */
    abstract ChatError error(int status, MultiMap headers, byte[] body);

    /** The meter of a non-2xx answer: the target's error in the caller's shape. */
    final ResponseMeter errorAnswer(int status, MultiMap headers) {
        return new ErrorAnswer(status, provider.name(), b -> error(status, headers, b), ingress::error);
    }

    @Override
    public final UsageDialect callerDialect() {
        return ingress.dialect();
    }
}
