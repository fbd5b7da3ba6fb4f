-- The alert thresholds of an institution's policy, as JSON of AlertThresholds, for GET /institutions/{id};
-- null means the defaults (institutions registered before they existed).
alter table institution_view add column alert_thresholds text;
