package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.projections.query.ReadModelQueries.Viewer;

/** What a principal may see in lists: regulators their region, banks their institutions, others everything. */
public final class Viewers {

    private Viewers() {
    }

    public static Viewer of(ApiPrincipal principal) {
        return switch (principal.role()) {
            case REGULATOR -> new Viewer(principal.regionPrefix(), null);
            case BANK -> new Viewer(null, principal.bankCode());
            // lists honour a region binding; one bound to institutions only is checked per institution
            case PLATFORM, AUDITOR -> principal.regionPrefix() != null ? new Viewer(principal.regionPrefix(), null)
                    : Viewer.EVERYTHING;
        };
    }
}
