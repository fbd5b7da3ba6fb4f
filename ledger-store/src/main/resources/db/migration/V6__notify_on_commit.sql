-- Wake-ups instead of polling: every transaction that appends events (or alert changes) notifies its
-- channel once, at commit. Each ledger process LISTENs and wakes its event processors (or its alert
-- stream) at once, whichever process wrote. NOTIFY is transactional: a rolled-back append says nothing.
create function ledger_notify_events() returns trigger language plpgsql as $$
begin
    perform pg_notify('ledger_events', '');
    return null;
end
$$;
create trigger domain_event_entry_notify after insert on domain_event_entry
    for each statement execute function ledger_notify_events();

create function ledger_notify_alerts() returns trigger language plpgsql as $$
begin
    perform pg_notify('ledger_alerts', '');
    return null;
end
$$;
create trigger alert_change_notify after insert on alert_change
    for each statement execute function ledger_notify_alerts();
