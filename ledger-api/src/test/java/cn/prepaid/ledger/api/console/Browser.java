package cn.prepaid.ledger.api.console;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium driven through its chromedriver. The machine's network is closed, so
 * Selenium Manager is not asked to download anything: both binaries are named, and Chromium is told
 * not to reach out on its own.
 */
final class Browser {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {
    }

    /** Skips the calling tests, loudly, where Chromium or its driver is not installed. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.err.println("""

                    ************************************************************************
                    * BROWSER TESTS SKIPPED: /usr/bin/chromium or /usr/bin/chromedriver is  *
                    * missing. Install them (apt-get install chromium chromium-driver        *
                    * fonts-noto-cjk) to run the console's end-to-end tests; .ci/run does.   *
                    ************************************************************************
                    """);
        }
        assumeTrue(installed, "browser tests skipped: Debian's chromium and chromium-driver are not installed");
    }

    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=zh-CN", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1440, 1000));
        return driver;
    }

    /** What the page wrote to its console (errors included), for a failing test's report. */
    static String consoleOf(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage()).collect(Collectors.joining("\n"));
    }

    /** Saves what the browser shows as docs/images/<name>.png of the project. */
    static void screenshot(WebDriver driver, String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path images = projectRoot().resolve("docs").resolve("images");
        Files.createDirectories(images);
        Files.copy(shot.toPath(), images.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path projectRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve("mvnw"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("not inside the project: no mvnw above " + Path.of("").toAbsolutePath());
        }
        return directory;
    }
}
