package io.bricksllm.proxy.stage;

import io.bricksllm.config.GoDuration;
import io.bricksllm.proxy.Exchange;
import io.bricksllm.proxy.Refusal;
import io.bricksllm.proxy.Stage;
import io.bricksllm.store.EndUser;
import io.bricksllm.store.PathConfig;
import io.bricksllm.store.RouteStep;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * End-user checks (BEHAVIOUR.md §5.7, §6.3): when the request carries a user id that resolves to exactly one user in the
 * key's tag scope, that user's revocation, TTL, allowed models (a route's step models) and paths apply, and the user
 * is set on the exchange for {@link LimitStage}, which takes the user's limits together with the team's and the key's.
 * A user id that matches no user, or several, is not checked.
 */
public final class UserStage implements Stage {
    @Override
    public Future<Void> enter(Exchange x) {
        EndUser user = x.config.userFor(x.info.userId(), x.key).orElse(null);
        if (user == null) return Future.succeededFuture();
        x.user = user;
        String uid = user.userId();
        if (user.revoked()) return Refusal.fail(new Refusal.Unauthorized("user is revoked: " + uid));
        if (expired(user, x.receivedAt)) return Refusal.fail(new Refusal.Unauthorized("user is revoked: " + uid + " (ttl expired)"));
        if (!user.allowedModels().isEmpty()) {
            // a route answers with its steps' models, whatever the body names: each of them must be allowed
            List<String> models = x.route != null ? x.route.flatSteps().stream().map(RouteStep::model).toList() : List.of(x.info.model());
            for (String model : models) {
                if (!user.allowedModels().contains(model)) {
                    return Refusal.fail(new Refusal.Forbidden("model: " + model + " forbidden for user: " + uid,
                            "user_requested_model_not_allowed"));
                }
            }
        }
        List<PathConfig> paths = user.allowedPaths();
        if (paths != null && !paths.isEmpty()) {
            String template = x.endpoint.template();
            String method = x.request.method().name();
            if (paths.stream().noneMatch(p -> p.path().equals(template) && p.method().equals(method))) {
                return Refusal.fail(new Refusal.Forbidden("path: " + template + " forbidden for user: " + uid, "user_requested_path_not_allowed"));
            }
        }
        return Future.succeededFuture();
    }

    static boolean expired(EndUser user, Instant now) {
        if (user.ttl().isEmpty()) return false;
        try {
            Duration ttl = GoDuration.parse(user.ttl());
            return !ttl.isZero() && !now.isBefore(Instant.ofEpochSecond(user.createdAt()).plus(ttl));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
