-- Tamper evidence: each event's hash covers its content and the hash of the previous event of the
-- same aggregate, computed when it is appended (HashChainedAppend). Null only for events recorded
-- before this column existed.
alter table domain_event_entry add column hash varchar(64);
