package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.security.PrincipalDirectory.Verdict;
import cn.prepaid.ledger.api.security.SecurityAudit.Action;
import cn.prepaid.ledger.api.support.LogLines;
import cn.prepaid.ledger.api.support.ThrowAwayCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Demo principals, key rotation, reloading the principals file and certificate binding. */
class PrincipalDirectoryTest {

    private static final String OLD_KEY = "icbc-key-2025-0123456789";
    private static final String NEW_KEY = "icbc-key-2026-0123456789";
    private static final String AUDITOR_KEY = "auditor-key-0123456789";

    private final SecurityAudit audit = new SecurityAudit(Clock.systemUTC());
    private final List<PrincipalDirectory> opened = new ArrayList<>();

    @AfterEach
    void closeDirectories() {
        opened.forEach(PrincipalDirectory::close);
    }

    @Test
    void demoPrincipalsAreWrittenForTheLedgersUserOnlyAndTheLogSaysWhereAndWhatFor(@TempDir Path data)
            throws Exception {
        Path demo = data.resolve("demo-principals.json");
        try (LogLines log = new LogLines(PrincipalDirectory.class.getName())) {
            PrincipalDirectory directory = open("", demo, 0);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo))).isEqualTo("rw-------");
            assertThat(log.messages()).anySatisfy(line -> assertThat(line).contains(demo.toAbsolutePath().toString())
                    .contains("for trying the ledger only"));
            JsonNode written = JsonMapper.builder().build().readTree(demo.toFile());
            assertThat(written).hasSize(4);
            String bankKey = written.get(0).get("apiKey").asString();
            assertThat(directory.authenticate(bankKey, null).principal().name()).isEqualTo("demo-bank");
        }
    }

    @Test
    void aDemoFileAnEarlierVersionLeftReadableByEveryoneIsMadeOwnerOnly(@TempDir Path data) throws Exception {
        Path demo = data.resolve("demo-principals.json");
        Files.writeString(demo, principals(bank(List.of(OLD_KEY), null)));
        Files.setPosixFilePermissions(demo, PosixFilePermissions.fromString("rw-r--r--"));
        open("", demo, 0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo))).isEqualTo("rw-------");
    }

    @Test
    void aBankHoldsTwoKeysWhileItSwitchesOver(@TempDir Path data) throws Exception {
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals(bank(List.of(OLD_KEY, NEW_KEY), null), auditor()));
        PrincipalDirectory directory = open(file.toString(), null, 0);
        assertThat(directory.authenticate(OLD_KEY, null).principal().name()).isEqualTo("icbc-hangzhou");
        assertThat(directory.authenticate(NEW_KEY, null).principal().name()).isEqualTo("icbc-hangzhou");
        assertThat(directory.authenticate(AUDITOR_KEY, null).principal().role()).isEqualTo(Role.AUDITOR);
        Verdict unknown = directory.authenticate("icbc-key-2024-0123456789", null);
        assertThat(unknown.principal()).isNull();
        assertThat(unknown.refusal()).isEqualTo(Action.API_KEY_REFUSED);
    }

    @Test
    void theFileIsReadAgainWhenItChangesAndARevokedKeyStopsWorkingOnEveryNode(@TempDir Path data) throws Exception {
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals(bank(List.of(OLD_KEY), null), auditor()));
        // two nodes, each polling the same file
        PrincipalDirectory nodeA = open(file.toString(), null, 50);
        PrincipalDirectory nodeB = open(file.toString(), null, 50);
        assertThat(nodeA.authenticate(NEW_KEY, null).principal()).isNull();

        try (LogLines auditLines = new LogLines(SecurityAudit.LOGGER)) {
            replace(file, principals(bank(List.of(OLD_KEY, NEW_KEY), null), auditor()));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(nodeA.authenticate(NEW_KEY, null).principal()).isNotNull();
                assertThat(nodeB.authenticate(NEW_KEY, null).principal()).isNotNull();
            });
            assertThat(nodeA.authenticate(OLD_KEY, null).principal()).isNotNull();

            // the switch-over is done: the old key is revoked
            replace(file, principals(bank(List.of(NEW_KEY), null), auditor()));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(nodeA.authenticate(OLD_KEY, null).principal()).isNull();
                assertThat(nodeB.authenticate(OLD_KEY, null).principal()).isNull();
            });
            assertThat(nodeB.authenticate(NEW_KEY, null).principal().bankCode()).isEqualTo("ICBC-HZ");

            // each node reloaded twice (the line is written just after the swap)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reloads(auditLines)).hasSize(4));
            assertThat(reloads(auditLines)).allSatisfy(line ->
                    assertThat(line.get("outcome").asString()).isEqualTo("SUCCEEDED"));
            JsonNode reload = reloads(auditLines).get(0);
            assertThat(reload.get("details").get("changed").get(0).asString()).isEqualTo("icbc-hangzhou");
            assertThat(reload.get("details").get("file").asString()).isEqualTo(file.toAbsolutePath().toString());
            assertThat(String.join("\n", auditLines.messages())).doesNotContain(OLD_KEY).doesNotContain(NEW_KEY);
        }
    }

    @Test
    void aChangedFileThatIsNotValidKeepsTheLastGoodPrincipalsAndSaysSoWithoutQuotingKeys(@TempDir Path data)
            throws Exception {
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals(bank(List.of(OLD_KEY), null), auditor()));
        PrincipalDirectory directory = open(file.toString(), null, 50);
        try (LogLines auditLines = new LogLines(SecurityAudit.LOGGER)) {
            // half-written: a key cut off mid-string
            replace(file, "[{\"name\": \"icbc-hangzhou\", \"role\": \"BANK\", \"apiKey\": \"" + NEW_KEY);
            await().atMost(Duration.ofSeconds(5)).until(() -> !auditLines.messages().isEmpty());
            JsonNode failed = JsonMapper.builder().build().readTree(auditLines.messages().get(0));
            assertThat(failed.get("outcome").asString()).isEqualTo("FAILED");
            assertThat(failed.get("details").get("reason").asString()).isEqualTo("the principals file is not valid JSON");
            assertThat(auditLines.messages().get(0)).doesNotContain(NEW_KEY);
        }
        assertThat(directory.authenticate(OLD_KEY, null).principal().name()).isEqualTo("icbc-hangzhou");
    }

    @Test
    void aFileThatWouldGiveOneKeyToTwoPrincipalsIsRefusedAtStart(@TempDir Path data) throws Exception {
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals(bank(List.of(OLD_KEY), null),
                "{\"name\": \"audit-office\", \"role\": \"AUDITOR\", \"apiKey\": \"" + OLD_KEY + "\"}"));
        assertThatThrownBy(() -> open(file.toString(), null, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("principals icbc-hangzhou and audit-office hold the same key");
    }

    @Test
    void twoPrincipalsOfOneNameAreRefusedAndOneIsFoundByItsName(@TempDir Path data) throws Exception {
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals(auditor(),
                "{\"name\": \"audit-office\", \"role\": \"REGULATOR\", \"regionPrefix\": \"\", \"apiKey\": \""
                        + NEW_KEY + "\"}"));
        assertThatThrownBy(() -> open(file.toString(), null, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("principal audit-office is named twice; names must be unique");

        Files.writeString(file, principals(auditor(), bank(List.of(OLD_KEY), null)));
        PrincipalDirectory directory = open(file.toString(), null, 0);
        assertThat(directory.named("audit-office")).get().extracting(ApiPrincipal::role).isEqualTo(Role.AUDITOR);
        assertThat(directory.named("nobody")).isEmpty();
    }

    @Test
    void aBankBoundToItsCertificateSubjectSignsInWithTheCertificateAloneOrWithKeyAndCertificate(@TempDir Path data)
            throws Exception {
        ThrowAwayCa ca = new ThrowAwayCa("Bank clients CA");
        X509Certificate icbc = ca.issueClient("CN=icbc-hangzhou,O=ICBC,C=CN").certificate();
        X509Certificate abc = ca.issueClient("CN=abc-hangzhou,O=ABC,C=CN").certificate();
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals(
                // key and certificate: both required
                bank(List.of(OLD_KEY), "CN=icbc-hangzhou, O=ICBC, C=CN"),
                // certificate instead of a key
                "{\"name\": \"abc-hangzhou\", \"role\": \"BANK\", \"bankCode\": \"ABC-HZ\", "
                        + "\"certificateSubject\": \"CN=abc-hangzhou,O=ABC,C=CN\"}"));
        PrincipalDirectory directory = open(file.toString(), null, 0);

        assertThat(directory.authenticate(OLD_KEY, icbc).principal().bankCode()).isEqualTo("ICBC-HZ");
        assertThat(directory.authenticate(OLD_KEY, null).refusal()).isEqualTo(Action.CERTIFICATE_REFUSED);
        assertThat(directory.authenticate(OLD_KEY, abc).refusal()).isEqualTo(Action.CERTIFICATE_REFUSED);
        assertThat(directory.authenticate(null, abc).principal().bankCode()).isEqualTo("ABC-HZ");
        // ICBC's certificate alone is not enough: ICBC is bound to its key as well
        assertThat(directory.authenticate(null, icbc).refusal()).isEqualTo(Action.CERTIFICATE_REFUSED);
        assertThat(directory.authenticate(null, null)).isEqualTo(new Verdict(null, null, null));
    }

    @Test
    void onlyBanksAreBoundToCertificates(@TempDir Path data) throws Exception {
        Path file = data.resolve("principals.json");
        Files.writeString(file, principals("{\"name\": \"audit-office\", \"role\": \"AUDITOR\", "
                + "\"certificateSubject\": \"CN=auditor\"}"));
        assertThatThrownBy(() -> open(file.toString(), null, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("principal audit-office: only banks sign in with a client certificate");
    }

    private PrincipalDirectory open(String file, Path demo, long reloadMillis) throws Exception {
        PrincipalDirectory directory = new PrincipalDirectory(file, demo == null ? "" : demo.toString(), reloadMillis,
                audit);
        opened.add(directory);
        return directory;
    }

    private static List<JsonNode> reloads(LogLines auditLines) {
        return auditLines.messages().stream().map(JsonMapper.builder().build()::readTree)
                .filter(line -> line.get("action").asString().equals("PRINCIPALS_RELOADED")).toList();
    }

    /** As an operator should: a new file moved over the old one, so no reader sees it half-written. */
    private static void replace(Path file, String content) throws Exception {
        Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String bank(List<String> keys, String certificateSubject) {
        return "{\"name\": \"icbc-hangzhou\", \"role\": \"BANK\", \"bankCode\": \"ICBC-HZ\", \"apiKeys\": "
                + keys.stream().map(key -> "\"" + key + "\"").toList()
                + (certificateSubject == null ? "" : ", \"certificateSubject\": \"" + certificateSubject + "\"") + "}";
    }

    private static String auditor() {
        return "{\"name\": \"audit-office\", \"role\": \"AUDITOR\", \"apiKey\": \"" + AUDITOR_KEY + "\"}";
    }

    private static String principals(String... entries) {
        return "[" + String.join(",\n", entries) + "]";
    }
}
