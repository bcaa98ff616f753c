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
 * What every translation of an OpenAI-shaped request into another dialect shares: the target, the caller's JSON body,
 * and upstream errors decoded by the target's dialect and written in OpenAI's shape with the upstream's status.
 */
abstract class FromOpenAi extends EncodedOnce {
    final Codecs codecs;
    final AnswerMetering metering;
    final Provider provider;
    final String model;

    FromOpenAi(Codecs codecs, AnswerMetering metering, Provider provider, String model) {
        this.codecs = codecs;
        this.metering = metering;
        this.provider = provider;
        this.model = model;
    }

    /** The caller's body as a JSON object (the unified endpoints read JSON: anything else was refused earlier). */
    static JsonNode callerBody(Exchange x) {
        return RequestBody.object(x.info.json());
    }

    /** The target dialect's error in the canonical form. */
    abstract ChatError error(int status, MultiMap headers, byte[] body);

    /** The meter of a non-2xx answer: the target's error in OpenAI's shape. */
    final ResponseMeter errorAnswer(int status, MultiMap headers) {
        return new ErrorAnswer(status, provider.name(), b -> error(status, headers, b), codecs.openAiErrors()::encode);
    }

    @Override
    public final UsageDialect callerDialect() {
        return UsageDialect.OPENAI;
    }
}
