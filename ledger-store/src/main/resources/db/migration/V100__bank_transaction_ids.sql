-- A bank transaction id is unique per bank, not per account (issue 13): the bank that chose it, the id,
-- and the one account it was booked on. Claimed in the posting's own transaction (IdempotencyStore), so
-- a posting that stores nothing leaves no claim. The bank is the one that holds the account: it is read
-- from the account's opening event, the first of its stream.
create table bank_transaction (
    bank_code   varchar(64)  not null,
    bank_txn_id varchar(64)  not null,
    account_id  varchar(255) not null,
    primary key (bank_code, bank_txn_id)
);

-- The ids already booked, from the events that carry them, first booking first. Should a bank already
-- have used one id on two accounts, the later account keeps answering its own repeats from its
-- idempotency record (those are checked before this table), and only new postings are held to the rule.
insert into bank_transaction (bank_code, bank_txn_id, account_id)
select opened.bank_code, booked.bank_txn_id, booked.aggregate_identifier
  from (select aggregate_identifier, global_index,
               convert_from(payload, 'UTF8')::jsonb ->> 'bankTxnId' as bank_txn_id
          from domain_event_entry) booked
  join (select aggregate_identifier, convert_from(payload, 'UTF8')::jsonb ->> 'bankCode' as bank_code
          from domain_event_entry
         where sequence_number = 0 and payload_type like '%EscrowAccountOpened') opened
    on opened.aggregate_identifier = booked.aggregate_identifier
 where booked.bank_txn_id is not null and opened.bank_code is not null
 order by booked.global_index
    on conflict (bank_code, bank_txn_id) do nothing;
