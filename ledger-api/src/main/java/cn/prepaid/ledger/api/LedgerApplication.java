package cn.prepaid.ledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The ledger: HTTP API, security and wiring around the domain, backed by PostgreSQL. */
@SpringBootApplication(scanBasePackages = "cn.prepaid.ledger")
public class LedgerApplication {

    public static void main(String[] args) {
        // Offline provinces' networks: Axon's update checker would only log failures.
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(LedgerApplication.class, args);
    }
}
