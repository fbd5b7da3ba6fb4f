package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A measurement, not part of the suite (it posts 100,000 events first, minutes of work): an auditor's
 * history of an institution with 100,000 events, loaded into the console, with the page's long tasks
 * (main thread busy for over 50 ms) recorded while it loads. Run with
 * {@code ./mvnw -B -pl ledger-api -am test -Dtest=ConsoleHistoryVolumeTest -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.volume=true}.
 */
@LedgerIntegrationTest
@EnabledIfSystemProperty(named = "console.volume", matches = "true")
class ConsoleHistoryVolumeTest {

    private static final int EVENTS = 100_000;
    private static final int BATCH = 1_000;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    @SuppressWarnings("unchecked")
    void anAuditorLoadsAHistoryOf100000EventsAndThePageStaysResponsive(@TempDir Path profile) {
        Browser.assumeInstalled();
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        assertThat(http.post(Http.REGULATOR, "/api/v1/institutions", json("institutionId", institution, "name",
                "十万事件学校", "regionCode", "110105", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"))
                .status()).isEqualTo(201);
        String account = TestLedger.unique("VOLUME");
        assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "0200999")).status()).isEqualTo(201);
        String occurredAt = Instant.now().minus(Duration.ofDays(1)).atOffset(ZoneOffset.ofHours(8)).toString();
        for (int first = 0; first < EVENTS; first += BATCH) {
            List<String> items = new ArrayList<>();
            for (int i = first; i < first + BATCH; i++) {
                items.add(json("accountId", account, "bankTxnId", "V-" + i, "type", "INTEREST", "amount", "0.01",
                        "currency", "CNY", "occurredAt", occurredAt, "memo", "volume"));
            }
            Answer answer = http.post(Http.BANK, "/api/v1/transactions/batch",
                    "{\"transactions\": [" + String.join(",", items) + "]}");
            assertThat(answer.status()).isEqualTo(200);
        }
        long total = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?)",
                Long.class, institution, account);

        ChromeDriver browser = Browser.start(profile);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofMinutes(5), Duration.ofMillis(20));
            browser.get("http://localhost:" + port + "/dashboard");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")))
                    .sendKeys(Http.AUDITOR, Keys.ENTER);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-search")));
            browser.executeScript("window.longTasks = []; new PerformanceObserver(list => list.getEntries()"
                    + ".forEach(entry => window.longTasks.push(entry.duration))).observe({type: 'longtask'});");
            long started = System.nanoTime();
            browser.executeScript("location.hash = arguments[0]", "#/audit/" + institution);
            wait.until(ExpectedConditions.textToBe(By.id("history-progress"),
                    "已载入 " + String.format(Locale.ROOT, "%,d", total) + " 条事件"));
            long loadedMillis = (System.nanoTime() - started) / 1_000_000;

            long flipStarted = System.nanoTime();
            browser.findElement(By.cssSelector("#history .pager button:last-child")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#history .pager-position"),
                    "第 2 /"));
            long flipMillis = (System.nanoTime() - flipStarted) / 1_000_000;
            List<Number> longTasks = (List<Number>) browser.executeScript("return window.longTasks");
            double longest = longTasks.stream().mapToDouble(Number::doubleValue).max().orElse(0);
            Map<String, Object> memory = (Map<String, Object>) browser.executeScript(
                    "return {used: performance.memory.usedJSHeapSize}");

            System.out.printf("console history of %,d events: loaded in %,d ms; next page in %,d ms; %d long tasks "
                            + "while loading, longest %.0f ms; rows in the document %d; JS heap %,d MB%n", total,
                    loadedMillis, flipMillis, longTasks.size(), longest,
                    browser.findElements(By.cssSelector("#history-table tbody tr")).size(),
                    ((Number) memory.get("used")).longValue() / 1_000_000);
            assertThat(browser.findElements(By.cssSelector("#history-table tbody tr"))).hasSize(100);
        } finally {
            browser.quit();
        }
    }
}
