package cn.prepaid.ledger.api.security;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;
import cn.prepaid.ledger.api.support.LedgerIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The headers a scanner looks for, on every kind of answer, and no server version anywhere. */
@LedgerIntegrationTest
class SecurityHeadersTest {

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void apiAnswersAreNeverCachedNeverSniffedAndLoadNothing() {
        String account = http.openActiveAccount("HDR").account();
        for (Answer answer : new Answer[] {
                http.get(Http.AUDITOR, "/api/v1/accounts/" + account),
                http.get(null, "/api/v1/accounts/" + account),
                http.get(Http.BEIJING, "/api/v1/accounts/" + account),
                http.get(Http.AUDITOR, "/api/v1/accounts/NO-SUCH-ACCOUNT"),
                http.post(Http.BANK, "/api/v1/accounts", "{not json")}) {
            assertThat(answer.header("Cache-Control")).as("Cache-Control of a %s", answer.status()).contains("no-store");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Content-Security-Policy")).isEqualTo(SecurityConfiguration.API_CSP);
            assertThat(answer.header("Server")).isNull();
            assertThat(answer.header("X-Powered-By")).isNull();
        }
        assertThat(http.get(null, "/actuator/health").header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void theConsoleMayRunOnlyItsOwnScriptsStylesAndImagesAndIsNeverFramed() {
        for (String path : new String[] {"/dashboard", "/dashboard/", "/dashboard/app.js", "/dashboard/sign-in"}) {
            Answer answer = http.get(null, path);
            String policy = answer.header("Content-Security-Policy");
            assertThat(policy).as(path).isEqualTo(SecurityConfiguration.CONSOLE_CSP)
                    .contains("script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
                            "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
        }
    }

    @Test
    void aRequestTheServletContainerRefusesItselfDoesNotNameItsVersion() throws IOException {
        // a header line without a colon never reaches Spring: Tomcat answers 400 on its own
        String answer = raw("GET /api/v1/accounts HTTP/1.1\r\nHost: localhost\r\nnot a header\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).doesNotContainIgnoringCase("tomcat").doesNotContainIgnoringCase("\r\nServer:");
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
