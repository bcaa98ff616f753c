package io.bricksllm.proxy;

import static io.bricksllm.proxy.Endpoint.json;
import static io.vertx.core.http.HttpMethod.POST;

import java.util.ArrayList;
import java.util.List;

/** The non-OpenAI endpoints of BEHAVIOUR.md §4, one line each, served by the same pipeline. */
public final class ProviderEndpoints {
    private static final String AZURE = "/api/providers/azure/openai/deployments/:deployment_id";

    private ProviderEndpoints() {}

    public static List<Endpoint> all() {
        List<Endpoint> all = new ArrayList<>(OpenAiEndpoints.all());
        all.addAll(List.of(
                json(POST, "/api/providers/anthropic/v1/messages", "anthropic", Operation.MESSAGES),
                json(POST, "/api/providers/anthropic/v1/complete", "anthropic", Operation.COMPLETION),
                json(POST, AZURE + "/chat/completions", "azure", Operation.CHAT),
                json(POST, AZURE + "/completions", "azure", Operation.COMPLETION),
                json(POST, AZURE + "/embeddings", "azure", Operation.EMBEDDINGS),
                json(POST, "/api/providers/vllm/v1/chat/completions", "vllm", Operation.CHAT),
                json(POST, "/api/providers/vllm/v1/completions", "vllm", Operation.COMPLETION),
                json(POST, "/api/providers/deepinfra/v1/chat/completions", "deepinfra", Operation.CHAT),
                json(POST, "/api/providers/deepinfra/v1/completions", "deepinfra", Operation.COMPLETION),
                json(POST, "/api/providers/deepinfra/v1/embeddings", "deepinfra", Operation.EMBEDDINGS)));
        return List.copyOf(all);
    }
}
