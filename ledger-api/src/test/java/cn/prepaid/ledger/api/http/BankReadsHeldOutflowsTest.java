package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.BankFlows;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.OffsetDateTime;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A custodian bank reads the decisions on its own held outflows, and a closed institution's refund obligations. */
@LedgerIntegrationTest
class BankReadsHeldOutflowsTest {

    @LocalServerPort
    int port;
    Http http;
    BankFlows flows;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        flows = new BankFlows(http);
    }

    @Test
    void aBankReadsItsOwnHeldOutflowsWithTheirDecisionsAndNotAnotherBanks() {
        Http.Opened opened = http.openActiveAccount("HELD-READ");
        flows.depositAndConsume(opened.account(), "ORD-1");
        flows.depositAndConsume(opened.account(), "ORD-2");
        String approved = flows.heldRelease(opened.account(), "ORD-1");
        String rejected = flows.heldRelease(opened.account(), "ORD-2");

        JsonNode pending = held(approved).json();
        assertThat(pending.get("status").asString()).as("read after the 202, without waiting").isEqualTo("PENDING");
        assertThat(pending.get("accountId").asString()).isEqualTo(opened.account());
        assertThat(pending.get("amount").asString()).isEqualTo("60000.00");
        assertThat(pending.has("decidedAt")).isFalse();
        assertThat(pending.has("postingId")).isFalse();

        String postingId = flows.approve(approved, "凭证齐全").json().get("postingId").asString();
        flows.reject(rejected, "未消课");

        JsonNode approval = held(approved).json();
        assertThat(approval.get("status").asString()).as("read after the decision, without waiting")
                .isEqualTo("APPROVED");
        assertThat(approval.get("decidedBy").asString()).isEqualTo("zhejiang-education");
        assertThat(approval.get("decidedAt").asString()).isNotBlank();
        assertThat(approval.get("note").asString()).isEqualTo("凭证齐全");
        assertThat(approval.has("reason")).isFalse();
        assertThat(approval.get("postingId").asString()).isEqualTo(postingId);

        JsonNode rejection = held(rejected).json();
        assertThat(rejection.get("status").asString()).isEqualTo("REJECTED");
        assertThat(rejection.get("reason").asString()).isEqualTo("未消课");
        assertThat(rejection.has("note")).isFalse();
        assertThat(rejection.has("postingId")).isFalse();

        JsonNode own = http.get(Http.BANK, "/api/v1/held-outflows?size=500").json().get("content");
        assertThat(own).anySatisfy(h -> assertThat(h.get("heldOutflowId").asString()).isEqualTo(approved));
        assertThat(own).allSatisfy(h -> assertThat(h.get("accountId").asString()).doesNotStartWith("ABC"));
        JsonNode others = http.get(Http.OTHER_BANK, "/api/v1/held-outflows?size=500").json().get("content");
        assertThat(others).noneSatisfy(h -> assertThat(h.get("accountId").asString()).isEqualTo(opened.account()));
        Answer foreign = http.get(Http.OTHER_BANK, "/api/v1/held-outflows/" + approved);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("code").asString()).isEqualTo("HELD_OUTFLOW_NOT_FOUND");
        assertThat(http.get(Http.BEIJING, "/api/v1/held-outflows/" + approved).status()).as("out of region")
                .isEqualTo(404);
        assertThat(http.post(Http.BANK, "/api/v1/held-outflows/" + rejected + "/approve", null).status())
                .as("banks read decisions, they do not make them").isEqualTo(403);
    }

    @Test
    void aClosedInstitutionsRefundObligationsAreReadByTheBankHoldingItsAccounts() {
        Http.Opened opened = http.openActiveAccount("OBLIGE");
        flows.depositAndConsume(opened.account(), "ORD-R");
        String path = "/api/v1/institutions/" + opened.institution() + "/refund-obligations";
        assertThat(http.get(Http.BANK, path).json().get("totalElements").asLong()).as("open: nothing owed yet")
                .isZero();
        assertThat(http.post(Http.ZHEJIANG, "/api/v1/institutions/" + opened.institution() + "/close",
                json("reason", "终止办学")).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(Http.BANK, path).json().get("totalElements").asLong() == 1);
        JsonNode owed = http.get(Http.BANK, path).json().get("content").get(0);
        assertThat(owed.get("accountId").asString()).isEqualTo(opened.account());
        assertThat(owed.get("orderId").asString()).isEqualTo("ORD-R");
        assertThat(owed.get("studentRef").asString()).isEqualTo("stu-ORD-R");
        assertThat(owed.get("amount").asString()).isEqualTo("15000.00");
        assertThat(owed.get("paid").asString()).isEqualTo("0.00");

        String refund = json("bankTxnId", opened.account() + "-REF-R", "type", "REFUND", "amount", "6000.00", "currency", "CNY",
                "occurredAt", OffsetDateTime.now().minusMinutes(1).withNano(0).toString(), "orderId", "ORD-R");
        assertThat(http.post(Http.BANK, "/api/v1/accounts/" + opened.account() + "/transactions", refund).status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(Http.BANK, path).json().get("content").get(0)
                .get("paid").asString().equals("6000.00"));
        assertThat(http.get(Http.BANK, path).json().get("content").get(0).get("outstanding").asString())
                .isEqualTo("9000.00");

        assertThat(http.get(Http.OTHER_BANK, path).status()).as("holds no account of it").isEqualTo(403);
        assertThat(http.get(Http.ZHEJIANG, path).json().get("totalElements").asLong()).isEqualTo(1);
        assertThat(http.get(Http.BEIJING, path).status()).isEqualTo(403);
    }

    private Answer held(String heldOutflowId) {
        return http.get(Http.BANK, "/api/v1/held-outflows/" + heldOutflowId);
    }
}
