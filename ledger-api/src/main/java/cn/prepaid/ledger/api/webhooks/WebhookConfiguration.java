package cn.prepaid.ledger.api.webhooks;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code ledger.webhooks.*} (environment: {@code LEDGER_WEBHOOKS_*}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
public class WebhookConfiguration {
}
