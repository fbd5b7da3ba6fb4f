package cn.prepaid.ledger.projections.alerts;

/** 黄色 / 红色预警. */
public enum Grade {
    YELLOW, RED;

    public Grade max(Grade other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
