-- The notification of a commit that appends events names the session that made it (its application_name):
-- a ledger process names its pooled sessions after itself, so it can tell its own commits (which already
-- woke its event reader in the JVM) from other processes' and need not read again for them.
create or replace function ledger_notify_events() returns trigger language plpgsql as $$
begin
    perform pg_notify('ledger_events', current_setting('application_name'));
    return null;
end
$$;
