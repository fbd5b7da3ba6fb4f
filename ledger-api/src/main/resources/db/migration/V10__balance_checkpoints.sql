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
    state           bytea        not null,
    created_at      timestamptz  not null default now(),
    primary key (account_id, sequence_number)
);
