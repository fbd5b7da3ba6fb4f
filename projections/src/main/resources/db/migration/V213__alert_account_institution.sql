-- The institution-wide rules read every account of an institution (totals, the facts of all its accounts).
create index alert_account_institution on alert_account (institution_id);
