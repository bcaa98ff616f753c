package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Operation;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.ProviderSetting;
import io.vertx.core.Future;
import java.util.List;

/** The key's allowedPaths (template path + method) and the settings' allowedModels (BEHAVIOUR.md §5.6). */
public final class AccessStage implements Stage {
    @Override
    public Future<Void> enter(Exchange x) {
        List<PathConfig> paths = x.key.allowedPaths();
        // allowedPaths limit what a key may reach through the gateway; reading its own limits reaches nothing
        if (paths != null && !paths.isEmpty() && x.endpoint.operation() != Operation.KEY_VIEW) {
            String template = x.endpoint.template();
            String method = x.request.method().name();
            boolean allowed = paths.stream().anyMatch(p -> p.path().equals(template) && p.method().equals(method));
            if (!allowed) return Refusal.fail(new Refusal.Forbidden("path is not allowed", "path_not_allowed"));
        }
        String model = x.info.model();
        // A route names its own models per step; the caller's model is replaced, so it is not checked.
        if (x.route == null && !model.isEmpty() && !modelAllowed(x.compatibleSettings, model)) {
            return Refusal.fail(new Refusal.Forbidden("model is not allowed", "model_not_allowed"));
        }
        return Future.succeededFuture();
    }

    static boolean modelAllowed(List<ProviderSetting> settings, String model) {
        for (ProviderSetting s : settings) {
            if (s.allowedModels().isEmpty() || s.allowedModels().contains(model)) return true;
        }
        return false;
    }
}
