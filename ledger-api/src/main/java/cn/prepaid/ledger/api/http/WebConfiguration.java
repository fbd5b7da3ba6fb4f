package cn.prepaid.ledger.api.http;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

import java.time.Clock;
import java.time.Duration;

/** How requests are read: strictly, with a body limit; and the clock requests are judged by. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    /** API.md: a body over 1 MiB is answered 413. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Unknown fields fail (requests that tolerate them say so), money arrives only as a decimal string
     * (a JSON number is refused: its parsed form may not be the exact fen the client meant), and counts
     * are numbers, not strings; text the ledger cannot keep is refused ({@link StorableTextDeserializer}).
     */
    @Bean
    public JsonMapperBuilderCustomizer strictRequests() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addModule(new SimpleModule("storable-text").addDeserializer(String.class, new StorableTextDeserializer()))
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, number -> number
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }

    @Bean
    public FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(
            @Value("${ledger.http.body-read-timeout}") Duration bodyReadTimeout) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(MAX_BODY_BYTES, bodyReadTimeout));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
