package cn.prepaid.ledger.core.policy;

/** How an institution's prepaid tuition is supervised (DOMAIN.md §3). */
public enum SupervisionMode {
    /** 银行托管: every prepaid yuan stays in custody until earned; releases follow consumption. */
    FULL_CUSTODY,
    /** 风险保证金: a reserve stays in the account; anything above the floor may be released. */
    RISK_RESERVE
}
