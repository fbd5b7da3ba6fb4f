package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import cn.prepaid.ledger.api.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.ArrayList;
import java.util.List;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The money rules of issue 13 as a bank and a regulator meet them over HTTP. */
@LedgerIntegrationTest
class MoneyRulesHttpTest {

    private static final String DEPOSITED_AT = "2026-03-02T09:00:00+08:00";

    @LocalServerPort
    int port;

    /** An approved FULL_CUSTODY institution in 330106 with a ¥100,000 minimum balance and the given accounts at ICBC. */
    private List<String> institutionWithAccounts(Http http, String institution, int count) {
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions", json("institutionId", institution, "name",
                "两个账户的学校", "regionCode", "330106", "category", "SUBJECT", "supervisionMode", "FULL_CUSTODY"))
                .status()).isEqualTo(201);
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);
        assertThat(http.put(Http.ZHEJIANG, "/api/v1/institutions/" + institution + "/policy", json(
                "minimumBalance", "100000.00", "liabilityRatio", "0.20", "largeTransferThreshold", "500000.00",
                "largeTransferRatio", "0.90", "largeTransferRatioFrom", "10000.00")).status()).isEqualTo(200);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = TestLedger.unique("ACC");
            assertThat(http.post(Http.BANK, "/api/v1/accounts", json("accountId", account, "institutionId",
                    institution, "bankAccountNo", "6222" + i)).status()).isEqualTo(201);
            accounts.add(account);
        }
        return accounts;
    }

    private static String deposit(String bankTxnId, String orderId, int lessons, String lessonPrice, String amount) {
        return json("bankTxnId", bankTxnId, "type", "DEPOSIT", "amount", amount, "currency", "CNY",
                "occurredAt", DEPOSITED_AT, "orderId", orderId, "studentRef", "stu-" + orderId, "lessons", lessons,
                "lessonPrice", lessonPrice, "courseStart", "2026-03-02", "courseEnd", "2026-05-31");
    }

    private static Answer post(Http http, String account, String body) {
        return http.post(Http.BANK, "/api/v1/accounts/" + account + "/transactions", body);
    }

    @Test
    void aReleaseIsJudgedAgainstTheInstitutionsFloorAndEachAccountAnswersItsShare() {
        Http http = new Http(port);
        String institution = TestLedger.newInstitutionId().value();
        List<String> accounts = institutionWithAccounts(http, institution, 2);
        String a = accounts.get(0);
        String b = accounts.get(1);
        // A: ¥120,000 in two orders, 30 of O-A1's 60 lessons delivered. B: ¥300,000 of which ¥250,000 is earned.
        assertThat(post(http, a, deposit("A-1", "O-A1", 60, "1000.00", "60000.00")).status()).isEqualTo(201);
        assertThat(post(http, a, deposit("A-2", "O-A2", 60, "1000.00", "60000.00")).status()).isEqualTo(201);
        assertThat(post(http, b, deposit("B-1", "O-B1", 50, "6000.00", "300000.00")).status()).isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + a + "/orders/O-A1/consumptions", json(
                "consumptionId", "C-A1", "lessons", 30, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + b + "/orders/O-B1/consumptions", json(
                "consumptionId", "C-B1", "lessons", 40, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);

        // A alone would keep ¥90,000 of a ¥100,000 minimum; the institution keeps ¥390,000.
        Answer release = post(http, a, json("bankTxnId", "A-REL", "type", "RELEASE", "amount", "30000.00",
                "currency", "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "orderId", "O-A1"));
        assertThat(release.status()).as(release.body()).isEqualTo(201);
        assertThat(release.json().get("status").asString()).isEqualTo("RELEASED");

        // Unearned tuition: A ¥90,000 (O-A1's 30 undelivered lessons and O-A2), B ¥60,000. The institution's floor:
        // max(¥100,000, 20 % of ¥150,000) = ¥100,000, and each account answers its share of it, 90 : 60.
        await().untilAsserted(() -> {
            Answer institutionView = http.get(Http.ZHEJIANG, "/api/v1/institutions/" + institution);
            assertThat(institutionView.json().get("totalBalance").asString()).isEqualTo("390000.00");
            assertThat(institutionView.json().get("floor").asString()).isEqualTo("100000.00");
            assertThat(http.get(Http.BANK, "/api/v1/accounts/" + a).json().get("floor").asString())
                    .isEqualTo("60000.00");
            assertThat(http.get(Http.BANK, "/api/v1/accounts/" + b).json().get("floor").asString())
                    .isEqualTo("40000.00");
        });

        // B's ¥240,000 earned leaves the institution ¥150,000: paid. Then A's O-A2, all delivered, cannot leave:
        // ¥60,000 more would leave ¥90,000 against the ¥100,000 floor.
        assertThat(post(http, b, json("bankTxnId", "B-REL", "type", "RELEASE", "amount", "240000.00", "currency",
                "CNY", "occurredAt", "2026-03-10T09:00:00+08:00", "orderId", "O-B1")).status()).isEqualTo(201);
        assertThat(http.post(Http.PLATFORM, "/api/v1/accounts/" + a + "/orders/O-A2/consumptions", json(
                "consumptionId", "C-A2", "lessons", 60, "occurredAt", "2026-03-09T18:00:00+08:00")).status())
                .isEqualTo(201);
        Answer belowFloor = post(http, a, json("bankTxnId", "A-REL-2", "type", "RELEASE", "amount", "60000.00",
                "currency", "CNY", "occurredAt", "2026-03-10T10:00:00+08:00", "orderId", "O-A2"));
        assertThat(belowFloor.status()).as(belowFloor.body()).isEqualTo(422);
        assertThat(belowFloor.json().get("reason").asString()).isEqualTo("BREACHES_FLOOR");
        assertThat(belowFloor.json().get("detail").asString())
                .isEqualTo("the institution's balance after would be below its floor of 100000.00");
    }
}
