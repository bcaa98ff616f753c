package io.bricksllm.events;

import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminReply;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.AdminResource;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.limits.Window;
import io.bricksllm.store.ApiKey;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code POST /api/reporting/key-usage {"keyIds":[…]}} (issue 21): for each key, what it has used against its limits,
 * for the console's key list in one call: its total spend (against {@code costLimitInUsd}), its spend in the current
 * window of {@code costLimitInUsdUnit} and its requests in the current window of {@code rateLimitUnit}. Counted from
 * the recorded events (rollups where the window starts on an hour, else the events), so it trails the live counters
 * by the event writer's delay.
 */
public final class KeyUsageAdmin implements AdminResource {
    static final int MAX_KEYS = 200;

    record UsageRequest(List<String> keyIds) {}

    public record WindowUsage(String unit, long windowStart, long requests, double costInUsd) {}

    public record KeyUsage(String keyId, double totalCostInUsd, WindowUsage costWindow, WindowUsage rateWindow) {}

    private final EventRepository events;
    private final Function<String, Optional<ApiKey>> keys;
    private final Clock clock;

    public KeyUsageAdmin(EventRepository events, Function<String, Optional<ApiKey>> keys, Clock clock) {
        this.events = events;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public void register(AdminServer.Routes routes) {
        routes.add(HttpMethod.POST, "/api/reporting/key-usage", this::usage);
    }

    AdminReply usage(AdminRequest req) {
        UsageRequest r = req.bind(req.json(), UsageRequest.class);
        List<String> ids = r.keyIds() == null ? List.of() : r.keyIds();
        if (ids.size() > MAX_KEYS) throw AdminError.validation("at most " + MAX_KEYS + " keyIds per request, not " + ids.size());
        Instant now = clock.instant();
        List<KeyUsage> out = new ArrayList<>();
        for (String id : ids) {
            if (id == null) continue;
            Optional<ApiKey> key = keys.apply(id);
            if (key.isEmpty()) continue; // unknown ids are left out, as a list filter would
            ApiKey k = key.get();
            out.add(new KeyUsage(id, EventRollups.usd(events.rollups().keyCostPico(id)),
                    window(id, k.costLimitInUsdUnit(), now), window(id, k.rateLimitUnit(), now)));
        }
        return AdminReply.ok(out);
    }

    private WindowUsage window(String keyId, String unit, Instant now) {
        Optional<Window> w = Window.ofUnit(unit == null ? "" : unit);
        if (w.isEmpty()) return null;
        long start = w.get().start(now) / 1000;
        long end = now.getEpochSecond() + 1;
        long width = (end - start + EventRollups.HOUR) / EventRollups.HOUR * EventRollups.HOUR; // one slot, on whole hours
        List<EventSlice> slices = EventRollups.answers(start, width, List.of())
                ? events.rollups().aggregate(new EventRollups.Scope(start, end, List.of(keyId), null, null), start, width, List.of())
                : events.aggregate(EventFilter.between(start, end).withKeyIds(List.of(keyId)), start, width, List.of());
        long requests = 0;
        double cost = 0;
        for (EventSlice s : slices) {
            requests += s.requests();
            cost += s.costInUsd();
        }
        return new WindowUsage(unit, start, requests, cost);
    }
}
