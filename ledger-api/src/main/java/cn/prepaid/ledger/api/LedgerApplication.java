package cn.prepaid.ledger.api; public class LedgerApplication { }
