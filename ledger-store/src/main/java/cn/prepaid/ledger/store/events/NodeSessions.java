package cn.prepaid.ledger.store.events;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.UUID;

/**
 * Each ledger process names its pooled database sessions after itself ({@code application_name}, as
 * operators see it in {@code pg_stat_activity}), and the commit notification of every append carries
 * the name of the session that committed it (V2160). A process thereby tells its own commits, whose
 * event reader it already woke in the JVM, from another process's, and reads once per commit instead of
 * twice. A pool whose application name the operator set keeps it; its notifications then wake every
 * process, as before.
 */
@Configuration(proxyBeanMethods = false)
public class NodeSessions {

    /** This process's name for its pooled sessions. */
    public record Name(String value) {

        public static Name fresh() {
            return new Name("ledger node " + UUID.randomUUID().toString().substring(0, 13));
        }
    }

    /** The pgjdbc property that sets a session's {@code application_name} when it connects. */
    public static final String APPLICATION_NAME = "ApplicationName";

    @Bean
    public static Name nodeSessionName() {
        return Name.fresh();
    }

    /** Names the sessions of a pool Spring Boot configured (the embedded database's pool names its own). */
    @Bean
    public static BeanPostProcessor pooledSessionsNamedAfterTheNode(Name name) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && !pool.isRunning()
                        && pool.getDataSourceProperties().getProperty(APPLICATION_NAME) == null) {
                    pool.addDataSourceProperty(APPLICATION_NAME, name.value());
                }
                return bean;
            }
        };
    }
}
