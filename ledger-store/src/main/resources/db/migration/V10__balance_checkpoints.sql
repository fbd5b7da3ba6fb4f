-- Checkpoints of an escrow account's full state, so a balance "as of / as known at" replays only the
-- events after the latest usable one (BalanceCheckpoints). A checkpoint is an immutable fact about an
-- append-only stream: the state after applying every event of the account up to sequence_number, with
-- the latest occurredAt and the latest recording time among those events (the opening excluded: it
-- always counts). It answers a question (asOf, knownAt) exactly when both maxima are within it.
-- Derived data: deleting rows loses nothing but speed; the balance-checkpoints processor writes them.
create table balance_checkpoint (
    account_id      varchar(255) not null,
    sequence_number bigint       not null,
    events_counted  bigint       not null,
    -- rounded up to the microsecond, so "max_occurred_at <= asOf rounded down" never admits a later event
    max_occurred_at timestamptz,
    max_recorded_at timestamptz,
    state_type      varchar(255) not null,
    state_revision  varchar(255),
    -- gzip of the aggregate's JSON (the snapshot serializer's), stored as is: PostgreSQL would compress it
    -- anyway, but would send it uncompressed (a 100,000-event account's state is megabytes of JSON)
    state           bytea        not null,
    created_at      timestamptz  not null default now(),
    primary key (account_id, sequence_number)
);
alter table balance_checkpoint alter column state set storage external;

-- After a checkpoint, the events that had happened by asOf: found by this index, which also holds the
-- sequence number, so the events before the checkpoint are passed over without reading their rows.
create index domain_event_entry_aggregate_occurred
    on domain_event_entry (aggregate_identifier, occurred_at, sequence_number);
