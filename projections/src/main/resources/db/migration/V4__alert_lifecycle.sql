-- What regulators did with alerts: acknowledge, resolve, dismiss, each with who, when and a note.
-- Append-only and never cleared by a replay: a rebuilt alert takes its status from here.
create table alert_action (
    action_id   bigint generated always as identity primary key,
    alert_id    varchar(160) not null,
    action      varchar(20)  not null,
    status_after varchar(20) not null,
    acted_by    varchar(200) not null,
    acted_at    timestamptz  not null,
    note        varchar(1000)
);
create index alert_action_alert on alert_action (alert_id, action_id);
