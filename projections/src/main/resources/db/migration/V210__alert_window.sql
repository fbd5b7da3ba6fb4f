-- The windows whose verdict currently holds, per account and windowed rule (STRUCTURING, RAPID_DRAIN,
-- REFUND_SURGE, COLLECT_AND_RUN), by the occurredAt the window ends at. A late posting re-judges the
-- windows it falls into and replaces their rows here; when none is left for an account and rule, the
-- condition no longer holds anywhere in its history and its open alert is withdrawn.
create table alert_window (
    account_id               varchar(64) not null,
    code                     varchar(40) not null,
    window_end               timestamptz not null,
    primary key (account_id, code, window_end)
);
