-- Refund disputes as the alert processor knows them (from RefundDisputeOpened / RefundDisputeClosed): what
-- the overdue-dispute sweep reads, and what a rebuild of the alert tables reads to raise a swept alert
-- again. Rebuilt with the alert tables; filled here from the read model for disputes opened before.
create table alert_dispute (
    account_id  varchar(64) not null,
    dispute_id  varchar(64) not null,
    order_id    varchar(64) not null,
    opened_at   timestamptz not null,
    closed_at   timestamptz,
    primary key (account_id, dispute_id)
);
insert into alert_dispute (account_id, dispute_id, order_id, opened_at, closed_at)
select account_id, dispute_id, order_id, opened_at, closed_at from dispute_view;

-- Every REFUND_DISPUTE_OVERDUE the scheduled sweep raised: for which dispute of which account, after
-- which of its events, at what time. No event raised these alerts, so a rebuild of the alert tables
-- raises them again from here when it passes that event. Kept through a rebuild (like alert_action).
create table alert_dispute_sweep (
    account_id      varchar(64) not null,
    dispute_id      varchar(64) not null,
    after_sequence  bigint      not null,
    swept_at        timestamptz not null,
    primary key (account_id, after_sequence, swept_at, dispute_id)
);
