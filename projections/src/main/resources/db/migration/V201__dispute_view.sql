-- Refund disputes (issue 13), one row each, from RefundDisputeOpened / RefundDisputeClosed: what the
-- overdue-dispute sweep reads to find disputes left open too long.
create table dispute_view (
    account_id  varchar(64)   not null,
    dispute_id  varchar(64)   not null,
    order_id    varchar(64)   not null,
    opened_by   varchar(200)  not null,
    reason      varchar(1000) not null,
    opened_at   timestamptz   not null,
    status      varchar(10)   not null,
    closed_at   timestamptz,
    primary key (account_id, dispute_id)
);
create index dispute_view_open on dispute_view (status, opened_at);
