package io.bricksllm.proxy.stage;

import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.RouteStep;
import io.bricksllm.store.Team;
import io.vertx.core.Future;
import java.util.List;

/**
 * A team's {@code allowedModels} and {@code allowedProviders} (issue 19.1) bind every key and end user of the team
 * (the request's team: its key's, else its end user's). A route answers with its steps, so each step's
 * provider and model must be allowed. A model is allowed by its own name or as {@code provider/model}. Runs after
 * {@link UserStage}, which finds the end user.
 */
public final class TeamAccessStage implements Stage {
    @Override
    public Future<Void> enter(Exchange x) {
        Team team = AdmissionLevels.team(x);
        Refusal r = team == null ? null : check(x, team);
        return r == null ? Future.succeededFuture() : Refusal.fail(r);
    }

    private static Refusal check(Exchange x, Team t) {
        if (t.allowedModels().isEmpty() && t.allowedProviders().isEmpty()) return null;
        if (x.route != null) {
            for (RouteStep s : x.route.flatSteps()) {
                Refusal r = check(t, s.provider(), s.model());
                if (r != null) return r;
            }
            return null;
        }
        if (x.provider == null) return null; // answered by the gateway itself (GET /v1/models)
        return check(t, x.provider.name(), x.info.model());
    }

    private static Refusal check(Team t, String provider, String model) {
        if (!t.allowedProviders().isEmpty() && !t.allowedProviders().contains(provider)) {
            return new Refusal.Forbidden("provider: " + provider + " is not allowed for team: " + t.id(), "team_provider_not_allowed");
        }
        List<String> models = t.allowedModels();
        if (!models.isEmpty() && !model.isEmpty() && !models.contains(model) && !models.contains(provider + "/" + model)) {
            return new Refusal.Forbidden("model: " + model + " is not allowed for team: " + t.id(), "team_model_not_allowed");
        }
        return null;
    }
}
