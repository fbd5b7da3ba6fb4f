package cn.prepaid.ledger.api.support;

import cn.prepaid.ledger.api.support.Http.Answer;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of problem+json answers shared by the access-matrix tests. */
public final class ProblemChecks {

    private ProblemChecks() {
    }

    /** 401: problem+json, code UNAUTHORIZED, and a Bearer challenge. */
    public static Consumer<Answer> unauthorized() {
        return answer -> {
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().get("code").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(answer.header("WWW-Authenticate")).as("WWW-Authenticate").startsWith("Bearer");
        };
    }

    /** 403: problem+json, code FORBIDDEN. */
    public static Consumer<Answer> forbidden() {
        return answer -> {
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().get("code").asString()).isEqualTo("FORBIDDEN");
        };
    }

    public static Consumer<Answer> code(String code) {
        return answer -> assertThat(answer.json().get("code").asString()).isEqualTo(code);
    }
}
