package io.bricksllm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console sign-in variables (issue 21): defaults, OIDC all-or-nothing, the secret never printed. */
class ConsoleAuthConfigTest {
    @Test
    void defaultsAreNoOidcAndTwelveHourSessions() {
        ConsoleAuthSettings c = ConfigLoader.load(Map.of()).consoleAuth();
        assertThat(c.oidcEnabled()).isFalse();
        assertThat(c.rolesClaim()).isEqualTo("roles");
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void oidcIsReadWithItsClaimRedirectAndTtl() {
        ConsoleAuthSettings c = ConfigLoader.load(Map.of("OIDC_ISSUER_URL", "https://sso.example.com/realms/acme",
                "OIDC_CLIENT_ID", "console", "OIDC_CLIENT_SECRET", "hunter2-oidc", "OIDC_ROLES_CLAIM", "realm_access.roles",
                "OIDC_REDIRECT_URL", "https://gw.example.com/ui/oidc/callback", "SESSION_TTL", "30m")).consoleAuth();
        assertThat(c.oidcEnabled()).isTrue();
        assertThat(c.clientId()).isEqualTo("console");
        assertThat(c.rolesClaim()).isEqualTo("realm_access.roles");
        assertThat(c.redirectUrl()).hasValueSatisfying(u -> assertThat(u.getPath()).isEqualTo("/ui/oidc/callback"));
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.toString()).doesNotContain("hunter2-oidc");
    }

    @Test
    void halfAnOidcConfigurationStopsStartUp() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("OIDC_ISSUER_URL", "https://sso.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OIDC_CLIENT_ID");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("OIDC_CLIENT_ID", "console")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OIDC_ISSUER_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("OIDC_ISSUER_URL", "sso.example.com", "OIDC_CLIENT_ID", "c")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("OIDC_ISSUER_URL");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("SESSION_TTL", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SESSION_TTL");
    }
}
