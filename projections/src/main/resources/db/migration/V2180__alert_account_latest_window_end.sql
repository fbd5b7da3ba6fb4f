-- The latest fact of each account at which some windowed rule's window ends (an outflow, a refund). An event
-- later than every such fact of its institution cannot change a window that ends after it except its own,
-- so the alert processor skips reading those window ends (one statement of two for a deposit in time order).
-- Filled from every fact an account has, whatever its kind: at least as late as the true value, which can
-- only make the processor read when it need not, never skip a read it needs.
alter table alert_account add column latest_window_end_at timestamptz;
update alert_account a set latest_window_end_at = (select max(occurred_at) from alert_activity f
    where f.account_id = a.account_id);
