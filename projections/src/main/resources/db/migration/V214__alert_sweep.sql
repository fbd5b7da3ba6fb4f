-- Every CONSUMPTION_STALL the scheduled sweep raised: for which account, after which of its events, at
-- what time. No event raised these alerts, so a rebuild of the alert tables raises them again from here
-- when it passes that event. Kept through a rebuild (like alert_action).
create table alert_sweep (
    account_id      varchar(64) not null,
    after_sequence  bigint      not null,
    swept_at        timestamptz not null,
    primary key (account_id, after_sequence, swept_at)
);
