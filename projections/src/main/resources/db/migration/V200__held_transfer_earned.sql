-- A held transfer out may take earned, unreleased value from its account's orders (issue 13); that part
-- is held for release until the regulator decides, and given back if the transfer is rejected.
alter table held_outflow_view add column earned_fen bigint not null default 0;
