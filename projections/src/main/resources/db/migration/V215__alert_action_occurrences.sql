-- How many times the alert's condition had been found when a regulator acted on it. A rebuild of the
-- alert tables applies an action only once the rebuilt alert has been found that often, so findings
-- that came before the action fold into the alert as they did live, and those after it open the next
-- alert. Null for actions taken before this was kept: applied at once, as before.
alter table alert_action add column occurrences_at integer;
