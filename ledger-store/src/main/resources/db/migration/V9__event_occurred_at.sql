-- When each event happened (its payload's occurredAt), in a column of its own, so that PostgreSQL can
-- filter an account's events by "as of" without the ledger deserialising them (BalanceAsOf). It is a
-- copy of a field of the payload, which the hash chain covers; it is not hashed itself: verification
-- checks it against the payload instead (ChainVerifier). Filled at append (HashChainedAppend); the
-- events recorded before this column existed are filled here from their JSON payload.
alter table domain_event_entry add column occurred_at timestamptz;

update domain_event_entry
   set occurred_at = (convert_from(payload, 'UTF8')::jsonb ->> 'occurredAt')::timestamptz
 where occurred_at is null;
