package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** How the domain's refusals read over HTTP: the rejection's name is the problem's code. */
public final class DomainProblems {

    private DomainProblems() {
    }

    public static ApiProblem of(LedgerRuleException refused) {
        LedgerRejection rejection = refused.rejection();
        String code = rejection.name();
        return switch (rejection.kind()) {
            case NOT_FOUND -> ApiProblem.notFound(code, refused.getMessage());
            case CONFLICT -> ApiProblem.conflict(code, refused.getMessage());
            case UNPROCESSABLE -> ApiProblem.refused(code, code, refused.getMessage(), Map.of());
            case INVALID -> ApiProblem.invalid(fieldOf(rejection), refused.getMessage(), code);
        };
    }

    private static String fieldOf(LedgerRejection rejection) {
        return switch (rejection) {
            case COURSE_DATES_INVALID -> "courseEnd";
            case LESSONS_INVALID -> "lessons";
            default -> "amount";
        };
    }

    static HttpStatus statusOf(LedgerRejection rejection) {
        return switch (rejection.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
            case INVALID -> HttpStatus.BAD_REQUEST;
        };
    }
}
