package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.PoisonRule;
import cn.prepaid.ledger.api.support.ThrowAwayCa.Issued;
import cn.prepaid.ledger.api.support.ThrowAwayCa;
import cn.prepaid.ledger.store.support.TestLedger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import static cn.prepaid.ledger.api.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger on HTTPS with Spring Boot SSL bundles and mutual TLS required, with a certificate
 * authority made for this test: a client without a certificate, or with one from another authority,
 * is refused during the handshake; a bank signs in with its certificate alone, or with its key and
 * its certificate together when its principal is bound to both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(PoisonRule.class)
class MutualTlsTest {

    private static final String ICBC_KEY = "icbc-key-with-certificate-0123456789";
    private static final String REGULATOR_KEY = "regulator-key-0123456789";

    static ThrowAwayCa serverCa;
    static Issued icbc;
    static Issued abc;
    static Issued regulator;
    static Issued stranger;

    @LocalServerPort
    int port;
    @Value("${ledger.security-audit.file}")
    Path auditFile;

    @DynamicPropertySource
    static void httpsWithClientCertificates(DynamicPropertyRegistry properties) throws Exception {
        Path dir = Files.createTempDirectory("ledger-tls-");
        serverCa = new ThrowAwayCa("Ledger server CA");
        ThrowAwayCa bankCa = new ThrowAwayCa("Bank clients CA");
        Path server = serverCa.issueServer().writePem(dir, "server");
        Path bankClients = bankCa.writeCertificate(dir, "bank-ca");
        icbc = bankCa.issueClient("CN=icbc-hangzhou,O=ICBC,C=CN");
        abc = bankCa.issueClient("CN=abc-hangzhou,O=ABC,C=CN");
        regulator = bankCa.issueClient("CN=zhejiang-education,O=Zhejiang,C=CN");
        stranger = new ThrowAwayCa("Someone else's CA").issueClient("CN=abc-hangzhou,O=ABC,C=CN");
        Path principals = dir.resolve("principals.json");
        Files.writeString(principals, "["
                + "{\"name\": \"icbc-hangzhou\", \"role\": \"BANK\", \"bankCode\": \"ICBC-HZ\", \"apiKey\": \""
                + ICBC_KEY + "\", \"certificateSubject\": \"CN=icbc-hangzhou,O=ICBC,C=CN\"},"
                + "{\"name\": \"abc-hangzhou\", \"role\": \"BANK\", \"bankCode\": \"ABC-HZ\", "
                + "\"certificateSubject\": \"CN=abc-hangzhou,O=ABC,C=CN\"},"
                + "{\"name\": \"zhejiang-education\", \"role\": \"REGULATOR\", \"regionPrefix\": \"33\", \"apiKey\": \""
                + REGULATOR_KEY + "\"}]");
        properties.add("ledger.principals-file", principals::toString);
        properties.add("server.ssl.bundle", () -> "ledger");
        properties.add("server.ssl.client-auth", () -> "need");
        properties.add("spring.ssl.bundle.pem.ledger.keystore.certificate", () -> "file:" + server);
        properties.add("spring.ssl.bundle.pem.ledger.keystore.private-key", () -> "file:" + dir.resolve("server.key"));
        // only certificates this authority issued are let in
        properties.add("spring.ssl.bundle.pem.ledger.truststore.certificate", () -> "file:" + bankClients);
    }

    @Test
    void aClientWithoutACertificateIsRefusedDuringTheHandshake() throws Exception {
        Http withoutCertificate = client(null);
        assertThatThrownBy(() -> withoutCertificate.get(null, "/actuator/health")).hasCauseInstanceOf(SSLException.class);
    }

    @Test
    void aCertificateFromAnotherAuthorityIsRefusedEvenWithTheRightSubject() throws Exception {
        Http withForeignCertificate = client(stranger);
        assertThatThrownBy(() -> withForeignCertificate.get(null, "/actuator/health"))
                .hasCauseInstanceOf(SSLException.class);
    }

    @Test
    void aBankSignsInWithItsCertificateAloneOrWithItsKeyAndCertificateTogether() throws Exception {
        Http asRegulator = client(regulator);
        assertThat(asRegulator.get(null, "/actuator/health").status()).isEqualTo(200);
        String institution = TestLedger.newInstitutionId().value();
        assertThat(asRegulator.post(REGULATOR_KEY, "/api/v1/institutions", json("institutionId", institution,
                "name", "双向认证学校", "regionCode", "330106", "category", "SUBJECT",
                "supervisionMode", "FULL_CUSTODY")).status()).isEqualTo(201);
        assertThat(asRegulator.post(REGULATOR_KEY, "/api/v1/institutions/" + institution + "/approve", null).status())
                .isEqualTo(200);

        // ABC: no key, its certificate is its credential
        Answer byCertificate = client(abc).post(null, "/api/v1/accounts", json("accountId",
                TestLedger.unique("MTLS-ABC"), "institutionId", institution, "bankAccountNo", "6222000011112222"));
        assertThat(byCertificate.status()).as(byCertificate.body()).isEqualTo(201);
        assertThat(byCertificate.json().get("bankCode").asString()).isEqualTo("ABC-HZ");

        // ICBC: key and certificate, both needed
        Answer byBoth = client(icbc).post(ICBC_KEY, "/api/v1/accounts", json("accountId",
                TestLedger.unique("MTLS-ICBC"), "institutionId", institution, "bankAccountNo", "6222000011113333"));
        assertThat(byBoth.status()).as(byBoth.body()).isEqualTo(201);
        assertThat(byBoth.json().get("bankCode").asString()).isEqualTo("ICBC-HZ");
        assertThat(byBoth.header("Strict-Transport-Security")).isNotNull();

        // ICBC's key over ABC's connection: the key alone does not sign ICBC in, and the attempt is audited
        String icbcAccount = "/api/v1/accounts/" + byBoth.json().get("accountId").asString();
        assertThat(client(abc).get(ICBC_KEY, icbcAccount).status()).isEqualTo(401);
        assertThat(Files.readAllLines(auditFile)).filteredOn(line -> line.contains("GET " + icbcAccount))
                .singleElement().asString().contains("\"action\":\"CERTIFICATE_REFUSED\"")
                .contains("must present its client certificate").doesNotContain(ICBC_KEY);
    }

    /** A client trusting the ledger's server certificate, presenting {@code client}'s certificate if given. */
    private Http client(Issued client) throws GeneralSecurityException {
        return new Http("https://localhost:" + port,
                HttpClient.newBuilder().sslContext(ThrowAwayCa.clientContext(serverCa, client)).build());
    }
}
