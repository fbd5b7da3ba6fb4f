package cn.prepaid.ledger.api.console;

import cn.prepaid.ledger.api.http.ApiExceptionHandler;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.LogLines;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (headless Chromium) against the running ledger on its embedded
 * PostgreSQL: a regulator of Beijing (region 11) signs in, watches an alert arrive live and
 * acknowledges it, approves a held outflow, freezes an account, ranks and searches institutions and
 * switches language; an auditor reads a history and sees a chain broken in the database shown as
 * broken. Screenshots of the main views go to docs/images/.
 */
@LedgerIntegrationTest
// streams end after a few seconds, so every test also lives through reconnections
@TestPropertySource(properties = "ledger.alerts.stream-timeout-millis=" + ConsoleBrowserTest.STREAM_LIFETIME_MILLIS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// closed afterwards: no second database and set of processors running through the rest of the suite
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConsoleBrowserTest {

    static final int STREAM_LIFETIME_MILLIS = 6000;

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private ChromeDriver browser;
    private WebDriverWait wait;
    private Http http;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** Held outflow waiting (启明), a RED alert to come (博雅), a chain to break (星火), a charge-cap alert (青藤). */
    private String heldInstitution;
    private String heldAccount;
    private String heldOutflowId;
    private String drainedAccount;
    private String tamperedInstitution;
    private String tamperedAccount;
    private String searchedInstitution;

    @BeforeAll
    void startBrowserAndSeedBeijing(@TempDir Path profile) {
        Browser.assumeInstalled();
        http = new Http(port);

        heldInstitution = institution("启明艺术培训中心", "110105");
        heldAccount = account(heldInstitution);
        deposit(heldAccount, "QM-1", 50, "1500.00", 80);
        deposit(heldAccount, "QM-2", 40, "180.00", 50);
        deposit(heldAccount, "QM-3", 30, "220.00", 20);
        consume(heldAccount, "QM-1", 40, 30);
        Answer held = posting(heldAccount, json("bankTxnId", TestLedger.unique("QM-REL"), "type", "RELEASE",
                "amount", "60000.00", "currency", "CNY", "occurredAt", daysAgo(2), "orderId", "ORD-QM-1"));
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        heldOutflowId = held.json().get("heldOutflowId").asString();

        String drained = institution("博雅学科辅导", "110108");
        drainedAccount = account(drained);
        deposit(drainedAccount, "BY-1", 10, "100.00", 30);

        tamperedInstitution = institution("星火编程学堂", "110102");
        tamperedAccount = account(tamperedInstitution);
        deposit(tamperedAccount, "XH-1", 20, "300.00", 60);
        for (int i = 1; i <= 3; i++) {
            assertThat(posting(tamperedAccount, json("bankTxnId", TestLedger.unique("XH-INT"), "type", "INTEREST",
                    "amount", "2.00", "currency", "CNY", "occurredAt", daysAgo(10 - i), "memo", "interest"))
                    .status()).isEqualTo(201);
        }

        searchedInstitution = institution("青藤英语", "110106");
        deposit(account(searchedInstitution), "QT-1", 72, "95.00", 15);

        browser = Browser.start(profile);
        wait = new WebDriverWait(browser, PATIENCE);
    }

    @BeforeEach
    void freshPage() {
        browser.get(base() + "/dashboard");
        browser.manage().deleteAllCookies();
        browser.executeScript("localStorage.clear()");
        browser.get(base() + "/dashboard");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
    }

    @AfterEach
    void noContentSecurityPolicyViolations(TestInfo test) {
        String console = Browser.consoleOf(browser);
        if (!console.isBlank()) {
            System.out.println("browser console during " + test.getDisplayName() + ":\n" + console);
        }
        assertThat(console).doesNotContainIgnoringCase("Content Security Policy");
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aWrongKeyFailsPlainlyOtherRolesAreTurnedAwayAndARegulatorsKeyOpensTheFeed() {
        // the ledger's own policy: everything from 'self', no inline script or style, no eval
        assertThat(http.get(null, "/dashboard").header("Content-Security-Policy")).contains("default-src 'none'")
                .contains("script-src 'self'").contains("style-src 'self'").contains("connect-src 'self'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        signInWith("not-a-key-anyone-holds-0123456789");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
        assertThat(error.getText()).isEqualTo("密钥不正确，请核对后重试。");
        assertThat(browser.manage().getCookieNamed("ledger_console")).isNull();

        signInWith(Http.BANK);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "仅供监管部门和审计人员使用"));
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("BANK");

        signInWith(Http.BEIJING);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("feed-list")));
        assertThat(browser.findElement(By.id("who")).getText()).contains("beijing-education").contains("辖区 11");
        Cookie session = browser.manage().getCookieNamed("ledger_console");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        // the key is in no URL, no storage the page can read, and not in the form any more
        assertThat(browser.getCurrentUrl()).doesNotContain(Http.BEIJING);
        assertThat((String) browser.executeScript("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
                + " + document.cookie")).doesNotContain(Http.BEIJING).doesNotContain(session.getValue());
        assertThat(browser.findElement(By.id("api-key")).getAttribute("value")).isEmpty();

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        assertThat(browser.manage().getCookieNamed("ledger_console")).isNull();
    }

    @Test
    void anAlertPostedThroughTheApiArrivesLiveAndIsAcknowledgedWithANote() throws IOException {
        signInAsBeijing();
        wait.until(ExpectedConditions.attributeToBe(By.id("stream-state"), "data-stream-state", "live"));
        wait.until(driver -> !driver.findElement(By.id("count-red")).getText().equals("…"));
        int redBefore = Integer.parseInt(browser.findElement(By.id("count-red")).getText());

        // a bank fee drops the balance (1,000.00) under the floor (20% of 1,000.00 outstanding): RED
        assertThat(posting(drainedAccount, json("bankTxnId", TestLedger.unique("BY-FEE"), "type", "BANK_FEE",
                "amount", "900.00", "currency", "CNY", "occurredAt", daysAgo(0), "memo", "annual fee")).status())
                .isEqualTo(201);

        By arrived = By.cssSelector("article.alert-item.fresh[data-alert-id^='BALANCE_BELOW_FLOOR:" + drainedAccount + "']");
        WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(arrived));
        assertThat(alert.getAttribute("class")).contains("grade-red");
        assertThat(alert.getText()).contains("余额低于底线").contains("未处理");
        wait.until(ExpectedConditions.textToBe(By.id("count-red"), String.valueOf(redBefore + 1)));
        Browser.screenshot(browser, "console-feed");

        String alertId = alert.getAttribute("data-alert-id");
        alert.findElement(By.cssSelector("button[data-action='acknowledge']")).click();
        fillDialog("已电话联系机构负责人，要求三日内补足");
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("article[data-alert-id='" + alertId + "']"),
                "data-status", "ACKNOWLEDGED"));
        wait.until(ExpectedConditions.textToBe(By.id("count-red"), String.valueOf(redBefore)));

        JsonNode stored = http.get(Http.BEIJING, "/api/v1/alerts/" + alertId).json();
        assertThat(stored.get("status").asString()).isEqualTo("ACKNOWLEDGED");
        JsonNode lastStep = stored.get("history").get(stored.get("history").size() - 1);
        assertThat(lastStep.get("by").asString()).isEqualTo("beijing-education");
        assertThat(lastStep.get("note").asString()).isEqualTo("已电话联系机构负责人，要求三日内补足");

        // the alert's own page shows its lifecycle
        browser.get(base() + "/dashboard#/alert/" + alertId);
        WebElement history = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert-history")));
        assertThat(history.getText()).contains("已确认").contains("beijing-education").contains("三日内补足");
    }

    @Test
    void aDroppedStreamReconnectsByItselfResumesAfterTheLastEventAndSaysSo() {
        signInAsBeijing();
        wait.until(ExpectedConditions.attributeToBe(By.id("stream-state"), "data-stream-state", "live"));
        String account = account(institution("流式重连测试学校", "110101"));
        deposit(account, "RC-1", 61, "10.00", 1);
        By capped = By.cssSelector("article.alert-item[data-alert-id^='CHARGE_CAP_EXCEEDED:" + account + "']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(capped));

        // the server ends the stream after its lifetime, as a normal end and not as a failure it logs;
        // the browser reconnects with Last-Event-ID
        try (LogLines failures = new LogLines(ApiExceptionHandler.class.getName())) {
            new WebDriverWait(browser, Duration.ofMillis(STREAM_LIFETIME_MILLIS * 3L)).until(ExpectedConditions.textMatches(
                    By.cssSelector("#stream-banner.stream-resumed"), Pattern.compile("已重新连接，从事件 #\\d+ 之后续传，未遗漏预警。")));
            assertThat(failures.messages()).noneMatch(message -> message.contains("unexpected failure"));
        }

        // and what happens after the reconnection still arrives
        String later = account(institution("重连之后学校", "110101"));
        deposit(later, "RC-2", 61, "10.00", 1);
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("article.alert-item[data-alert-id^='CHARGE_CAP_EXCEEDED:" + later + "']")));
    }

    @Test
    void aHeldOutflowIsApprovedFromTheQueueOldestFirst() {
        signInAsBeijing();
        browser.findElement(By.id("nav-held")).click();
        By row = By.cssSelector("#held-table tr[data-held-outflow-id='" + heldOutflowId + "']");
        WebElement waiting = wait.until(ExpectedConditions.visibilityOfElementLocated(row));
        assertThat(waiting.getText()).contains("¥60,000.00").contains("消课划拨").contains(heldAccount);

        waiting.findElement(By.cssSelector("button[data-action='approve']")).click();
        fillDialog("学期已完成，批准划拨");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(row));

        JsonNode approved = http.get(Http.BEIJING, "/api/v1/held-outflows?status=APPROVED&institutionId="
                + heldInstitution).json();
        assertThat(approved.get("content").findValuesAsString("heldOutflowId")).contains(heldOutflowId);
        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + heldAccount).json().get("balance").asString())
                .isEqualTo("28800.00");
    }

    @Test
    void anAccountIsFrozenWithARequiredReasonFromTheInstitutionsPage() throws IOException {
        signInAsBeijing();
        browser.get(base() + "/dashboard#/institution/" + heldInstitution);
        wait.until(ExpectedConditions.attributeToBe(By.id("balance-chart"), "data-points", "13"));
        WebElement accountRow = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#accounts-table tr[data-account-id='" + heldAccount + "']")));
        assertThat(browser.findElement(By.id("orders-table")).getText()).contains("ORD-QM-1").contains("¥75,000.00");
        assertThat(browser.findElement(By.cssSelector(".page-head h1")).getText()).isEqualTo("启明艺术培训中心");
        Browser.screenshot(browser, "console-institution");

        accountRow.findElement(By.cssSelector("button[data-action='freeze']")).click();
        browser.findElement(By.id("dialog-confirm")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-error"))).getText())
                .isEqualTo("请填写理由。");
        fillDialog("涉嫌挪用预收费，冻结待查");
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#accounts-table tr.frozen-row[data-account-id='" + heldAccount + "']")));

        assertThat(http.get(Http.AUDITOR, "/api/v1/accounts/" + heldAccount).json().get("frozen").asBoolean()).isTrue();
        http.post(Http.BEIJING, "/api/v1/accounts/" + heldAccount + "/unfreeze", json("reason", "test over"));
    }

    @Test
    void institutionsAreRankedRiskiestFirstAndFoundByName() throws IOException {
        signInAsBeijing();
        browser.findElement(By.id("nav-institutions")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ranking-table")));
        List<String> risks = browser.findElements(By.cssSelector("#ranking-table tbody tr")).stream()
                .map(row -> row.getAttribute("class").replaceAll(".*risk-(\\w+).*", "$1")).toList();
        List<String> order = List.of("high", "medium", "low", "none");
        assertThat(risks).isNotEmpty().isSortedAccordingTo((a, b) -> order.indexOf(a) - order.indexOf(b));
        Browser.screenshot(browser, "console-ranking");

        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys("青藤", Keys.ENTER);
        wait.until(driver -> driver.getCurrentUrl().contains("q="));
        wait.until(driver -> driver.findElements(By.cssSelector("#ranking-table tbody tr")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("#ranking-table tbody tr")).getAttribute("data-institution-id"))
                .isEqualTo(searchedInstitution);
    }

    @Test
    void theLanguageSwitchesToEnglishAndBack() {
        signInAsBeijing();
        assertThat(browser.findElement(By.id("nav-feed")).getText()).isEqualTo("实时预警");

        browser.findElement(By.id("language")).click();
        wait.until(ExpectedConditions.textToBe(By.id("nav-feed"), "Live alerts"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElement(By.cssSelector(".page-head h1")).getText()).isEqualTo("Live alerts");
        assertThat(browser.findElement(By.id("sign-out")).getText()).isEqualTo("Sign out");

        browser.findElement(By.id("language")).click();
        wait.until(ExpectedConditions.textToBe(By.id("nav-feed"), "实时预警"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
    }

    @Test
    void anAuditorReadsTheHistoryAndSeesAChainAlteredInTheDatabaseShownAsBroken() throws IOException {
        long altered = jdbc.queryForObject("select global_index from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type like '%InterestCredited' order by global_index offset 1 limit 1", Long.class,
                tamperedAccount);
        jdbc.update("update domain_event_entry set payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                + "'\"amountFen\":200', '\"amountFen\":900'), 'UTF8') where global_index = ?", altered);
        long events = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier in (?, ?)",
                Long.class, tamperedInstitution, tamperedAccount);

        signInWith(Http.AUDITOR);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-search")));
        browser.findElement(By.id("audit-search")).sendKeys("星火", Keys.ENTER);
        // the list is drawn once unfiltered, then again with the search's results: click the link that stays
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("a.pick[href='#/audit/" + tamperedInstitution + "']")).click();
            return true;
        });

        wait.until(ExpectedConditions.textToBe(By.id("history-progress"), "已载入 " + events + " 条事件"));
        assertThat(browser.findElements(By.cssSelector("#history-table tbody tr"))).hasSize((int) events);
        assertThat(browser.findElement(By.id("download-csv")).getAttribute("href"))
                .endsWith("/api/v1/institutions/" + tamperedInstitution + "/history?format=csv");

        browser.findElement(By.id("verify")).click();
        WebElement verdict = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".verdict-broken")));
        assertThat(verdict.getText()).contains("已被篡改").contains(String.valueOf(altered)).contains(tamperedAccount);
        WebElement broken = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr.broken")));
        assertThat(broken.getAttribute("data-sequence")).isEqualTo(String.valueOf(altered));
        assertThat(browser.findElements(By.cssSelector("tr.broken"))).hasSize(1);
        browser.executeScript("window.scrollTo(0, 0)");
        Browser.screenshot(browser, "console-audit");

        // the balance as of 15 days ago: after the deposit, before the interest (altered or not)
        String fifteenDaysAgo = LocalDateTime.ofInstant(now.minus(15, ChronoUnit.DAYS), ZoneId.systemDefault())
                .toString();
        browser.executeScript("document.getElementById('as-of').value = arguments[0]", fifteenDaysAgo);
        browser.findElement(By.cssSelector("#balance-form button[type='submit']")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("balance-value"))).getText())
                .isEqualTo("¥6,000.00");

        // the altered amount is not what the read models keep (they take each posting's balance after it), so a
        // replay of the events still matches them: the hash chain finds what a replay cannot
        browser.findElement(By.id("replay")).click();
        WebElement replayed = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("replay-verdict")));
        assertThat(replayed.getText()).isEqualTo("重放结果与实时读模型一致（" + events + " 条事件）。");
    }

    private void signInAsBeijing() {
        signInWith(Http.BEIJING);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("feed-list")));
    }

    private void signInWith(String key) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        input.clear();
        // by keyboard alone: Enter submits the form
        input.sendKeys(key, Keys.ENTER);
    }

    private void fillDialog(String note) {
        WebElement text = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dialog-note")));
        text.clear();
        text.sendKeys(note);
        browser.findElement(By.id("dialog-confirm")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("dialog")));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private String institution(String name, String region) {
        String institution = TestLedger.newInstitutionId().value();
        assertThat(http.post(Http.BEIJING, "/api/v1/institutions", json("institutionId", institution, "name", name,
                "regionCode", region, "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY")).status()).isEqualTo(201);
        assertThat(http.post(Http.BEIJING, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);
        return institution;
    }

    private String account(String institution) {
        String account = TestLedger.unique("BJ-ICBC");
        assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "0200" + Math.abs(account.hashCode()))).status()).isEqualTo(201);
        return account;
    }

    private void deposit(String account, String order, int lessons, String price, int daysAgo) {
        String amount = new BigDecimal(price).multiply(BigDecimal.valueOf(lessons)).toPlainString();
        Answer deposited = posting(account, json("bankTxnId", TestLedger.unique("DEP-" + order), "type", "DEPOSIT",
                "amount", amount, "currency", "CNY", "occurredAt", daysAgo(daysAgo), "orderId", "ORD-" + order,
                "studentRef", "stu-" + order, "lessons", lessons, "lessonPrice", price, "courseStart", "2026-09-01",
                "courseEnd", "2026-11-30"));
        assertThat(deposited.status()).as(deposited.body()).isEqualTo(201);
    }

    private void consume(String account, String order, int lessons, int daysAgo) {
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + account + "/orders/ORD-" + order + "/consumptions",
                json("consumptionId", TestLedger.unique("C-" + order), "lessons", lessons, "occurredAt",
                        daysAgo(daysAgo))).status()).isEqualTo(201);
    }

    private Answer posting(String account, String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    private String daysAgo(int days) {
        return now.minus(days, ChronoUnit.DAYS).atOffset(ZoneOffset.ofHours(8)).toString();
    }
}
