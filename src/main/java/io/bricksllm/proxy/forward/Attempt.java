package io.bricksllm.proxy.forward;

import io.bricksllm.proxy.Outcome;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** How one upstream call ended: relayed to the caller, or answered but kept back (for a retry decision). */
public sealed interface Attempt {
    record Relayed(Outcome outcome) implements Attempt {}

    record Answered(int status, MultiMap headers, Buffer body) implements Attempt {}
}
