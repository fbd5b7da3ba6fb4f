package cn.prepaid.ledger.api.console;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The session cookie's attributes, over TLS and not (ConsoleSessionTest sees the plain-HTTP one on the wire). */
class ConsoleCookieTest {

    @Test
    void overTlsTheCookieIsSecureAsWellAsHttpOnlyAndStrict() {
        MockHttpServletRequest overTls = new MockHttpServletRequest();
        overTls.setSecure(true);

        String cookie = ConsoleSessionController.cookie(overTls, "session-id", Duration.ofHours(4)).toString();

        assertThat(cookie).startsWith("ledger_console=session-id; Path=/; Max-Age=14400; Expires=")
                .endsWith("; Secure; HttpOnly; SameSite=Strict");
    }

    @Test
    void overPlainHttpItCannotBeSecureButKeepsTheRest() {
        String cookie = ConsoleSessionController.cookie(new MockHttpServletRequest(), "", Duration.ZERO).toString();

        assertThat(cookie).startsWith("ledger_console=; Path=/; Max-Age=0;").endsWith("; HttpOnly; SameSite=Strict")
                .doesNotContain("Secure");
    }
}
