package cn.prepaid.ledger.api.wiring;

import cn.prepaid.ledger.projections.StorableTextJdbcTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/** The JdbcTemplate every table writer shares: text PostgreSQL cannot hold never fails a write. */
@Configuration(proxyBeanMethods = false)
public class JdbcConfiguration {

    @Bean
    public JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new StorableTextJdbcTemplate(dataSource);
    }
}
