-- What a bank reads about its held outflows and a closed institution's refund obligations.
-- posting_id: the posting an approved held outflow produced (filled as the read model applies the
-- posting; rows decided before this column existed get it when the read models are rebuilt).
alter table held_outflow_view add column posting_id varchar(100);

-- One row per order of a closed institution: the unconsumed value owed back to the family and what
-- refunds have paid of it since the closure.
create table refund_obligation_view (
    account_id                varchar(64)  not null,
    order_id                  varchar(64)  not null,
    institution_id            varchar(18)  not null,
    student_ref               varchar(64),
    amount_fen                bigint       not null,
    paid_fen                  bigint       not null default 0,
    established_at            timestamptz  not null,
    primary key (account_id, order_id)
);
create index refund_obligation_view_institution on refund_obligation_view (institution_id, account_id, order_id);
