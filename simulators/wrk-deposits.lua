-- wrk script for run-client-cost.sh and run-profile.sh: single deposits, each with its own bankTxnId, spread
-- over the accounts in ACCOUNTS (comma separated), as the bank whose key is BANK_KEY. The same request as the
-- simulator's closed loop (Seeding.deposit), sent by an independent client. With BATCH set, each request is
-- instead a batch of BATCH such deposits over PER_BATCH (10) of the accounts, as the speed benchmark's batches.
local accounts = {}
for account in string.gmatch(os.getenv("ACCOUNTS"), "[^,]+") do
  accounts[#accounts + 1] = account
end
local headers = {
  ["Authorization"] = "Bearer " .. os.getenv("BANK_KEY"),
  ["Content-Type"] = "application/json",
}
local prefix = os.getenv("RUN") .. "w"
local occurred_at = os.getenv("OCCURRED_AT")
local batch = tonumber(os.getenv("BATCH") or "")
local per_batch = tonumber(os.getenv("PER_BATCH") or "10")
local threads = {}
-- globals, one per thread: done() reads refused through thread:get
counter = 0
refused = 0

function setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

local function deposit(txn, account_field)
  return '{' .. account_field .. '"bankTxnId":"' .. txn .. '","type":"DEPOSIT","amount":"800.00","currency":"CNY",'
    .. '"occurredAt":"' .. occurred_at .. '","orderId":"O-' .. txn .. '","studentRef":"s-' .. txn .. '",'
    .. '"lessons":10,"lessonPrice":"80.00","courseStart":"2026-03-02","courseEnd":"2026-05-30"}'
end

function request()
  counter = counter + 1
  local txn = prefix .. thread_id .. "-" .. counter
  if batch == nil then
    local account = accounts[(counter * 7 + thread_id) % #accounts + 1]
    return wrk.format("POST", "/api/v1/accounts/" .. account .. "/transactions", headers, deposit(txn, ""))
  end
  local items = {}
  for i = 0, batch - 1 do
    local account = accounts[(counter * per_batch + thread_id * 7 + i % per_batch) % #accounts + 1]
    items[#items + 1] = deposit(txn .. "-" .. i, '"accountId":"' .. account .. '",')
  end
  return wrk.format("POST", "/api/v1/transactions/batch", headers, '{"transactions":[' .. table.concat(items, ",") .. ']}')
end

function response(status, headers, body)
  -- a batch is answered 200 with each item's own status: every one planned here is 201
  if (batch == nil and status ~= 201)
      or (batch ~= nil and (status ~= 200 or string.find(body, '"status":[45]'))) then
    refused = refused + 1
  end
end

function done(summary)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("refused")
  end
  io.write(string.format("answered other than %s: %d of %d\n", batch and "200 with every item 201" or "201", total,
    summary.requests))
end
