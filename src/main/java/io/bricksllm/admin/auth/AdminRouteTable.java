package io.bricksllm.admin.auth;

import static io.bricksllm.admin.auth.RouteRule.adminChange;
import static io.bricksllm.admin.auth.RouteRule.read;
import static io.bricksllm.admin.auth.RouteRule.sharedRead;
import static io.bricksllm.admin.auth.RouteRule.teamChange;
import static io.bricksllm.admin.auth.RouteRule.teamRead;

import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The role check of every admin route, in one table beside the routes' own registrations: which roles may call it,
 * how a team-admin is confined, and which resource type a change is audited under. A route missing here gets
 * {@link #defaultRule}: a GET is a {@code READ} (admin and viewer), anything else an admin-only change — closed for
 * the roles that are not admin, so a new route is never opened to a viewer or team-admin by mistake.
 *
 * <p>Team-admins: keys and end users of their teams (create, update, delete, rotate; lists narrowed to their teams);
 * events and reports of their teams; their own teams read-only; routes and policies read-only (a key refers to them);
 * provider settings, custom providers, metrics, the overview (all teams summed) and the audit log refused.
 */
public final class AdminRouteTable {
    private final Map<String, RouteRule> rules = new LinkedHashMap<>();

    public AdminRouteTable(TeamScope team) {
        // keys
        put(HttpMethod.PUT, "/api/key-management/keys", teamChange("key", team.keyCreate()));
        put(HttpMethod.GET, "/api/key-management/keys", teamRead(team.keyListQuery()));
        put(HttpMethod.POST, "/api/v2/key-management/keys", teamRead(team.keyListBody(Map.of("keys", List.of(), "count", 0))));
        put(HttpMethod.PATCH, "/api/key-management/keys/:id", teamChange("key", team.keyById()));
        put(HttpMethod.DELETE, "/api/key-management/keys/:id", teamChange("key", team.keyById()));
        put(HttpMethod.POST, "/api/key-management/keys/:id/rotate", teamChange("key", team.keyById()));
        // end users
        put(HttpMethod.POST, "/api/users", teamChange("user", team.userCreate()));
        put(HttpMethod.GET, "/api/users", teamRead(team.userList()));
        put(HttpMethod.PATCH, "/api/users", teamChange("user", team.userByUserId()));
        put(HttpMethod.PATCH, "/api/users/:id", teamChange("user", team.userById()));
        // teams: a team-admin reads its own, changes none (its limits are set by an admin)
        put(HttpMethod.POST, "/api/teams", adminChange("team"));
        put(HttpMethod.GET, "/api/teams", teamRead(team.teamList()));
        put(HttpMethod.GET, "/api/teams/:id", teamRead(team.teamPath()));
        put(HttpMethod.PATCH, "/api/teams/:id", adminChange("team"));
        put(HttpMethod.DELETE, "/api/teams/:id", adminChange("team"));
        // provider settings (secrets masked on every read) and custom providers
        put(HttpMethod.PUT, "/api/provider-settings", adminChange("provider-setting"));
        put(HttpMethod.GET, "/api/provider-settings", read());
        put(HttpMethod.PATCH, "/api/provider-settings/:id", adminChange("provider-setting"));
        // the connection test calls the provider with the stored secret: admin only, and logged as who tested what
        put(HttpMethod.POST, "/api/provider-settings/:id/test", adminChange("provider-connection-test"));
        put(HttpMethod.POST, "/api/custom/providers", adminChange("custom-provider"));
        put(HttpMethod.GET, "/api/custom/providers", read());
        put(HttpMethod.PATCH, "/api/custom/providers/:id", adminChange("custom-provider"));
        // routes and policies
        put(HttpMethod.POST, "/api/routes", adminChange("route"));
        put(HttpMethod.GET, "/api/routes", sharedRead());
        put(HttpMethod.GET, "/api/routes/:id", sharedRead());
        put(HttpMethod.PATCH, "/api/routes/:id", adminChange("route"));
        put(HttpMethod.DELETE, "/api/routes/:id", adminChange("route"));
        put(HttpMethod.POST, "/api/policies", adminChange("policy"));
        put(HttpMethod.GET, "/api/policies", sharedRead());
        put(HttpMethod.GET, "/api/policies/:id", sharedRead());
        put(HttpMethod.PATCH, "/api/policies/:id", adminChange("policy"));
        put(HttpMethod.DELETE, "/api/policies/:id", adminChange("policy"));
        // the dry run changes nothing and shows only the text it was given, redacted: a read for every role
        put(HttpMethod.POST, "/api/policies/:id/test", sharedRead());
        // events and reports: POSTs here are queries with a body, not changes
        put(HttpMethod.GET, "/api/events", teamRead(team.teamIdsQuery()));
        put(HttpMethod.POST, "/api/v2/events", teamRead(team.teamIdsBody()));
        put(HttpMethod.GET, "/api/events/export", teamRead(team.teamIdsQuery()));
        put(HttpMethod.GET, "/api/reporting/keys/:id", teamRead(team.keyReport()));
        put(HttpMethod.GET, "/api/reporting/teams/:id", teamRead(team.teamPath()));
        put(HttpMethod.POST, "/api/reporting/events", teamRead(team.teamIdsBody()));
        put(HttpMethod.POST, "/api/reporting/events-by-day", teamRead(team.teamIdsBody()));
        put(HttpMethod.POST, "/api/reporting/top-keys", teamRead(team.keyListBody(Map.of("dataPoints", List.of()))));
        // the console's key list: a team-admin's keyIds narrowed to its own keys (none of them: an empty list)
        put(HttpMethod.POST, "/api/reporting/key-usage", teamRead(team.keyListBody(List.of())));
        // the teams and users pages: live counters of each team / end user; a team-admin's ids narrowed to its own
        put(HttpMethod.POST, "/api/reporting/team-usage", teamRead(team.teamUsageBody()));
        put(HttpMethod.POST, "/api/reporting/user-usage", teamRead(team.userUsageBody()));
        // the overview sums every key and team from the daily rollups, which cannot be narrowed to a team:
        // admin and viewer only (a team-admin reads its teams' figures through events and the team reports)
        put(HttpMethod.GET, "/api/reporting/overview", read());
        put(HttpMethod.GET, "/api/reporting/user-ids", read());
        put(HttpMethod.GET, "/api/reporting/custom-ids", read());
        put(HttpMethod.POST, "/api/reporting/rollups/rebuild", adminChange("event-rollups"));
        // telemetry and the audit log
        put(HttpMethod.GET, "/api/health/ready", sharedRead());
        put(HttpMethod.GET, "/metrics", read());
        put(HttpMethod.GET, "/api/audit-log", read());
    }

    private void put(HttpMethod method, String path, RouteRule rule) {
        rules.put(key(method, path), rule);
    }

    /** Adds or replaces the rule of a route (for features that register their own routes). */
    public AdminRouteTable with(HttpMethod method, String path, RouteRule rule) {
        put(method, path, rule);
        return this;
    }

    public RouteRule rule(HttpMethod method, String path) {
        RouteRule r = rules.get(key(method, path));
        return r != null ? r : defaultRule(method, path);
    }

    /** Fail closed for the roles below admin: see the class comment. */
    public static RouteRule defaultRule(HttpMethod method, String path) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD ? read() : adminChange(resourceOf(path));
    }

    /** "/api/things/:id/..." names resource type "things" (an audit label for routes without a declared one). */
    static String resourceOf(String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].startsWith(":") && !parts[i].equals("api")) return parts[i];
        }
        return "admin";
    }

    private static String key(HttpMethod method, String path) {
        return method.name() + " " + path;
    }
}
