package cn.prepaid.ledger.projections.alerts;

/** Accounts as rule tests see them. */
public final class Situations {

    /** Account ACC-1 with no floor and the default thresholds: large from ¥50,000.00, drains at 40 % / 60 %. */
    public static final AccountSituation DEFAULTS = new AccountSituation("ACC-1", "91350100M000100Y43", "350100", 0, 0,
            0, 2_000, 5_000_000, 4_000, 6_000);

    private Situations() {
    }
}
