package io.bricksllm.proxy;

import static io.bricksllm.proxy.Endpoint.json;
import static io.bricksllm.proxy.Endpoint.multipart;
import static io.bricksllm.proxy.Endpoint.opaque;
import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import java.util.List;

/** Every OpenAI endpoint of BEHAVIOUR.md §4, one line each. Adding an endpoint is adding a line. */
public final class OpenAiEndpoints {
    private static final String P = "/api/providers/openai/v1";
    private static final String OPENAI = "openai";

    private OpenAiEndpoints() {}

    public static List<Endpoint> all() {
        List<Endpoint> all = new java.util.ArrayList<>(responses(P, OPENAI));
        all.addAll(List.of(
                json(POST, P + "/chat/completions", OPENAI, Operation.CHAT),
                json(POST, P + "/completions", OPENAI, Operation.COMPLETION),
                json(POST, P + "/embeddings", OPENAI, Operation.EMBEDDINGS),
                json(POST, P + "/moderations", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/models", OPENAI),
                opaque(GET, P + "/models/:model", OPENAI),
                opaque(DELETE, P + "/models/:model", OPENAI),
                // files and batches
                multipart(P + "/files", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/files", OPENAI),
                opaque(GET, P + "/files/:file_id", OPENAI),
                opaque(DELETE, P + "/files/:file_id", OPENAI),
                opaque(GET, P + "/files/:file_id/content", OPENAI),
                json(POST, P + "/batches", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/batches", OPENAI),
                opaque(GET, P + "/batches/:batch_id", OPENAI),
                opaque(POST, P + "/batches/:batch_id/cancel", OPENAI),
                // images and audio
                json(POST, P + "/images/generations", OPENAI, Operation.PASS_THROUGH),
                multipart(P + "/images/edits", OPENAI, Operation.PASS_THROUGH),
                multipart(P + "/images/variations", OPENAI, Operation.PASS_THROUGH),
                json(POST, P + "/audio/speech", OPENAI, Operation.SPEECH),
                multipart(P + "/audio/transcriptions", OPENAI, Operation.TRANSCRIPTION),
                multipart(P + "/audio/translations", OPENAI, Operation.TRANSLATION),
                multipart(P + "/audios/translations", OPENAI, Operation.TRANSLATION),
                // assistants
                json(POST, P + "/assistants", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/assistants", OPENAI),
                opaque(GET, P + "/assistants/:assistant_id", OPENAI),
                json(POST, P + "/assistants/:assistant_id", OPENAI, Operation.PASS_THROUGH),
                opaque(DELETE, P + "/assistants/:assistant_id", OPENAI),
                json(POST, P + "/assistants/:assistant_id/files", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/assistants/:assistant_id/files", OPENAI),
                opaque(GET, P + "/assistants/:assistant_id/files/:file_id", OPENAI),
                opaque(DELETE, P + "/assistants/:assistant_id/files/:file_id", OPENAI),
                // threads, messages, runs, steps
                json(POST, P + "/threads", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/threads/:thread_id", OPENAI),
                json(POST, P + "/threads/:thread_id", OPENAI, Operation.PASS_THROUGH),
                opaque(DELETE, P + "/threads/:thread_id", OPENAI),
                json(POST, P + "/threads/:thread_id/messages", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/threads/:thread_id/messages", OPENAI),
                opaque(GET, P + "/threads/:thread_id/messages/:message_id", OPENAI),
                json(POST, P + "/threads/:thread_id/messages/:message_id", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/threads/:thread_id/messages/:message_id/files", OPENAI),
                opaque(GET, P + "/threads/:thread_id/messages/:message_id/files/:file_id", OPENAI),
                json(POST, P + "/threads/runs", OPENAI, Operation.PASS_THROUGH),
                json(POST, P + "/threads/:thread_id/runs", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/threads/:thread_id/runs", OPENAI),
                opaque(GET, P + "/threads/:thread_id/runs/:run_id", OPENAI),
                json(POST, P + "/threads/:thread_id/runs/:run_id", OPENAI, Operation.PASS_THROUGH),
                json(POST, P + "/threads/:thread_id/runs/:run_id/submit_tool_outputs", OPENAI, Operation.PASS_THROUGH),
                opaque(POST, P + "/threads/:thread_id/runs/:run_id/cancel", OPENAI),
                opaque(GET, P + "/threads/:thread_id/runs/:run_id/steps", OPENAI),
                opaque(GET, P + "/threads/:thread_id/runs/:run_id/steps/:step_id", OPENAI),
                // vector stores (the original dropped their query string; we keep it for pagination)
                json(POST, P + "/vector_stores", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/vector_stores", OPENAI),
                opaque(GET, P + "/vector_stores/:vector_store_id", OPENAI),
                json(POST, P + "/vector_stores/:vector_store_id", OPENAI, Operation.PASS_THROUGH),
                opaque(DELETE, P + "/vector_stores/:vector_store_id", OPENAI),
                json(POST, P + "/vector_stores/:vector_store_id/files", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/vector_stores/:vector_store_id/files", OPENAI),
                opaque(GET, P + "/vector_stores/:vector_store_id/files/:file_id", OPENAI),
                opaque(DELETE, P + "/vector_stores/:vector_store_id/files/:file_id", OPENAI),
                json(POST, P + "/vector_stores/:vector_store_id/file_batches", OPENAI, Operation.PASS_THROUGH),
                opaque(GET, P + "/vector_stores/:vector_store_id/file_batches/:batch_id", OPENAI),
                opaque(POST, P + "/vector_stores/:vector_store_id/file_batches/:batch_id/cancel", OPENAI),
                opaque(GET, P + "/vector_stores/:vector_store_id/file_batches/:batch_id/files", OPENAI)));
        return List.copyOf(all);
    }

    /**
     * The Responses API under {@code prefix} (OpenAI's {@code /v1}, Azure's {@code /openai} and {@code /openai/v1}):
     * creating a response is metered and priced; retrieving, deleting, cancelling, listing its input items and
     * counting input tokens pass through, recorded.
     */
    public static List<Endpoint> responses(String prefix, String provider) {
        String r = prefix + "/responses";
        return List.of(
                json(POST, r, provider, Operation.RESPONSES),
                json(POST, r + "/input_tokens", provider, Operation.PASS_THROUGH),
                opaque(GET, r + "/:response_id", provider),
                opaque(DELETE, r + "/:response_id", provider),
                opaque(POST, r + "/:response_id/cancel", provider),
                opaque(GET, r + "/:response_id/input_items", provider));
    }
}
