package cn.prepaid.ledger.store.commands;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;

import java.util.Map;

/**
 * The correlation data Axon copies from the message being handled into every message created while
 * handling it: a command's origin (its {@code correlationId} and {@code traceId}, as Axon's
 * {@link MessageOriginProvider} gives them) goes into the events it appends, as before; an event gives
 * nothing. Event handlers here create no messages of their own, yet Axon asks for correlation data
 * around every event a processor handles, and the origin provider read it from the event's metadata,
 * which had the metadata deserialized once per event and processor for nothing (about a sixth of the
 * read models' and the alert processor's work, benchmarks.md, issue 15 session 5).
 */
public class CommandOrigin implements CorrelationDataProvider {

    private final MessageOriginProvider origin = new MessageOriginProvider();

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        return message instanceof EventMessage ? Map.of() : origin.correlationDataFor(message);
    }
}
