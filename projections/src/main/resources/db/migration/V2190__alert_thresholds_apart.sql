-- An account's alert thresholds, 339 bytes of JSON of a 483-byte row, were copied into every version of its
-- alert_account row, which every event of the account updates; they change only with the supervision terms.
-- Kept apart, one row per account, read by key with the account's situation: the row every event rewrites
-- is about 150 bytes, so three times as many of its versions fit the room its page keeps (V2170).
-- An account without a row here has the default thresholds, as one whose column was null had.
create table alert_account_thresholds (
    account_id       varchar(64) primary key,
    alert_thresholds text not null
);
insert into alert_account_thresholds (account_id, alert_thresholds)
    select account_id, alert_thresholds from alert_account where alert_thresholds is not null;
alter table alert_account drop column alert_thresholds;
