package cn.prepaid.ledger.api.http.edge;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** What protects the ledger at its edge, before a controller runs: hostile, malformed or too many requests. */
@Configuration(proxyBeanMethods = false)
public class EdgeConfiguration implements WebMvcConfigurer {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new WriteNegotiation());
    }

    @Bean
    public FilterRegistrationBean<LoadShedding> loadShedding(
            @Value("${ledger.http.max-in-flight}") int maxInFlight, MeterRegistry meters) {
        FilterRegistrationBean<LoadShedding> registration =
                new FilterRegistrationBean<>(new LoadShedding(maxInFlight, meters));
        // before everything else, authentication included: a shed request costs as little as possible
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Requests Tomcat refuses itself are answered by {@link ProblemJsonErrorReportValve}, not its HTML page. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemJsonContainerErrors() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemJsonErrorReportValve.class.getName());
            }
        });
    }
}
