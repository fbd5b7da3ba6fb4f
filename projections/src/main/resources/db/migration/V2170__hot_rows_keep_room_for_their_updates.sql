-- One row per account (or institution) that every event of it updates: alert_account, account_view and
-- institution_view. At hundreds of events a second on a few accounts, a page packed full has no room for
-- the row's next version, so the update moves it to another page and adds index entries for it; measured
-- after a 90 s batch run, 40 accounts held 30,000 dead versions over 3,600-5,000 pages, and finding one
-- account visited 53 of them. Leaving three quarters of each page free keeps the next version on the same
-- page (a HOT update: no new index entry, and the old version is pruned in place once no transaction can
-- see it). These tables have one row per account, so the room costs little; autovacuum is also asked to
-- come by after a fixed number of dead versions rather than a fifth of a table this small.
alter table alert_account set (fillfactor = 25, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
alter table account_view set (fillfactor = 25, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
alter table institution_view set (fillfactor = 25, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
-- Pages written before keep their rows packed; a row's next version moves out of such a page once, into
-- a page written with the room.
