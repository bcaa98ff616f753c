package io.bricksllm.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.admin.AdminServer;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestOidcProvider;
import io.bricksllm.testing.TestOidcProvider.User;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Roles on the admin API (issue 21.4): viewer refused every change, team-admin confined to its teams. */
class RolesTest {
    static final String PASS = "roles-pass-0123456789";
    static final String CLIENT = "bricks-console";
    static TestOidcProvider idp;
    static TestGateway gw;
    static AdminClient admin;
    static AdminClient viewer;
    static AdminClient teamAdmin;
    static String setting;
    static String t1;
    static String t2;
    static String k1;
    static String k2;

    @BeforeAll
    static void start() {
        idp = new TestOidcProvider(CLIENT, "s");
        gw = TestGateway.start(Map.of("ADMIN_PASS", PASS, "OIDC_ISSUER_URL", idp.issuer(), "OIDC_CLIENT_ID", CLIENT,
                "OIDC_CLIENT_SECRET", "s"));
        admin = gw.admin.withHeader("X-API-KEY", PASS);
        viewer = gw.admin.withHeader("Authorization", "Bearer " + idp.token(new User("vic", "Vic", List.of("viewer"))));
        setting = admin.createSetting("openai", Map.of("apikey", "sk-upstream-0123456789"));
        t1 = admin.post("/api/teams", "{\"name\":\"one\"}").json().path("id").asText();
        t2 = admin.post("/api/teams", "{\"name\":\"two\"}").json().path("id").asText();
        teamAdmin = gw.admin.withHeader("Authorization", "Bearer "
                + idp.token(new User("tam", "Tam", List.of("team-admin:" + t1))));
        k1 = createKey(admin, t1).path("keyId").asText();
        k2 = createKey(admin, t2).path("keyId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
        idp.close();
    }

    static JsonNode createKey(AdminClient as, String team) {
        var r = as.put("/api/key-management/keys", keyBody(team));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static String keyBody(String team) {
        return "{\"name\":\"k\",\"key\":\"sk-%s\",\"settingId\":\"%s\"%s}".formatted(UUID.randomUUID(), setting,
                team == null ? "" : ",\"teamId\":\"" + team + "\"");
    }

    @Test
    void viewerIsRefusedEveryChangeRouteOfTheTable() {
        AdminRouteTable table = new AdminRouteTable(new TeamScope(null, null, null));
        List<String> changes = new ArrayList<>();
        for (AdminServer.RouteId route : gw.gateway().adminRoutes()) {
            if (!table.rule(route.method(), route.path()).access().change()) continue;
            String path = route.path().replace(":id", k2);
            var r = viewer.send(route.method().name(), path, "{\"name\":\"x\",\"teamId\":\"" + t1 + "\"}");
            assertThat(r.status()).as(route.toString()).isEqualTo(403);
            assertThat(r.json().path("type").asText()).as(route.toString()).isEqualTo("/errors/forbidden");
            changes.add(route.method() + " " + route.path());
        }
        // the walk covered the changes of every resource (so it is not vacuous)
        assertThat(changes).contains("PUT /api/key-management/keys", "DELETE /api/key-management/keys/:id",
                "POST /api/key-management/keys/:id/rotate", "PATCH /api/users/:id", "POST /api/teams",
                "PUT /api/provider-settings", "POST /api/routes", "PATCH /api/policies/:id",
                "POST /api/reporting/rollups/rebuild", "POST /api/provider-settings/:id/test");
        // the console's query POSTs are reads, not changes a viewer is refused
        assertThat(changes).doesNotContain("POST /api/policies/:id/test", "POST /api/reporting/key-usage",
                "POST /api/reporting/team-usage", "POST /api/reporting/user-usage",
                "POST /api/v2/key-management/keys", "POST /api/v2/events");
        // nothing was changed: the key is as it was
        assertThat(admin.get("/api/key-management/keys?keyIds=" + k2).json().get(0).path("name").asText()).isEqualTo("k");
    }

    @Test
    void viewerReadsEverythingButKeySecrets() {
        assertThat(viewer.get("/api/provider-settings").status()).isEqualTo(200);
        assertThat(viewer.get("/api/provider-settings").body()).doesNotContain("sk-upstream-0123456789");
        assertThat(viewer.get("/api/teams").json()).hasSize(2);
        assertThat(viewer.get("/api/audit-log").status()).isEqualTo(200);
        // query POSTs are reads
        assertThat(viewer.post("/api/v2/key-management/keys", "{}").status()).isEqualTo(200);
        String hash = admin.get("/api/key-management/keys?keyIds=" + k1).json().get(0).path("key").asText();
        assertThat(viewer.get("/api/key-management/keys?keyIds=" + k1).body()).contains(k1).doesNotContain(hash);
    }

    @Test
    void teamAdminManagesTheKeysOfItsTeamOnly() {
        assertThat(teamAdmin.patch("/api/key-management/keys/" + k1, "{\"name\":\"mine\"}").status()).isEqualTo(200);
        assertThat(teamAdmin.patch("/api/key-management/keys/" + k2, "{\"name\":\"theirs\"}").status()).isEqualTo(403);
        assertThat(teamAdmin.delete("/api/key-management/keys/" + k2).status()).isEqualTo(403);
        assertThat(teamAdmin.post("/api/key-management/keys/" + k2 + "/rotate", "{}").status()).isEqualTo(403);
        // moving its key to another team, or creating one outside its teams, is refused
        assertThat(teamAdmin.patch("/api/key-management/keys/" + k1, "{\"teamId\":\"" + t2 + "\"}").status()).isEqualTo(403);
        assertThat(teamAdmin.put("/api/key-management/keys", keyBody(t2)).status()).isEqualTo(403);
        assertThat(teamAdmin.put("/api/key-management/keys", keyBody(null)).status()).isEqualTo(403);
        String created = createKey(teamAdmin, t1).path("keyId").asText();
        assertThat(teamAdmin.post("/api/key-management/keys/" + created + "/rotate", "{}").status()).isEqualTo(200);
        assertThat(teamAdmin.delete("/api/key-management/keys/" + created).status()).isEqualTo(200);
        assertThat(admin.get("/api/key-management/keys?keyIds=" + k2).json().get(0).path("name").asText()).isEqualTo("k");
        // its changes are in the audit log under its own name; the refused ones are not
        var mine = admin.get("/api/audit-log?subject=tam&resourceId=" + created).json();
        assertThat(mine).extracting(r -> r.path("method").asText()).containsExactly("DELETE", "POST", "PUT");
        assertThat(mine).allSatisfy(r -> assertThat(r.path("authMethod").asText()).isEqualTo("bearer"));
        assertThat(admin.get("/api/audit-log?resourceId=" + k2).json()).extracting(r -> r.path("subject").asText())
                .doesNotContain("tam");
    }

    @Test
    void teamAdminListingsHoldItsTeamsOnly() {
        var v1 = teamAdmin.get("/api/key-management/keys?keyIds=" + k1 + "," + k2).json();
        assertThat(v1).hasSize(1);
        assertThat(v1.get(0).path("keyId").asText()).isEqualTo(k1);
        var v2 = teamAdmin.post("/api/v2/key-management/keys", "{\"returnCount\":true}").json();
        assertThat(v2.path("keys")).allSatisfy(k -> assertThat(k.path("teamId").asText()).isEqualTo(t1));
        assertThat(v2.path("keys").toString()).doesNotContain(k2);
        assertThat(teamAdmin.get("/api/teams").json()).hasSize(1);
        assertThat(teamAdmin.get("/api/teams/" + t1).status()).isEqualTo(200);
        assertThat(teamAdmin.get("/api/teams/" + t2).status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/events?teamIds=" + t2 + "&start=0&end=2000000000").status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/events?teamIds=" + t1 + "&start=0&end=2000000000").status()).isEqualTo(200);
        assertThat(teamAdmin.get("/api/reporting/keys/" + k2).status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/reporting/keys/" + k1).status()).isEqualTo(200);
        // query bodies: a foreign team is refused, none named means its own teams
        String range = "\"start\":1,\"end\":2000000000";
        assertThat(teamAdmin.post("/api/v2/events", "{" + range + ",\"teamIds\":[\"" + t2 + "\"]}").status()).isEqualTo(403);
        assertThat(teamAdmin.post("/api/v2/events", "{" + range + "}").status()).isEqualTo(200);
        assertThat(teamAdmin.post("/api/reporting/events", "{" + range + ",\"increment\":86400,\"teamIds\":[\"" + t2 + "\"]}")
                .status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/events/export?start=0&end=2000000000&teamIds=" + t2).status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/events/export?start=0&end=2000000000").status()).isEqualTo(200);
        var top = teamAdmin.post("/api/reporting/top-keys", "{" + range + ",\"keyIds\":[\"" + k2 + "\"]}");
        assertThat(top.status()).isEqualTo(200);
        assertThat(top.json().path("dataPoints")).isEmpty();
    }

    @Test
    void teamAdminManagesUsersOfItsTeamOnly() {
        String tag = "tag-" + UUID.randomUUID();
        var mine = teamAdmin.post("/api/users", "{\"name\":\"u1\",\"tags\":[\"" + tag + "\"],\"teamId\":\"" + t1 + "\"}");
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(teamAdmin.post("/api/users", "{\"name\":\"u2\",\"teamId\":\"" + t2 + "\"}").status()).isEqualTo(403);
        String theirs = admin.post("/api/users", "{\"name\":\"u3\",\"tags\":[\"" + tag + "\"],\"teamId\":\"" + t2 + "\"}")
                .json().path("id").asText();
        assertThat(teamAdmin.patch("/api/users/" + theirs, "{\"name\":\"x\"}").status()).isEqualTo(403);
        assertThat(teamAdmin.patch("/api/users/" + mine.json().path("id").asText(), "{\"name\":\"x\"}").status()).isEqualTo(200);
        var listed = teamAdmin.get("/api/users?tags=" + tag).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("teamId").asText()).isEqualTo(t1);
        assertThat(admin.get("/api/users?tags=" + tag).json()).hasSize(2);
    }

    @Test
    void teamAdminReadsRoutesAndPoliciesButNotGlobalSettings() {
        assertThat(teamAdmin.get("/api/routes").status()).isEqualTo(200);
        assertThat(teamAdmin.get("/api/policies").status()).isEqualTo(200);
        assertThat(teamAdmin.get("/api/provider-settings").status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/custom/providers").status()).isEqualTo(403);
        assertThat(teamAdmin.get("/api/audit-log").status()).isEqualTo(403);
        assertThat(teamAdmin.get("/metrics").status()).isEqualTo(403);
        assertThat(teamAdmin.patch("/api/teams/" + t1, "{\"name\":\"renamed\"}").status()).isEqualTo(403);
        assertThat(teamAdmin.post("/api/routes", "{}").status()).isEqualTo(403);
    }

    /** The console's own endpoints (issue 21): dry runs and usage are reads, the connection test admin-only. */
    @Test
    void consoleEndpointsFollowTheirRoles() {
        String policy = admin.post("/api/policies", "{\"name\":\"p\",\"regexConfig\":{\"rules\":[{\"definition\":"
                + "\"secret-[0-9]+\",\"action\":\"allow_but_redact\"}]}}").json().path("id").asText();
        String tryText = "{\"text\":\"a secret-42 here\"}";
        for (AdminClient reader : List.of(viewer, teamAdmin)) {
            var dry = reader.post("/api/policies/" + policy + "/test", tryText);
            assertThat(dry.status()).as(dry.body()).isEqualTo(200);
            assertThat(dry.body()).doesNotContain("secret-42");
        }
        String usage = "{\"keyIds\":[\"" + k1 + "\",\"" + k2 + "\"]}";
        assertThat(viewer.post("/api/reporting/key-usage", usage).json()).extracting(u -> u.path("keyId").asText())
                .containsExactly(k1, k2);
        // a team-admin gets its own keys' usage only
        assertThat(teamAdmin.post("/api/reporting/key-usage", usage).json()).extracting(u -> u.path("keyId").asText())
                .containsExactly(k1);
        assertThat(teamAdmin.post("/api/reporting/key-usage", "{\"keyIds\":[\"" + k2 + "\"]}").json()).isEmpty();
        // team and user usage: a team-admin's own teams and users only, others left out
        String teams = "{\"teamIds\":[\"" + t1 + "\",\"" + t2 + "\"]}";
        assertThat(viewer.post("/api/reporting/team-usage", teams).json()).extracting(u -> u.path("teamId").asText())
                .containsExactly(t1, t2);
        assertThat(teamAdmin.post("/api/reporting/team-usage", teams).json()).extracting(u -> u.path("teamId").asText())
                .containsExactly(t1);
        assertThat(teamAdmin.post("/api/reporting/team-usage", "{\"teamIds\":[\"" + t2 + "\"]}").json()).isEmpty();
        String u1 = admin.post("/api/users", "{\"userId\":\"usage-u1\",\"name\":\"u1\",\"teamId\":\"" + t1 + "\"}").json().path("id").asText();
        String u2 = admin.post("/api/users", "{\"userId\":\"usage-u2\",\"name\":\"u2\",\"teamId\":\"" + t2 + "\"}").json().path("id").asText();
        String users = "{\"userIds\":[\"" + u1 + "\",\"usage-u2\"]}";
        assertThat(viewer.post("/api/reporting/user-usage", users).json()).extracting(u -> u.path("id").asText())
                .containsExactlyInAnyOrder(u1, u2);
        assertThat(teamAdmin.post("/api/reporting/user-usage", users).json()).extracting(u -> u.path("id").asText())
                .containsExactly(u1);
        assertThat(teamAdmin.post("/api/reporting/user-usage", "{\"userIds\":[\"usage-u2\"]}").json()).isEmpty();
        // the overview sums every team: admin and viewer only
        assertThat(viewer.get("/api/reporting/overview?days=7").status()).isEqualTo(200);
        assertThat(teamAdmin.get("/api/reporting/overview?days=7").status()).isEqualTo(403);
        // the connection test uses the stored secret: admin only (the upstream is unreachable here: not a 403)
        assertThat(viewer.post("/api/provider-settings/" + setting + "/test", "{}").status()).isEqualTo(403);
        assertThat(teamAdmin.post("/api/provider-settings/" + setting + "/test", "{}").status()).isEqualTo(403);
        assertThat(admin.post("/api/provider-settings/" + setting + "/test", "{}").status()).isNotEqualTo(403);
        // end users of every team for the console's list: narrowed for a team-admin
        assertThat(viewer.get("/api/users?all=true").status()).isEqualTo(200);
        assertThat(teamAdmin.get("/api/users?all=true").json()).allSatisfy(u -> assertThat(u.path("teamId").asText()).isEqualTo(t1));
    }

    @Test
    void anUnknownRouteDefaultsToAdminOnlyChanges() {
        RouteRule post = new AdminRouteTable(new TeamScope(null, null, null)).rule(HttpMethod.POST, "/api/some-new-thing/:id");
        assertThat(post.access()).isEqualTo(RouteRule.Access.ADMIN_CHANGE);
        assertThat(post.resourceType()).isEqualTo("some-new-thing");
    }
}
