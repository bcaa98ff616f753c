package io.bricksllm.admin.auth;

import io.bricksllm.admin.AdminError;
import io.bricksllm.admin.AdminRequest;
import io.bricksllm.admin.auth.RouteRule.Access;
import io.bricksllm.admin.auth.RouteRule.Admission;
import java.util.Set;

/** Applies a route's {@link RouteRule} to a caller: the one place where roles are checked. */
public final class Authorizer {
    /** Told to the read-only local console when it tries a change. */
    public static final String ENABLE_SIGN_IN = "the console is read-only because no sign-in is configured: set ADMIN_PASS"
            + " (password sign-in) or OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (single sign-on) and restart"
            + " the gateway";

    private Authorizer() {}

    /** The request to run (possibly narrowed to a team-admin's teams) or an answer; throws a 403 AdminError. */
    public static Admission admit(Principal who, RouteRule rule, AdminRequest request) {
        Access access = rule.access();
        if (who.method() == Principal.AuthMethod.LOCAL && access.change()) {
            throw new AdminError(403, "/errors/console-read-only", "console is read-only", ENABLE_SIGN_IN);
        }
        if (who.isAdmin()) return new Admission.Run(request);
        Set<String> teams = who.teams();
        if (access.change()) {
            if (access == Access.TEAM_CHANGE && !teams.isEmpty()) return rule.gate().admit(request, teams);
            throw refused(who, "may not make this change");
        }
        if (who.isViewer()) return new Admission.Run(request);
        if (!teams.isEmpty()) {
            if (access == Access.SHARED_READ) return new Admission.Run(request);
            if (access == Access.TEAM_READ) return rule.gate().admit(request, teams);
        }
        throw refused(who, "may not read this");
    }

    private static AdminError refused(Principal who, String what) {
        String roles = who.roles().isEmpty() ? "no role" : "roles " + String.join(", ", who.roles());
        return new AdminError(403, "/errors/forbidden", "forbidden", who.subject() + " (" + roles + ") " + what);
    }
}
