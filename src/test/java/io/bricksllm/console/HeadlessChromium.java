package io.bricksllm.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by its chromedriver; one per test class (a start costs about a second). The
 * flags keep it from reaching for the network (updates, sync, QUIC), which on a closed network makes it hang. Missing
 * binaries fail the test with what to install: `.ci/run` installs them, so a missing browser is a broken machine,
 * not a reason to skip.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    HeadlessChromium() {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the console's browser tests need Debian's Chromium "
                        + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
            }
        }
        try {
            profile = Files.createTempDirectory("bricksllm-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        // the screenshots show the page's viewport: 1280x800 of it, whatever the window's frame takes
        driver.manage().window().setSize(new Dimension(1280, 800));
        long frame = (Long) driver.executeScript("return window.outerHeight - window.innerHeight");
        if (frame > 0) driver.manage().window().setSize(new Dimension(1280, 800 + (int) frame));
    }

    /**
     * Where screenshots go: {@code -Dconsole.screenshots=docs/screenshots} regenerates the committed ones (README,
     * "Admin console"); without it they land in target/screenshots, so a test run leaves the work tree clean.
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("console.screenshots", "target/screenshots"));

    /** A PNG of the viewport, written to {@code <SCREENSHOTS>/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
