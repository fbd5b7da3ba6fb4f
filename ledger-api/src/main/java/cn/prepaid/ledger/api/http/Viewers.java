package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.security.ApiPrincipal;
import cn.prepaid.ledger.projections.query.ReadModelQueries.Viewer;

import java.util.List;

/** What a principal may see in lists: regulators their region, banks their institutions, bound platforms and auditors their binding, others everything. */
public final class Viewers {

    private Viewers() {
    }

    public static Viewer of(ApiPrincipal principal) {
        return switch (principal.role()) {
            case REGULATOR -> new Viewer(principal.regionPrefix(), null);
            case BANK -> new Viewer(null, principal.bankCode());
            // bound to a region and/or named institutions: lists show exactly what single reads reach
            case PLATFORM, AUDITOR -> principal.isBound()
                    ? new Viewer(principal.regionPrefix(), null, List.copyOf(principal.institutions()))
                    : Viewer.EVERYTHING;
        };
    }
}
