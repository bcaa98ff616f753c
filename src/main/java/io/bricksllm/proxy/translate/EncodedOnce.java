package io.bricksllm.proxy.translate;

import io.bricksllm.proxy.Exchange;

/**
 * Encodes an attempt's request once: the target stage encodes it to refuse what the target cannot express before
 * anything is reserved, and the forwarder sends the same bytes unless a policy rewrote the body since.
 */
abstract class EncodedOnce implements Translation {
    private Upstream last;
    private Object lastBody;
    private Object lastInfo;

    @Override
    public final Upstream encode(Exchange x) {
        if (last != null && lastBody == x.body && lastInfo == x.info) return last;
        Upstream u = encodeNow(x);
        last = u;
        lastBody = x.body;
        lastInfo = x.info;
        return u;
    }

    abstract Upstream encodeNow(Exchange x);
}
