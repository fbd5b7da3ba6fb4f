-- The alert catalogue's thresholds of each account's institution (a regulator sets them with the
-- policy), as JSON of AlertThresholds; null means the defaults (accounts opened before they existed).
alter table alert_account add column alert_thresholds text;
