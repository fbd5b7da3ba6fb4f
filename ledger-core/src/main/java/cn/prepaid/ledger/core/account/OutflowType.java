package cn.prepaid.ledger.core.account;

/** The outflows a bank asks the ledger to authorise. */
public enum OutflowType { RELEASE, REFUND, TRANSFER_OUT }
