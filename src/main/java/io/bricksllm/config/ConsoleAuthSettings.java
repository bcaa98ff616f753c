package io.bricksllm.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Admin console sign-in (issue 21): OIDC single sign-on when {@code oidcIssuer} is present, and how long a console
 * session lives. Password sign-in needs nothing here: it uses ADMIN_PASS.
 *
 * @param oidcIssuer     OIDC_ISSUER_URL: discovery is read from {@code <issuer>/.well-known/openid-configuration}
 * @param clientId       OIDC_CLIENT_ID
 * @param clientSecret   OIDC_CLIENT_SECRET (may be empty for a public client: PKCE still protects the code)
 * @param rolesClaim     OIDC_ROLES_CLAIM, default {@code roles}; a dotted path reaches into objects
 *                       ({@code realm_access.roles} for Keycloak)
 * @param redirectUrl    OIDC_REDIRECT_URL: the callback's external URL; empty = derived from the request
 * @param sessionTtl     SESSION_TTL, default 12h
 */
public record ConsoleAuthSettings(Optional<URI> oidcIssuer, String clientId, String clientSecret, String rolesClaim,
                                  Optional<URI> redirectUrl, Duration sessionTtl) {

    public static final ConsoleAuthSettings NONE = new ConsoleAuthSettings(Optional.empty(), "", "", "roles",
            Optional.empty(), Duration.ofHours(12));

    public boolean oidcEnabled() {
        return oidcIssuer.isPresent();
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "ConsoleAuthSettings[oidc " + oidcIssuer.map(URI::toString).orElse("<unset>") + ", client " + clientId
                + ", secret " + (clientSecret.isEmpty() ? "<unset>" : "<set>") + ", ttl " + sessionTtl + "]";
    }
}
