package io.bricksllm.admin.auth;

import io.bricksllm.admin.audit.AuditRecorder;

/**
 * What the admin listener enforces: who is calling ({@link AdminAuthenticator}), what each route lets them do
 * ({@link AdminRouteTable}), the audit log of changes ({@code audit}, null = none) and the console's sign-in endpoints
 * ({@code console}, null = none).
 */
public record AdminSecurity(AdminAuthenticator authenticator, AdminRouteTable routes, AuditRecorder audit,
                            ConsoleAuthRoutes console) {

    /** X-API-KEY = ADMIN_PASS only (open when empty), no console, no audit: the admin API as before issue 21. */
    public static AdminSecurity apiKeyOnly(String adminPass) {
        return new AdminSecurity(new AdminAuthenticator(adminPass, null, null),
                new AdminRouteTable(new TeamScope(null, null, null)), null, null);
    }
}
