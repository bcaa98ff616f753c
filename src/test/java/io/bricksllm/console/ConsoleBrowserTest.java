package io.bricksllm.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bricksllm.testing.AdminClient;
import io.bricksllm.testing.Fixtures;
import io.bricksllm.testing.MockUpstream;
import io.bricksllm.testing.Poll;
import io.bricksllm.testing.ProxyClient;
import io.bricksllm.testing.TestGateway;
import io.bricksllm.testing.TestOidcProvider;
import io.bricksllm.testing.TestOidcProvider.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real headless Chromium against a whole gateway with ADMIN_PASS and OIDC (a real provider
 * started by the test), and a mock upstream (issue 21): password sign-in through the form; a key created in the
 * console, its spend on the overview and keys pages after proxied requests, the events explorer and the live view
 * showing them, the key revoked from the console, a hostile key name shown as text, the provider connection test and
 * the policy dry run, a team's and an end user's usage against their limits after proxied requests and the user's
 * limits edited in the page; then OIDC sign-in through the provider's redirects as a viewer (no change buttons, a
 * change refused with 403), as a team-admin (its team's keys and its own team only) and as an admin whose key changes
 * appear on the audit page under its subject; sign out. Screenshots go to target/screenshots, or where -Dconsole.screenshots says
 * (docs/screenshots to regenerate the README's). One browser and one gateway for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final String UPSTREAM_SECRET = "sk-upstream-never-shown-42";
    static final String CHAT = "/api/providers/openai/v1/chat/completions";
    static final String BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    static final String PASS = "console-browser-pass-0123456789";
    static final String CLIENT = "bricks-console";
    static final String CLIENT_SECRET = "oidc-client-secret-console-test";

    TestOidcProvider idp;

    MockUpstream upstream;
    TestGateway gw;
    AdminClient admin;
    ProxyClient proxy;
    HeadlessChromium chromium;
    ChromeDriver driver;
    WebDriverWait wait;
    String setting;
    long t0;

    @BeforeAll
    void start() {
        t0 = System.nanoTime();
        upstream = new MockUpstream();
        upstream.on("POST", "/v1/chat/completions", MockUpstream.Reply.json(200, Fixtures.chatCompletion("gpt-4o", "hi", 1000, 500)));
        upstream.on("GET", "/v1/models", MockUpstream.Reply.json(200, "{\"object\":\"list\",\"data\":[]}"));
        idp = new TestOidcProvider(CLIENT, CLIENT_SECRET);
        gw = TestGateway.start(Map.of("EVENT_FLUSH_INTERVAL", "50ms", "ADMIN_PASS", PASS, "OIDC_ISSUER_URL", idp.issuer(),
                "OIDC_CLIENT_ID", CLIENT, "OIDC_CLIENT_SECRET", CLIENT_SECRET));
        admin = gw.admin.withHeader("X-API-KEY", PASS);
        proxy = new ProxyClient(gw.proxyUrl());
        setting = admin.createSetting("openai", Map.of("apikey", UPSTREAM_SECRET, "url", upstream.url("/v1")));
        long browserStart = System.nanoTime();
        chromium = new HeadlessChromium();
        System.out.printf("ConsoleBrowserTest: Chromium started in %d ms%n", (System.nanoTime() - browserStart) / 1_000_000);
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // pages redraw after each change
    }

    @AfterAll
    void stop() {
        if (chromium != null) chromium.close();
        if (gw != null) gw.close();
        if (upstream != null) upstream.close();
        if (idp != null) idp.close();
        System.out.printf("ConsoleBrowserTest: %d ms with the browser start%n", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Every page of every test: nothing blocked by the CSP, nothing the API refused left unexplained. */
    @AfterEach
    void noPolicyViolations() {
        assertThat(driver.findElements(By.cssSelector(".csp-violation"))).extracting(WebElement::getText).isEmpty();
    }

    @Test
    @Order(0)
    void signInWithThePasswordForm() {
        driver.get(gw.adminUrl() + "/ui/");
        WebElement password = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin input[type=password]")));
        assertThat(driver.findElement(By.id("sso")).getAttribute("href")).endsWith("/ui/oidc/login");
        assertThat(driver.findElements(By.cssSelector("table.grid"))).isEmpty();
        chromium.screenshot("signin");
        password.sendKeys("not-the-password");
        driver.findElement(By.cssSelector(".signin button[type=submit]")).click();
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin .error")));
        assertThat(refused.getText()).contains("wrong password");
        driver.findElement(By.cssSelector(".signin input[type=password]")).sendKeys(PASS);
        driver.findElement(By.cssSelector(".signin button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("who")).getText().contains("Sign out"));
        assertThat(driver.findElement(By.id("who")).getText()).contains("admin");
        wait.until(d -> d.findElements(By.cssSelector(".card")).size() > 0); // the overview, read with the session
        // the session cookie is HttpOnly: the page's scripts cannot read it
        assertThat(driver.executeScript("return document.cookie")).asString().doesNotContain("bricks_session");
    }

    @Test
    @Order(1)
    void aKeyCreatedInTheConsoleShowsItsSpendAndCanBeRevoked() {
        open("keys");
        driver.findElement(By.cssSelector("form.create input[name=name]")).sendKeys("checkout-service");
        driver.findElement(By.cssSelector("form.create input[name=settingIds]")).sendKeys(setting);
        driver.findElement(By.cssSelector("form.create input[name=costLimitInUsd]")).sendKeys("25");
        driver.findElement(By.cssSelector("form.create input[name=rateLimitOverTime]")).sendKeys("600");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("form.create select[name=rateLimitUnit]")))
                .selectByValue("m");
        driver.findElement(By.id("create-key")).click();
        wait.until(d -> !d.findElements(By.id("new-secret")).isEmpty() || !d.findElements(By.cssSelector(".error")).isEmpty());
        assertThat(driver.findElements(By.cssSelector(".error"))).extracting(WebElement::getText).isEmpty();
        String secret = driver.findElement(By.id("new-secret")).getText();
        assertThat(secret).startsWith("bk-").hasSize(51);
        assertThat(rowOf("checkout-service").getText()).contains("active");

        // proxied requests with the secret shown once in the console
        Poll.until(Duration.ofSeconds(10), "the new key authenticates", () -> proxy.postJson(CHAT, secret, BODY).status() == 200);
        for (int i = 0; i < 4; i++) assertThat(proxy.postJson(CHAT, secret, BODY).status()).isEqualTo(200);
        String keyId = admin.post("/api/v2/key-management/keys", "{\"name\":\"checkout-service\"}").json().get("keys").get(0)
                .get("keyId").asText();
        Poll.until(Duration.ofSeconds(10), "5 events recorded", () -> admin.post("/api/reporting/key-usage",
                "{\"keyIds\":[\"" + keyId + "\"]}").json().get(0).get("rateWindow").get("requests").asLong() >= 5
                || admin.get("/api/reporting/overview?days=1").json().get("today").get("requests").asLong() >= 5);

        open("overview");
        WebElement topKeys = wait.until(d -> d.findElements(By.cssSelector(".panel")).stream()
                .filter(p -> p.getText().startsWith("Top keys")).findFirst().orElse(null));
        assertThat(topKeys.getText()).contains("checkout-service");
        String today = driver.findElement(By.cssSelector(".card")).getText();
        assertThat(today).startsWith("Today").contains("5 requests").doesNotContain("$0.00");
        assertThat(driver.findElements(By.cssSelector(".chart canvas"))).hasSizeGreaterThanOrEqualTo(2); // uPlot drew
        chromium.screenshot("overview");

        open("keys");
        WebElement row = rowOf("checkout-service");
        assertThat(row.findElements(By.cssSelector("td.usage")).get(0).getText()).matches("(?s)\\$\\d+\\.\\d+ / \\$25\\.00.*")
                .doesNotStartWith("$0.00");
        assertThat(row.findElements(By.cssSelector("td.usage")).get(2).getText()).contains("/ 600 /min");
        chromium.screenshot("keys");

        open("events");
        wait.until(d -> d.findElements(By.cssSelector("table.grid tbody tr")).size() >= 5);
        assertThat(driver.findElement(By.cssSelector("table.grid tbody")).getText()).contains("gpt-4o").contains("openai");
        driver.findElement(By.cssSelector("input[name=model]")).sendKeys("no-such-model");
        driver.findElement(By.cssSelector("form.filters button")).click();
        wait.until(d -> d.findElement(By.cssSelector("table.grid tbody")).getText().contains("No events match."));
        driver.findElement(By.cssSelector("input[name=model]")).clear();
        driver.findElement(By.cssSelector("input[name=model]")).sendKeys("gpt-4o");
        driver.findElement(By.cssSelector("form.filters button")).click();
        wait.until(d -> d.findElements(By.cssSelector("button[data-action=open]")).size() >= 5);
        String firstRow = driver.findElement(By.cssSelector("table.grid tbody tr")).getText();
        assertThat(firstRow).contains(keyId.substring(0, 8)).contains("gpt-4o").contains("1,000 / 500").contains("UTC")
                .containsPattern("\\$0\\.0\\d*[1-9]");
        chromium.screenshot("events");
        driver.findElements(By.cssSelector("button[data-action=open]")).get(0).click();
        WebElement detail = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#event-detail dl")));
        assertThat(detail.getText()).contains(keyId).contains("/api/providers/openai/v1/chat/completions");
        chromium.screenshot("event");

        open("live");
        wait.until(d -> d.findElements(By.cssSelector("table.live tbody tr")).size() >= 5);
        assertThat(driver.findElement(By.cssSelector("table.live tbody tr")).getText()).contains(keyId.substring(0, 8)).contains("gpt-4o");
        // a request made while the page is open appears without a reload
        assertThat(proxy.postJson(CHAT, secret, BODY).status()).isEqualTo(200);
        wait.until(d -> d.findElements(By.cssSelector("table.live tbody tr")).size() >= 6);
        chromium.screenshot("live");

        open("keys");
        rowOf("checkout-service").findElement(By.cssSelector("button[data-action=revoke]")).click();
        wait.until(d -> rowOf("checkout-service").getText().contains("revoked"));
        Poll.until(Duration.ofSeconds(10), "the revoked key is refused", () -> proxy.postJson(CHAT, secret, BODY).status() == 401);
    }

    @Test
    @Order(2)
    void aHostileKeyNameIsShownAsText() {
        String hostile = "<script>alert(1)</script><img src=x onerror=\"window.__xss=1\">";
        admin.createKey("{\"name\":" + io.bricksllm.store.Json.write(hostile) + ",\"key\":\"bk-hostile-1\",\"settingIds\":[\""
                + setting + "\"]}");
        open("keys");
        wait.until(d -> d.findElement(By.cssSelector("table.grid")).getText().contains(hostile));
        assertThat(driver.findElement(By.tagName("main")).getText()).contains(hostile);
        assertThat(driver.findElements(By.cssSelector("main script, main img, table.grid script, table.grid img"))).isEmpty();
        assertThat(driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        // the key list the console reads carries no key secret (hash or raw)
        assertThat(pageCall("api.post('/api/v2/key-management/keys', {})"))
                .contains("checkout-service").doesNotContain("\"key\":");
    }

    @Test
    @Order(3)
    void providerSettingsTestTheConnectionWithoutShowingTheSecret() {
        open("providers");
        WebElement row = wait.until(d -> d.findElements(By.cssSelector("table.grid tbody tr")).stream()
                .filter(r -> r.getText().contains(setting.substring(0, 8))).findFirst().orElse(null));
        row.findElement(By.cssSelector("button[data-action=test]")).click();
        wait.until(d -> row.findElement(By.cssSelector(".test-result")).getText().contains("connected"));
        assertThat(driver.getPageSource()).doesNotContain(UPSTREAM_SECRET);
        assertThat(upstream.received()).anyMatch(r -> r.path().equals("/v1/models"));
        chromium.screenshot("providers");
    }

    @Test
    @Order(4)
    void aPolicyShowsWhatItWouldRedact() {
        admin.post("/api/policies", "{\"name\":\"mask-contact-details\",\"config\":{\"rules\":{\"email\":\"allow_but_redact\","
                + "\"phone\":\"allow_but_redact\"}},\"regexConfig\":{\"rules\":[{\"definition\":\"secret-[0-9]+\",\"action\":\"block\"}]}}");
        String keyId = admin.post("/api/v2/key-management/keys", "{\"name\":\"checkout-service\"}").json().get("keys").get(0)
                .get("keyId").asText();
        AdminClient.Reply route = admin.post("/api/routes", "{\"name\":\"chat\",\"path\":\"/chat/default\",\"keyIds\":[\"" + keyId
                + "\"],\"steps\":[{\"provider\":\"openai\",\"model\":\"gpt-4o\"},{\"provider\":\"openai\",\"model\":\"gpt-4o-mini\"}],"
                + "\"cacheConfig\":{\"enabled\":false}}");
        assertThat(route.status()).as(route.body()).isEqualTo(200);
        open("policies");
        WebElement box = wait.until(d -> d.findElements(By.cssSelector("tr.tryrow")).stream().findFirst().orElse(null));
        box.findElement(By.tagName("textarea")).sendKeys("write to jane.doe@example.com about the invoice");
        box.findElement(By.cssSelector("button[data-action=try]")).click();
        WebElement result = wait.until(d -> {
            WebElement r = box.findElement(By.cssSelector(".try-result"));
            return r.getText().isEmpty() ? null : r;
        });
        assertThat(result.getText()).contains("redacted").doesNotContain("jane.doe@example.com").contains("about the invoice");
        assertThat(driver.findElement(By.tagName("main")).getText()).contains("/chat/default").contains("openai:gpt-4o → openai:gpt-4o-mini");
        chromium.screenshot("policies");
    }

    @Test
    @Order(5)
    void teamsAndEndUsersAreListedAndCreated() {
        open("teams");
        driver.findElement(By.cssSelector("form.create input[name=name]")).sendKeys("payments");
        driver.findElement(By.cssSelector("form.create input[name=costLimitInUsdOverTime]")).sendKeys("100");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.cssSelector("form.create select[name=costLimitInUsdUnit]")))
                .selectByValue("mo");
        driver.findElement(By.cssSelector("form.create button[type=submit]")).click();
        wait.until(d -> d.findElement(By.cssSelector("table.grid")).getText().contains("payments"));
        assertThat(driver.findElement(By.cssSelector("table.grid")).getText()).contains("Spend $0.00 / $100.00 /month");

        open("users");
        driver.findElement(By.cssSelector("form.create input[name=userId]")).sendKeys("user-4711");
        driver.findElement(By.cssSelector("form.create input[name=name]")).sendKeys("Jane from support");
        driver.findElement(By.cssSelector("form.create button[type=submit]")).click();
        wait.until(d -> d.findElement(By.cssSelector("table.grid")).getText().contains("user-4711"));
        assertThat(admin.get("/api/users?userIds=user-4711").json().get(0).path("name").asText()).isEqualTo("Jane from support");
    }

    @Test
    @Order(6)
    void teamAndUserUsageIsShownAgainstTheirLimitsAndAUsersLimitsAreEditedInTheConsole() {
        String team = admin.post("/api/teams", "{\"name\":\"support\",\"rateLimitOverTime\":100,\"rateLimitUnit\":\"h\","
                + "\"costLimitInUsd\":40}").json().path("id").asText();
        admin.createKey("{\"name\":\"support-bot\",\"key\":\"bk-support-1\",\"teamId\":\"" + team + "\",\"settingIds\":[\""
                + setting + "\"]}");
        String user = admin.post("/api/users", "{\"userId\":\"user-usage-1\",\"name\":\"Usage user\",\"rateLimitOverTime\":50,"
                + "\"rateLimitUnit\":\"h\",\"costLimitInUsd\":20}").json().path("id").asText();
        String body = "{\"model\":\"gpt-4o\",\"user\":\"user-usage-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        // the key and the user become live together or apart: send until the user's counter has one, then two more
        int[] sent = {0};
        Poll.until(Duration.ofSeconds(10), "the user's requests counted", () -> {
            if (proxy.postJson(CHAT, "bk-support-1", body).status() == 200) sent[0]++;
            return usage("user-usage", user).path("requests").path("used").asLong() >= 1;
        });
        long userRequests = usage("user-usage", user).path("requests").path("used").asLong() + 2;
        for (int i = 0; i < 2; i++) assertThat(proxy.postJson(CHAT, "bk-support-1", body).status()).isEqualTo(200);
        sent[0] += 2;
        Poll.until(Duration.ofSeconds(10), "the team's and the user's spend settled",
                () -> usage("team-usage", team).path("costInUsd").path("spentInUsd").asDouble() > 0
                        && usage("user-usage", user).path("costInUsd").path("spentInUsd").asDouble() > 0);

        open("teams");
        WebElement teamUsage = rowWith("team-name", "support").findElement(By.cssSelector("td.usage"));
        assertThat(teamUsage.findElement(By.cssSelector("[data-usage=requests]")).getText()).isEqualTo("Requests " + sent[0] + " / 100 /h");
        assertThat(teamUsage.findElement(By.cssSelector("[data-usage=spend-total]")).getText())
                .matches("Spend \\$0\\.\\d+ / \\$40\\.00 total").isNotEqualTo("Spend $0.00 / $40.00 total");
        assertThat(teamUsage.findElements(By.cssSelector(".bar-fill"))).hasSize(2);
        chromium.screenshot("teams");

        open("users");
        WebElement userUsage = rowWith("user-id", "user-usage-1").findElement(By.cssSelector("td.usage"));
        assertThat(userUsage.findElement(By.cssSelector("[data-usage=requests]")).getText()).isEqualTo("Requests " + userRequests + " / 50 /h");
        assertThat(userUsage.findElement(By.cssSelector("[data-usage=spend-total]")).getText())
                .matches("Spend \\$0\\.\\d+ / \\$20\\.00 total").isNotEqualTo("Spend $0.00 / $20.00 total");
        assertThat(rowWith("user-id", "user-4711").findElement(By.cssSelector("td.usage")).getText()).isEqualTo("—"); // no limits

        // the user's limits edited in the page: a higher rate limit, a spend window, a concurrency cap
        rowWith("user-id", "user-usage-1").findElement(By.cssSelector("button[data-action=limits]")).click();
        WebElement form = wait.until(d -> rowWith("user-id", "user-usage-1").findElement(By.cssSelector("form.inline")));
        form.findElement(By.name("rateLimitOverTime")).clear();
        form.findElement(By.name("rateLimitOverTime")).sendKeys("80");
        form.findElement(By.name("costLimitInUsdOverTime")).sendKeys("5");
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name("costLimitInUsdUnit"))).selectByValue("d");
        form.findElement(By.name("maxConcurrentRequests")).sendKeys("4");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> rowWith("user-id", "user-usage-1").findElements(By.cssSelector("[data-usage=in-flight]")).size() == 1);
        WebElement edited = rowWith("user-id", "user-usage-1").findElement(By.cssSelector("td.usage"));
        assertThat(driver.findElements(By.cssSelector("main .error"))).isEmpty();
        assertThat(edited.findElement(By.cssSelector("[data-usage=requests]")).getText()).endsWith(" / 80 /h");
        assertThat(edited.findElement(By.cssSelector("[data-usage=spend-window]")).getText()).endsWith(" / $5.00 /day");
        assertThat(edited.findElement(By.cssSelector("[data-usage=in-flight]")).getText()).isEqualTo("In flight 0 / 4");
        JsonNode stored = admin.get("/api/users?userIds=user-usage-1").json().get(0);
        assertThat(stored.get("rateLimitOverTime").asInt()).isEqualTo(80);
        assertThat(stored.get("rateLimitUnit").asText()).isEqualTo("h");
        assertThat(stored.get("costLimitInUsd").asDouble()).isEqualTo(20.0); // left as it was
        assertThat(stored.get("costLimitInUsdOverTime").asDouble()).isEqualTo(5.0);
        assertThat(stored.get("costLimitInUsdUnit").asText()).isEqualTo("d");
        assertThat(stored.get("maxConcurrentRequests").asInt()).isEqualTo(4);
        chromium.screenshot("users");
    }

    @Test
    @Order(7)
    void limitsAreEditedTheKeyRotatedAndDeletedFromTheConsole() {
        admin.createKey("{\"name\":\"billing-batch\",\"key\":\"bk-billing-1\",\"settingIds\":[\"" + setting + "\"]}");
        open("keys");
        rowOf("billing-batch").findElement(By.cssSelector("button[data-action=limits]")).click();
        WebElement form = wait.until(d -> rowOf("billing-batch").findElement(By.cssSelector("form.inline")));
        form.findElement(By.name("costLimitInUsd")).sendKeys("30");
        form.findElement(By.name("costLimitInUsdOverTime")).sendKeys("3");
        new org.openqa.selenium.support.ui.Select(form.findElement(By.name("costLimitInUsdUnit"))).selectByValue("d");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> rowOf("billing-batch").getText().contains("/ $30.00"));
        assertThat(rowOf("billing-batch").getText()).contains("/ $3.00 /day");
        JsonNode stored = admin.post("/api/v2/key-management/keys", "{\"name\":\"billing-batch\"}").json().get("keys").get(0);
        assertThat(stored.get("costLimitInUsd").asDouble()).isEqualTo(30.0);
        assertThat(stored.get("costLimitInUsdUnit").asText()).isEqualTo("d");

        rowOf("billing-batch").findElement(By.cssSelector("button[data-action=rotate]")).click();
        String rotated = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret"))).getText();
        assertThat(rotated).startsWith("bk-").isNotEqualTo("bk-billing-1");
        Poll.until(Duration.ofSeconds(10), "the rotated secret works", () -> proxy.postJson(CHAT, rotated, BODY).status() == 200);

        rowOf("billing-batch").findElement(By.cssSelector("button[data-action=delete]")).click();
        rowOf("billing-batch").findElement(By.cssSelector("button[data-action=confirm]")).click();
        wait.until(d -> !d.findElement(By.cssSelector("table.grid")).getText().contains("billing-batch"));
        assertThat(admin.post("/api/v2/key-management/keys", "{\"name\":\"billing-batch\"}").json().get("keys")).isEmpty();
    }

    @Test
    @Order(8)
    void aViewerSignedInThroughOidcSeesNoChangeButtonsAndIsRefusedAChange() {
        signOut();
        ssoSignIn(new User("vera", "Vera Viewer", List.of("viewer")));
        assertThat(driver.findElement(By.id("who")).getText()).contains("Vera Viewer").contains("viewer");
        open("keys");
        wait.until(d -> d.findElement(By.cssSelector("table.grid")).getText().contains("checkout-service"));
        assertThat(driver.findElements(By.cssSelector("form.create"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("table.grid button"))).isEmpty();
        open("teams");
        assertThat(driver.findElements(By.cssSelector("form.create"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("table.grid button"))).isEmpty();
        // the users page: usage shown, no create form, no Limits or Revoke buttons; a limit change is refused
        open("users");
        WebElement usageRow = rowWith("user-id", "user-usage-1");
        assertThat(usageRow.findElement(By.cssSelector("td.usage")).getText()).contains("/ 80 /h");
        assertThat(driver.findElements(By.cssSelector("form.create"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("table.grid button"))).isEmpty();
        String user = admin.get("/api/users?userIds=user-usage-1").json().get(0).path("id").asText();
        assertThat(pageCall("api.patch('/api/users/" + user + "', {rateLimitOverTime: 1, rateLimitUnit: 'h'})")).startsWith("403 ");
        assertThat(admin.get("/api/users?userIds=user-usage-1").json().get(0).path("rateLimitOverTime").asInt()).isEqualTo(80);
        open("providers");
        assertThat(driver.findElements(By.cssSelector("button[data-action=test]"))).isEmpty();
        // a change sent through the page's own API module (session cookie, CSRF token) is refused by the server
        String keyId = keyIdOf("checkout-service");
        assertThat(pageCall("api.patch('/api/key-management/keys/" + keyId + "', {name: 'renamed-by-viewer'})"))
                .startsWith("403 ");
        assertThat(admin.get("/api/key-management/keys?keyIds=" + keyId).json().get(0).path("name").asText())
                .isEqualTo("checkout-service");
        // reads that are POSTs pass: the policy dry run
        String policy = admin.get("/api/policies").json().get(0).path("id").asText();
        assertThat(pageCall("api.post('/api/policies/" + policy + "/test', {text: 'mail jane.doe@example.com'})"
                + ".then(r => JSON.stringify(r))")).doesNotStartWith("403").doesNotContain("jane.doe@example.com");
    }

    @Test
    @Order(9)
    void aTeamAdminSeesOnlyItsTeamsKeysAndSignsOut() {
        String team = admin.post("/api/teams", "{\"name\":\"search-team\"}").json().path("id").asText();
        admin.createKey("{\"name\":\"search-indexer\",\"key\":\"bk-search-1\",\"teamId\":\"" + team
                + "\",\"settingIds\":[\"" + setting + "\"]}");
        signOut();
        ssoSignIn(new User("tam", "Tam Teamadmin", List.of("team-admin:" + team)));
        // a team-admin lands on its keys: only its team's
        wait.until(d -> "keys".equals(d.findElement(By.tagName("body")).getAttribute("data-page")));
        wait.until(d -> d.findElement(By.cssSelector("table.grid")).getText().contains("search-indexer"));
        assertThat(driver.findElement(By.cssSelector("table.grid")).getText()).doesNotContain("checkout-service");
        assertThat(driver.findElements(By.cssSelector("form.create"))).hasSize(1); // it manages its team's keys
        // a key for another team, tried through the form: the server's 403 is shown with its reason
        String other = admin.post("/api/teams", "{\"name\":\"other-team\"}").json().path("id").asText();
        driver.findElement(By.cssSelector("form.create input[name=name]")).sendKeys("sneaky");
        driver.findElement(By.cssSelector("form.create input[name=teamId]")).sendKeys(other);
        driver.findElement(By.cssSelector("form.create input[name=settingIds]")).sendKeys(setting);
        driver.findElement(By.id("create-key")).click();
        WebElement notAllowed = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main .error")));
        assertThat(notAllowed.getText()).startsWith("Not allowed").contains("teamId must be one of your teams");
        assertThat(admin.post("/api/v2/key-management/keys", "{\"name\":\"sneaky\"}").json().get("keys")).isEmpty();
        // the overview sums every team: refused, and the page says so
        open("overview");
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("main .error")));
        assertThat(refused.getText()).startsWith("Not allowed");
        // its teams page: its own team and its usage, no 30-day columns (they come from the overview), no change offered
        open("teams");
        rowWith("team-name", "search-team");
        assertThat(driver.findElements(By.cssSelector("main .error"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("table.grid tbody tr"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("table.grid thead")).getText()).contains("Usage / limits").doesNotContain("30-day");
        assertThat(driver.findElements(By.cssSelector("form.create, table.grid button"))).isEmpty();
        // its users page: an end user created for its team through the form, shown with the team
        open("users");
        WebElement create = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form.create")));
        create.findElement(By.name("userId")).sendKeys("search-bot");
        create.findElement(By.name("name")).sendKeys("Search bot");
        create.findElement(By.name("teamId")).sendKeys(team);
        create.findElement(By.cssSelector("button[type=submit]")).click();
        rowWith("user-id", "search-bot");
        assertThat(admin.get("/api/users?userIds=search-bot").json().get(0).path("teamId").asText()).isEqualTo(team);
        signOut();
        assertThat(pageCall("api.loadSession().then(s => JSON.stringify(s))")).contains("\"signedIn\":false");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin")));
        // a provider user without a console role comes back to the sign-in form with the reason
        idp.nextUser(new User("nobody", "Nobody", List.of("employee")));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sso"))).click();
        WebElement why = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin .error")));
        assertThat(why.getText()).contains("nobody has no console role");
        assertThat(driver.getCurrentUrl()).doesNotContain("signInError");
    }

    @Test
    @Order(10)
    void keyChangesInTheConsoleAppearOnTheAuditPageWithTheSignedInSubject() {
        ssoSignIn(new User("alice-sub", "Alice Admin", List.of("admin")));
        open("keys");
        driver.findElement(By.cssSelector("form.create input[name=name]")).sendKeys("audited-key");
        driver.findElement(By.cssSelector("form.create input[name=settingIds]")).sendKeys(setting);
        driver.findElement(By.id("create-key")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret")));
        rowOf("audited-key").findElement(By.cssSelector("button[data-action=limits]")).click();
        WebElement form = wait.until(d -> rowOf("audited-key").findElement(By.cssSelector("form.inline")));
        form.findElement(By.name("costLimitInUsd")).sendKeys("12");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> rowOf("audited-key").getText().contains("/ $12.00"));
        rowOf("audited-key").findElement(By.cssSelector("button[data-action=revoke]")).click();
        wait.until(d -> rowOf("audited-key").getText().contains("revoked"));
        String keyId = keyIdOf("audited-key");

        open("audit");
        driver.findElement(By.cssSelector("form.filters input[name=resourceId]")).sendKeys(keyId);
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector("table.grid tbody tr td.subject")).size() == 3);
        List<WebElement> rows = driver.findElements(By.cssSelector("table.grid tbody tr"));
        assertThat(rows).extracting(r -> r.findElement(By.cssSelector("td.subject")).getText())
                .containsOnly("alice-sub");
        assertThat(rows).extracting(r -> r.findElement(By.cssSelector("td.change")).getText())
                .containsExactly("PATCH /api/key-management/keys/" + keyId, "PATCH /api/key-management/keys/" + keyId,
                        "PUT /api/key-management/keys");
        // newest first: the revoke, the limit, the creation; before and after shown as text
        assertThat(rows.get(0).findElement(By.cssSelector("td.after")).getText()).contains("\"revoked\": true");
        assertThat(rows.get(1).findElement(By.cssSelector("td.before")).getText()).contains("audited-key");
        assertThat(rows.get(1).findElement(By.cssSelector("td.after")).getText()).contains("\"costLimitInUsd\": 12");
        assertThat(rows.get(2).findElement(By.cssSelector("td.before")).getText()).isEqualTo("—");
        chromium.screenshot("audit");
        // the subject filter narrows to one person's changes
        driver.findElement(By.cssSelector("form.filters input[name=resourceId]")).clear();
        driver.findElement(By.cssSelector("form.filters input[name=subject]")).sendKeys("tam");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        // the team-admin's one change: the end user it created for its team (test 9)
        wait.until(d -> d.findElements(By.cssSelector("table.grid tbody tr td.subject")).size() == 1);
        assertThat(driver.findElement(By.cssSelector("table.grid tbody td.subject")).getText()).isEqualTo("tam");
        assertThat(driver.findElement(By.cssSelector("table.grid tbody td.change")).getText()).isEqualTo("POST /api/users");
        driver.findElement(By.cssSelector("form.filters input[name=subject]")).clear();
        driver.findElement(By.cssSelector("form.filters input[name=subject]")).sendKeys("nobody-at-all");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(d -> d.findElement(By.cssSelector("table.grid tbody")).getText().contains("No changes match."));
        // cursor paging through X-Next-Cursor: two rows a page, three changes
        open("audit?limit=2");
        driver.findElement(By.cssSelector("form.filters input[name=subject]")).sendKeys("alice-sub");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector("table.grid tbody tr td.subject")).size() == 2
                && d.findElement(By.cssSelector("button[data-action=older]")).isEnabled());
        driver.findElement(By.cssSelector("button[data-action=older]")).click();
        wait.until(d -> d.findElement(By.cssSelector(".pager")).getText().contains("page 2"));
        assertThat(driver.findElements(By.cssSelector("table.grid tbody tr td.subject"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector("table.grid tbody td.change")).getText()).startsWith("PUT ");
        assertThat(driver.findElement(By.cssSelector("button[data-action=older]")).isEnabled()).isFalse();
        open("audit");
        // the hostile key name of an earlier test, created over the API as "admin", is text on this page too
        driver.findElement(By.cssSelector("form.filters input[name=subject]")).clear();
        driver.findElement(By.cssSelector("form.filters input[name=subject]")).sendKeys("admin");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(d -> d.findElement(By.cssSelector("table.grid tbody")).getText().contains("<script>alert(1)</script>"));
        assertThat(driver.findElements(By.cssSelector("main script, main img"))).isEmpty();
        assertThat(driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
        // a session that has ended (its cookie gone) brings the sign-in form back on the next call
        driver.manage().deleteCookieNamed("bricks_session");
        driver.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin #sso")));
    }

    /** Ends the session with the page's Sign out button; the sign-in form comes back. */
    private void signOut() {
        wait.until(d -> d.findElement(By.cssSelector("#who button"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".signin")));
    }

    /** Signs in through OIDC as the browser does: the SSO button, the provider's redirect, the callback, the console. */
    private void ssoSignIn(User user) {
        idp.nextUser(user);
        driver.get(gw.adminUrl() + "/ui/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sso"))).click();
        wait.until(d -> d.findElement(By.id("who")).getText().contains(user.name()));
        assertThat(driver.getCurrentUrl()).startsWith(gw.adminUrl() + "/ui/").doesNotContain("code=");
    }

    /** Runs {@code expr} (a promise, with {@code api} the page's own API module) in the page: its text, or "status message". */
    private String pageCall(String expr) {
        return String.valueOf(driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " import('/ui/js/api.js').then(api => " + expr + ")"
                + ".then(r => done(typeof r === 'string' ? r : JSON.stringify(r)), e => done((e.status || 0) + ' ' + e.message));"));
    }

    private String keyIdOf(String name) {
        return admin.post("/api/v2/key-management/keys", "{\"name\":\"" + name + "\"}").json().get("keys").get(0)
                .get("keyId").asText();
    }

    /** Loads a page from scratch (so each page is read as a first visit) and waits for its title. */
    private void open(String page) {
        driver.get(gw.adminUrl() + "/ui/#/" + page);
        driver.navigate().refresh();
        wait.until(d -> !d.findElements(By.cssSelector("main h1")).isEmpty()
                && d.findElements(By.xpath("//main/p[text()='Loading…']")).isEmpty());
    }

    private WebElement rowOf(String name) {
        return rowWith("key-name", name);
    }

    /** The first table row whose element of class {@code cls} (a key name, team name, user id) reads {@code text}. */
    private WebElement rowWith(String cls, String text) {
        List<WebElement> rows = wait.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("table.grid tbody tr")).stream()
                    .filter(r -> !r.findElements(By.cssSelector("." + cls)).isEmpty()
                            && r.findElement(By.cssSelector("." + cls)).getText().equals(text)).toList();
            return found.isEmpty() ? null : found;
        });
        return rows.get(0);
    }

    /** A team's or end user's live usage from the admin API ({@code report} team-usage or user-usage); missing if none. */
    private JsonNode usage(String report, String id) {
        String field = report.equals("team-usage") ? "teamIds" : "userIds";
        JsonNode rows = admin.post("/api/reporting/" + report, "{\"" + field + "\":[\"" + id + "\"]}").json();
        return rows.isEmpty() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : rows.get(0).path("usage");
    }
}
