-- Applied V6 (notify on commit) also puts the alert stream's trigger on projections' alert_change table,
-- which projections' V3 creates before it in a real database. The storage module's own tests run
-- without projections, so an empty table stands in for it; nothing in these tests writes alerts.
create table alert_change (id bigint);
