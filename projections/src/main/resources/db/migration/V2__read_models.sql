-- Read models written by the "read-models" pooled streaming processor. One row per aggregate (or
-- per order / held outflow), so segments never write the same row; last_sequence is the aggregate
-- sequence number of the last event applied, which makes every handler safe to run twice.
-- Money in fen (bigint); figures that depend on the policy (floor, releasable) are computed on read.

create table institution_view (
    institution_id            varchar(18)  primary key,
    name                      varchar(200) not null,
    region_code               varchar(6)   not null,
    category                  varchar(20)  not null,
    supervision_mode          varchar(20)  not null,
    status                    varchar(20)  not null,
    minimum_balance_fen       bigint       not null,
    liability_ratio_bp        bigint       not null,
    large_threshold_fen       bigint       not null,
    large_ratio_bp            bigint       not null,
    large_ratio_from_fen      bigint       not null,
    registered_at             timestamptz  not null,
    last_sequence             bigint       not null
);
create index institution_view_region on institution_view (region_code);

create table account_view (
    account_id                varchar(64)  primary key,
    institution_id            varchar(18)  not null,
    region_code               varchar(6)   not null,
    bank_code                 varchar(32)  not null,
    bank_account_no           varchar(64),
    supervision_mode          varchar(20)  not null,
    institution_status        varchar(20)  not null,
    minimum_balance_fen       bigint       not null,
    liability_ratio_bp        bigint       not null,
    balance_fen               bigint       not null default 0,
    liability_fen             bigint       not null default 0,
    consumed_value_fen        bigint       not null default 0,
    released_fen              bigint       not null default 0,
    held_release_fen          bigint       not null default 0,
    reserved_fen              bigint       not null default 0,
    frozen                    boolean      not null default false,
    order_count               integer      not null default 0,
    opened_at                 timestamptz  not null,
    last_sequence             bigint       not null
);
create index account_view_institution on account_view (institution_id);

create table order_view (
    account_id                varchar(64)  not null,
    order_id                  varchar(64)  not null,
    student_ref               varchar(64),
    lessons                   integer      not null,
    lesson_price_fen          bigint       not null,
    paid_fen                  bigint       not null,
    course_start              date         not null,
    course_end                date         not null,
    lessons_consumed          integer      not null default 0,
    released_fen              bigint       not null default 0,
    refunded_fen              bigint       not null default 0,
    deposited_at              timestamptz  not null,
    primary key (account_id, order_id)
);

create table held_outflow_view (
    held_outflow_id           varchar(90)  primary key,
    account_id                varchar(64)  not null,
    type                      varchar(20)  not null,
    order_id                  varchar(64),
    amount_fen                bigint       not null,
    bank_txn_id               varchar(64)  not null,
    held_at                   timestamptz  not null,
    status                    varchar(20)  not null,
    decided_by                varchar(200),
    decided_at                timestamptz,
    decision_note             varchar(1000)
);
create index held_outflow_view_status on held_outflow_view (status, held_at);
create index held_outflow_view_account on held_outflow_view (account_id);
