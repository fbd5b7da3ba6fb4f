package cn.prepaid.ledger.store.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The storage module on its own: event store, aggregates, command dispatch and idempotency on a real
 * (embedded) PostgreSQL, with no web layer, no security and no projections.
 */
@SpringBootApplication(scanBasePackages = "cn.prepaid.ledger.store")
public class StoreTestApplication {

    /** The application's meters come from Actuator; here a plain registry stands in for them. */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
