package cn.prepaid.ledger.api.console;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * The content security policy the console must work under (no inline scripts or styles, no eval,
 * everything from 'self'), put on the console's files for the browser tests: a violation shows in the
 * browser's console, which the tests read.
 */
@TestConfiguration(proxyBeanMethods = false)
class StrictContentSecurityPolicy {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    FilterRegistrationBean<Filter> consoleContentSecurityPolicy() {
        Filter policy = (request, response, chain) -> {
            ((HttpServletResponse) response).setHeader("Content-Security-Policy", POLICY);
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(policy);
        registration.addUrlPatterns("/dashboard", "/dashboard/*");
        return registration;
    }
}
