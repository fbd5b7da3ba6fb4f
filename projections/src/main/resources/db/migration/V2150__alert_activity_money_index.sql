-- The alert rules' reads of alert_activity each get the one index that fits them. A prepared statement
-- runs on PostgreSQL's generic plan, which cannot tell (account_id, occurred_at) from (account_id, kind,
-- occurred_at) for a kind = any (?) read and took the first: it read every fact of each account in the
-- window and filtered the kinds afterwards. Only the balance (a sum of signed_fen up to a time, no kind)
-- needs facts by time alone, and only those that move money (non-money facts have signed_fen 0): this
-- index holds just those, with signed_fen, so the balance is an index-only scan, and a read without
-- "signed_fen <> 0" (every read by kind) cannot use it.
create index alert_activity_money on alert_activity (account_id, occurred_at) include (signed_fen)
    where signed_fen <> 0;
drop index alert_activity_time;
