package cn.prepaid.ledger.api.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlPolicyTest {

    static WebhookUrlPolicy policy(boolean allowHttpLocalhost) {
        return new WebhookUrlPolicy(new WebhookSettings(allowHttpLocalhost, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24), Duration.ofMillis(500), 4));
    }

    @Test
    void inProductionLoopbackIsRefusedWhateverTheScheme() {
        WebhookUrlPolicy production = policy(false);
        assertThat(production.problemWith("http://127.0.0.1:9000/hooks")).contains("must use https");
        assertThat(production.problemWith("http://localhost:9000/hooks")).contains("must use https");
        assertThat(production.problemWith("https://127.0.0.1/hooks")).get().asString().contains("loopback");
        assertThat(production.problemWith("https://localhost/hooks")).get().asString().contains("loopback");
        assertThat(production.problemWith("https://[::1]/hooks")).get().asString().contains("loopback");
    }

    @Test
    void privateLinkLocalAndMetadataAddressesAreRefusedEvenWhenLocalhostIsAllowed() {
        WebhookUrlPolicy tests = policy(true);
        for (String url : new String[]{"https://169.254.169.254/latest/meta-data/", "https://10.0.0.8/hooks",
                "https://172.16.5.4/hooks", "https://192.168.0.10/hooks", "https://100.64.0.1/hooks",
                "https://0.0.0.0/hooks", "https://[fe80::1]/hooks", "https://[fd00:ec2::254]/hooks"}) {
            assertThat(tests.problemWith(url)).as(url).get().asString().contains("private, link-local or loopback");
        }
    }

    @Test
    void malformedOrUnsafeUrlsAreRefused() {
        WebhookUrlPolicy tests = policy(true);
        assertThat(tests.problemWith(null)).contains("is required");
        assertThat(tests.problemWith("not a url")).isPresent();
        assertThat(tests.problemWith("ftp://127.0.0.1/hooks")).contains("must use https");
        assertThat(tests.problemWith("http://10.0.0.8/hooks")).contains("must use https");
        assertThat(tests.problemWith("https://user:pw@127.0.0.1/hooks")).contains("must not carry credentials or a fragment");
        assertThat(tests.problemWith("https://127.0.0.1/" + "a".repeat(2_000))).isPresent();
    }

    @Test
    void withLocalhostAllowedPlainHttpToLoopbackIsAccepted() {
        WebhookUrlPolicy tests = policy(true);
        assertThat(tests.problemWith("http://127.0.0.1:9000/hooks")).isEmpty();
        assertThat(tests.problemWith("http://localhost:9000/hooks")).isEmpty();
        assertThat(tests.problemWith("https://127.0.0.1:9443/hooks")).isEmpty();
    }
}
