package io.bricksllm.proxy;

/** What a proxied request carries, which decides how the gateway reads it (never how it forwards it: bytes pass as sent). */
public sealed interface BodyKind {
    /** A JSON object the gateway inspects (model, stream, user). */
    record Json() implements BodyKind {}

    /** multipart/form-data; the gateway reads only its text fields (model, user). */
    record Multipart() implements BodyKind {}

    /** No body (GET, DELETE) or one the gateway does not read. */
    record Opaque() implements BodyKind {}

    BodyKind JSON = new Json();
    BodyKind MULTIPART = new Multipart();
    BodyKind OPAQUE = new Opaque();
}
