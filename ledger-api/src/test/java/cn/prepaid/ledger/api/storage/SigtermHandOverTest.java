package cn.prepaid.ledger.api.storage;

import cn.prepaid.ledger.api.support.NodesOnOneDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node stopped as by SIGTERM (its application context closed) gives up its processors' segment claims on
 * the way out, and the other node on the same database claims them within about a second, long before the
 * token store's claim timeout would have freed them.
 */
class SigtermHandOverTest {

    private static final String CLAIMS = "select processor_name, segment, owner from token_entry order by 1, 2";

    static NodesOnOneDatabase database;
    static ConfigurableApplicationContext leaving;
    static ConfigurableApplicationContext staying;

    /** A token entry: which node owns which processor's segment (null: nobody). */
    record Claim(String processor, int segment, String owner) {
    }

    @BeforeAll
    static void startTwoNodes() throws Exception {
        database = new NodesOnOneDatabase();
        leaving = database.start("--ledger.node-name=leaving");
        staying = database.start("--ledger.node-name=staying");
    }

    @AfterAll
    static void stop() throws Exception {
        staying.close();
        database.close();
    }

    @Test
    void theStayingNodeClaimsEverySegmentTheLeavingNodeHeldWithinSeconds() {
        JdbcTemplate jdbc = staying.getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> claims(jdbc).stream().noneMatch(c -> c.owner() == null));
        List<Claim> before = claims(jdbc);
        assertThat(before).as("the leaving node started first and holds segments").anyMatch(c -> c.owner().equals("leaving"));

        leaving.close();

        // the claim timeout is 10 s and Axon looked for free segments every 5 s by default: 3 s proves neither waited
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(claims(jdbc)).as("every segment claimed by the staying node")
                        .allMatch(c -> "staying".equals(c.owner())));
        List<Claim> after = claims(jdbc);
        assertThat(after).extracting(c -> c.processor() + "/" + c.segment())
                .containsExactlyElementsOf(before.stream().map(c -> c.processor() + "/" + c.segment()).toList());
    }

    private static List<Claim> claims(JdbcTemplate jdbc) {
        return jdbc.query(CLAIMS, (row, n) -> new Claim(row.getString(1), row.getInt(2), row.getString(3)));
    }
}
