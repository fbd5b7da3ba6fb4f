package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;

import java.util.Map;

/** How the domain's refusals read over HTTP: the rejection's name is the problem's code. */
public final class DomainProblems {

    private DomainProblems() {
    }

    public static ApiProblem of(LedgerRuleException refused) {
        return of(refused.rejection(), refused.getMessage());
    }

    public static ApiProblem of(LedgerRejection rejection, String detail) {
        String code = rejection.name();
        return switch (rejection.kind()) {
            case NOT_FOUND -> ApiProblem.notFound(code, detail);
            case CONFLICT -> ApiProblem.conflict(code, detail);
            case UNPROCESSABLE -> ApiProblem.refused(code, code, detail, Map.of());
            case INVALID -> ApiProblem.invalid(fieldOf(rejection), detail, code);
        };
    }

    private static String fieldOf(LedgerRejection rejection) {
        return switch (rejection) {
            case COURSE_DATES_INVALID -> "courseEnd";
            case LESSONS_INVALID -> "lessons";
            default -> "amount";
        };
    }
}
