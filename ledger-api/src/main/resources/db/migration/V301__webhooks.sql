-- Webhooks: banks' endpoints, and an outbox of notifications written by the "webhooks" event
-- processor in the same transaction as its token, so a notification exists exactly when its event was
-- committed. Deliveries are claimed by any node with a lease; nothing about them lives in one JVM.

create table webhook_endpoint (
    webhook_id                varchar(40)   primary key,
    bank_code                 varchar(32)   not null,
    url                       varchar(2000) not null,
    events                    varchar(40)[] not null,
    secret                    varchar(100)  not null,
    created_at                timestamptz   not null,
    deleted_at                timestamptz
);
create index webhook_endpoint_bank on webhook_endpoint (bank_code) where deleted_at is null;

-- What the webhooks processor needs to route an event: an account's bank and institution, and the
-- held outflows' amounts (the decision events carry only the held outflow's id).
create table webhook_account (
    account_id                varchar(64)   primary key,
    institution_id            varchar(18)   not null,
    bank_code                 varchar(32)   not null
);
create index webhook_account_institution on webhook_account (institution_id);

create table webhook_held_outflow (
    held_outflow_id           varchar(90)   primary key,
    bank_txn_id               varchar(64)   not null,
    outflow_type              varchar(20)   not null,
    amount_fen                bigint        not null
);

-- One row per notified event (only events some endpoint subscribed to). An approval waits for the posting
-- it produced (the account's next event, in the same commit) to add its postingId; it is not sent before.
create table webhook_event (
    event_id                  varchar(255)  primary key,
    type                      varchar(40)   not null,
    ordering_key              varchar(64)   not null,
    position                  bigint        not null,
    held_outflow_id           varchar(90),
    awaiting_posting          boolean       not null default false,
    body                      text          not null
);
create index webhook_event_awaiting_posting on webhook_event (held_outflow_id) where awaiting_posting;

-- One row per (endpoint, event). ordering_key/position: the account (or institution) and the event's
-- sequence number in it; a delivery waits while an earlier one of the same endpoint and key is unsettled.
create table webhook_delivery (
    webhook_id                varchar(40)   not null references webhook_endpoint (webhook_id),
    event_id                  varchar(255)  not null references webhook_event (event_id),
    ordering_key              varchar(64)   not null,
    position                  bigint        not null,
    created_at                timestamptz   not null,
    attempts                  integer       not null default 0,
    last_status               integer,
    last_error                varchar(300),
    first_attempt_at          timestamptz,
    last_attempt_at           timestamptz,
    delivered_at              timestamptz,
    gave_up_at                timestamptz,
    next_attempt_at           timestamptz   not null,
    lease_until               timestamptz,
    primary key (webhook_id, event_id)
);
create index webhook_delivery_unsettled on webhook_delivery (webhook_id, ordering_key, position)
    where delivered_at is null and gave_up_at is null;
create index webhook_delivery_due on webhook_delivery (next_attempt_at)
    where delivered_at is null and gave_up_at is null;
create index webhook_delivery_log on webhook_delivery (webhook_id, created_at, event_id);
