package cn.prepaid.ledger.store.commands;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandOriginTest {

    private final CommandOrigin provider = new CommandOrigin();

    @Test
    void aCommandPassesItsOriginOnAsAxonsProviderDoes() {
        GenericCommandMessage<String> fresh = new GenericCommandMessage<>("deposit");
        GenericCommandMessage<String> caused = new GenericCommandMessage<>("deposit")
                .andMetaData(Map.of("correlationId", "C-1", "traceId", "T-1"));

        assertThat(provider.correlationDataFor(fresh))
                .isEqualTo(new MessageOriginProvider().correlationDataFor(fresh))
                .isEqualTo(Map.of("correlationId", fresh.getIdentifier(), "traceId", fresh.getIdentifier()));
        assertThat(provider.correlationDataFor(caused)).isEqualTo(Map.of("correlationId", caused.getIdentifier(),
                "traceId", "T-1"));
    }

    @Test
    void anEventGivesNothingAndItsMetadataIsNotRead() {
        GenericEventMessage<String> event = new GenericEventMessage<>("deposited") {
            @Override
            public MetaData getMetaData() {
                throw new AssertionError("the event's metadata was read");
            }
        };

        assertThat(provider.correlationDataFor(event)).isEmpty();
    }
}
