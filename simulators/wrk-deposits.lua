-- wrk script for run-client-cost.sh: single deposits, each with its own bankTxnId, spread over the
-- accounts in ACCOUNTS (comma separated), as the bank whose key is BANK_KEY. The same request as the
-- simulator's closed loop (Seeding.deposit), sent by an independent client.
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
local threads = {}
-- globals, one per thread: done() reads refused through thread:get
counter = 0
refused = 0

function setup(thread)
  thread:set("thread_id", #threads)
  threads[#threads + 1] = thread
end

function request()
  counter = counter + 1
  local txn = prefix .. thread_id .. "-" .. counter
  local account = accounts[(counter * 7 + thread_id) % #accounts + 1]
  local body = '{"bankTxnId":"' .. txn .. '","type":"DEPOSIT","amount":"800.00","currency":"CNY",'
    .. '"occurredAt":"' .. occurred_at .. '","orderId":"O-' .. txn .. '","studentRef":"s-' .. txn .. '",'
    .. '"lessons":10,"lessonPrice":"80.00","courseStart":"2026-03-02","courseEnd":"2026-05-30"}'
  return wrk.format("POST", "/api/v1/accounts/" .. account .. "/transactions", headers, body)
end

function response(status)
  if status ~= 201 then
    refused = refused + 1
  end
end

function done(summary)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("refused")
  end
  io.write(string.format("answered other than 201: %d of %d\n", total, summary.requests))
end
