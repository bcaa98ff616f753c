package io.bricksllm.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.bricksllm.testing.TestGateway;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console of a gateway with neither ADMIN_PASS nor OIDC, in Chromium (issue 21.3): read-only on localhost, a
 * banner that says how to enable sign-in, the data shown and no change offered. Its own gateway (no sign-in), so its
 * own class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleLocalBrowserTest {
    TestGateway gw;
    HeadlessChromium chromium;

    @BeforeAll
    void start() {
        gw = TestGateway.start(Map.of());
        chromium = new HeadlessChromium();
    }

    @AfterAll
    void stop() {
        if (chromium != null) chromium.close();
        if (gw != null) gw.close();
    }

    @Test
    void withoutSignInTheConsoleIsReadOnlyAndSaysHowToEnableSignIn() {
        String setting = gw.admin.createSetting("openai", Map.of("apikey", "sk-upstream-local-0123456789"));
        gw.admin.createKey("{\"name\":\"local-key\",\"key\":\"bk-local-1\",\"settingIds\":[\"" + setting + "\"]}");
        var driver = chromium.driver;
        var wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        driver.get(gw.adminUrl() + "/ui/#/keys");
        WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("banner")));
        assertThat(banner.getText()).contains("read-only").contains("ADMIN_PASS").contains("OIDC_ISSUER_URL");
        wait.until(d -> d.findElement(By.cssSelector("table.grid")).getText().contains("local-key"));
        assertThat(driver.findElements(By.cssSelector("form.create, .signin"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("table.grid button"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".csp-violation"))).isEmpty();
        chromium.screenshot("local");
    }
}
