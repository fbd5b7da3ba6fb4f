-- When the account's earliest deposit happened (by occurredAt), kept with the rest of its situation so
-- the consumption-stall rule reads it from the row the alert processor updates anyway, instead of
-- asking alert_activity once per deposit. Late deposits move it back (least ignores null).
alter table alert_account add column first_deposit_at timestamptz;

update alert_account a
   set first_deposit_at = (select min(occurred_at) from alert_activity
                            where account_id = a.account_id and kind = 'DEPOSIT');
