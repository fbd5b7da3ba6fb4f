package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Platforms and auditors bound in the principals file to a region or to assigned institutions. */
@LedgerIntegrationTest
class ScopeBindingHttpTest {

    /** Bound to the Zhejiang region (33). */
    static final String ZHEJIANG_PLATFORM = "test-platform-zhejiang-0123456789";
    /** Bound to one institution, {@link #ASSIGNED}. */
    static final String ASSIGNED_AUDITOR = "test-auditor-assigned-0123456789";
    static final String ASSIGNED = "91330106MA0013013T";
    static final String BEIJING_SCHOOL = "91110105MA0013013N";

    @LocalServerPort
    int port;

    private String openInstitution(Http http, String regulator, String institution, String region) {
        assertThat(http.post(regulator, "/api/v1/institutions", json("institutionId", institution, "name", "学校",
                "regionCode", region, "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY")).status())
                .isEqualTo(201);
        assertThat(http.post(regulator, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);
        String account = TestLedger.unique("ACC");
        assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId", institution,
                "bankAccountNo", "6222")).status()).isEqualTo(201);
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", json("bankTxnId",
                account + "-D", "type", "DEPOSIT", "amount", "1000.00", "currency", "CNY", "occurredAt",
                "2026-03-02T09:00:00+08:00", "orderId", "O-1", "studentRef", "s-1", "lessons", 10, "lessonPrice",
                "100.00", "courseStart", "2026-03-02", "courseEnd", "2026-05-31")).status()).isEqualTo(201);
        return account;
    }

    @Test
    void boundPlatformsAndAuditorsReachOnlyTheirInstitutionsAndReplaysAreScopedLikeTheirInstitution() {
        Http http = new Http(port);
        String assignedAccount = openInstitution(http, Http.ZHEJIANG, ASSIGNED, "330106");
        String beijingAccount = openInstitution(http, Http.BEIJING, BEIJING_SCHOOL, "110105");

        assertThat(http.get(ASSIGNED_AUDITOR, "/api/v1/institutions/" + ASSIGNED).status()).isEqualTo(200);
        assertThat(http.get(ASSIGNED_AUDITOR, "/api/v1/institutions/" + BEIJING_SCHOOL).status()).isEqualTo(403);
        assertThat(http.get(ASSIGNED_AUDITOR, "/api/v1/accounts/" + beijingAccount + "/balance?asOf="
                + "2026-04-01T00:00:00Z").status()).isEqualTo(403);
        assertThat(http.get(Http.AUDITOR, "/api/v1/institutions/" + BEIJING_SCHOOL).status())
                .as("an auditor bound to nothing reaches every institution").isEqualTo(200);

        Answer assignedList = http.get(ASSIGNED_AUDITOR, "/api/v1/institutions?size=500");
        assertThat(assignedList.status()).isEqualTo(200);
        assertThat(assignedList.json().get("content").valueStream().map(row -> row.get("institutionId").asString()))
                .as("a list shows an assigned auditor its institutions only").containsExactly(ASSIGNED);
        assertThat(assignedList.json().get("totalElements").asLong()).isEqualTo(1);
        Answer zhejiangList = http.get(ZHEJIANG_PLATFORM, "/api/v1/institutions?size=500");
        assertThat(zhejiangList.json().get("content").valueStream().map(row -> row.get("regionCode").asString()))
                .as("a platform bound to a region lists that region only").isNotEmpty().allMatch(region -> region.startsWith("33"));

        // an alert of another institution (a charge over the cap) is in an unbound auditor's list, not in the assigned one's
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + beijingAccount + "/transactions", json("bankTxnId",
                beijingAccount + "-CAP", "type", "DEPOSIT", "amount", "6100.00", "currency", "CNY", "occurredAt",
                "2026-03-04T09:00:00+08:00", "orderId", "O-CAP", "studentRef", "s-2", "lessons", 61, "lessonPrice",
                "100.00", "courseStart", "2026-03-04", "courseEnd", "2026-05-31")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.get(Http.AUDITOR,
                "/api/v1/alerts?institutionId=" + BEIJING_SCHOOL).json().get("totalElements").asLong()).isPositive());
        Answer hidden = http.get(ASSIGNED_AUDITOR, "/api/v1/alerts?institutionId=" + BEIJING_SCHOOL);
        assertThat(hidden.json().get("totalElements").asLong()).isZero();
        assertThat(hidden.json().get("content").size()).isZero();
        assertThat(http.get(ASSIGNED_AUDITOR, "/api/v1/alerts?size=500").json().get("content").valueStream()
                .map(row -> row.get("institutionId").asString()))
                .as("an assigned auditor's alert list holds its institutions' alerts only").allMatch(ASSIGNED::equals);

        assertThat(http.post(ZHEJIANG_PLATFORM, "/api/v1/accounts/" + beijingAccount + "/orders/O-1/consumptions",
                json("consumptionId", "C-1", "lessons", 1, "occurredAt", "2026-03-03T09:00:00+08:00")).status())
                .isEqualTo(403);
        assertThat(http.post(ZHEJIANG_PLATFORM, "/api/v1/accounts/" + assignedAccount + "/orders/O-1/consumptions",
                json("consumptionId", "C-1", "lessons", 1, "occurredAt", "2026-03-03T09:00:00+08:00")).status())
                .isEqualTo(201);

        Answer beijingReplay = http.post(Http.REGULATOR, "/api/v1/audit/replays",
                json("institutionId", BEIJING_SCHOOL));
        Answer ownReplay = http.post(ASSIGNED_AUDITOR, "/api/v1/audit/replays", json("institutionId", ASSIGNED));
        assertThat(beijingReplay.status()).isEqualTo(202);
        assertThat(ownReplay.status()).isEqualTo(202);
        assertThat(http.get(ASSIGNED_AUDITOR, "/api/v1/audit/replays/"
                + beijingReplay.json().get("replayId").asString()).status()).isEqualTo(403);
        assertThat(http.get(ASSIGNED_AUDITOR, "/api/v1/audit/replays/"
                + ownReplay.json().get("replayId").asString()).status()).isEqualTo(200);
        assertThat(http.get(Http.ZHEJIANG, "/api/v1/audit/replays/"
                + beijingReplay.json().get("replayId").asString()).status())
                .as("a regional regulator cannot follow a replay of another region").isEqualTo(403);
        assertThat(http.post(ASSIGNED_AUDITOR, "/api/v1/audit/replays", null).status())
                .as("the whole ledger is beyond an assigned auditor").isEqualTo(403);
    }
}
