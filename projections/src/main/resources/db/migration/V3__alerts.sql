-- Risk alerts, written by the "alerts" pooled streaming processor (its own position, so a rule that
-- fails never holds back the read models, and the other way round).

-- What each account looks like to the alert rules: kept by the alerts processor itself.
create table alert_account (
    account_id               varchar(64) primary key,
    institution_id           varchar(18) not null,
    region_code              varchar(6)  not null,
    balance_fen              bigint      not null default 0,
    liability_fen            bigint      not null default 0,
    minimum_balance_fen      bigint      not null,
    liability_ratio_bp       bigint      not null,
    large_threshold_fen      bigint      not null,
    rapid_drain_24h_bp       bigint      not null,
    rapid_drain_7d_bp        bigint      not null,
    last_sequence            bigint      not null
);

-- The money and lesson facts rules look back over, by when they happened (occurredAt), so a late
-- posting is judged at the time it happened. signed_fen is the balance effect (0 for non-money facts).
create table alert_activity (
    account_id               varchar(64) not null,
    sequence                 bigint      not null,
    occurred_at              timestamptz not null,
    kind                     varchar(24) not null,
    amount_fen               bigint      not null,
    signed_fen               bigint      not null,
    primary key (account_id, sequence)
);
create index alert_activity_kind_time on alert_activity (account_id, kind, occurred_at);
create index alert_activity_time on alert_activity (account_id, occurred_at);

create table alert (
    alert_id                 varchar(160) primary key,
    code                     varchar(40)  not null,
    grade                    varchar(10)  not null,
    status                   varchar(20)  not null,
    institution_id           varchar(18)  not null,
    account_id               varchar(64)  not null,
    region_code              varchar(6)   not null,
    condition_key            varchar(120) not null,
    raised_at                timestamptz  not null,
    occurred_at              timestamptz  not null,
    updated_at               timestamptz  not null,
    occurrences              integer      not null default 1,
    summary                  varchar(500) not null,
    facts                    text         not null
);
-- While an alert for a condition is open, the same condition updates it instead of opening another.
create unique index alert_one_open_per_condition on alert (code, account_id, condition_key)
    where status in ('OPEN', 'ACKNOWLEDGED');
create index alert_institution on alert (institution_id, status);
create index alert_region on alert (region_code, raised_at);

-- Every change of every alert, in order: the live stream replays from here after a reconnect.
create table alert_change (
    change_id                bigint generated always as identity primary key,
    alert_id                 varchar(160) not null,
    region_code              varchar(6)   not null,
    changed_at               timestamptz  not null default now()
);
create index alert_change_region on alert_change (region_code, change_id);
