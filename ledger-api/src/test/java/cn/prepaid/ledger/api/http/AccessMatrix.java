package cn.prepaid.ledger.api.http;

import cn.prepaid.ledger.api.support.Http;
import cn.prepaid.ledger.api.support.Http.Answer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static cn.prepaid.ledger.api.support.ProblemChecks.forbidden;
import static cn.prepaid.ledger.api.support.ProblemChecks.unauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/** The callers, cases and runner shared by the access-matrix tests of writes and of reads. */
final class AccessMatrix {

    private AccessMatrix() {
    }

    /** Who calls: every role, and each scope boundary within the roles that have one. */
    enum Caller {
        NO_KEY("no key", null),
        UNKNOWN_KEY("unknown key", "unknown-key-not-in-the-directory-0123456789"),
        BANK_OWN("BANK own bank (ICBC-HZ)", Http.BANK),
        BANK_OTHER("BANK other bank (ABC-HZ)", Http.OTHER_BANK),
        PLATFORM("PLATFORM", Http.PLATFORM),
        REGULATOR_NATIONAL("REGULATOR national", Http.REGULATOR),
        REGULATOR_IN_REGION("REGULATOR Zhejiang (in region)", Http.ZHEJIANG),
        REGULATOR_OUT_OF_REGION("REGULATOR Beijing (out of region)", Http.BEIJING),
        AUDITOR("AUDITOR", Http.AUDITOR);

        final String label;
        final String key;

        Caller(String label, String key) {
            this.label = label;
            this.key = key;
        }

        boolean authenticated() {
            return this != NO_KEY && this != UNKNOWN_KEY;
        }
    }

    /** One request by one caller and the status it must get; {@code check} looks further at the answer. */
    record Case(String endpoint, Caller caller, String method, Supplier<String> path, Supplier<String> body,
                int expected, Consumer<Answer> check) {

        String name() {
            return endpoint + " · " + caller.label + " → " + expected;
        }
    }

    /** An allowed caller: its expected answer and, where needed, its own target and further checks. */
    record Allow(Caller caller, int status, Supplier<String> path, Consumer<Answer> check) {

        Allow at(Supplier<String> ownPath) {
            return new Allow(caller, status, ownPath, check);
        }

        Allow then(Consumer<Answer> ownCheck) {
            return new Allow(caller, status, path, ownCheck);
        }
    }

    static Allow allow(Caller caller, int status) {
        return new Allow(caller, status, null, answer -> { });
    }

    /** One row: the same request by every caller; those not allowed are refused (401 or 403). */
    static List<Case> row(String endpoint, String method, Supplier<String> path, Supplier<String> body,
                                  Allow... allowed) {
        Map<Caller, Allow> byCaller = new EnumMap<>(Caller.class);
        Arrays.stream(allowed).forEach(allow -> byCaller.put(allow.caller(), allow));
        List<Case> cases = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            Allow allow = byCaller.get(caller);
            if (allow == null) {
                cases.add(new Case(endpoint, caller, method, path, body, caller.authenticated() ? 403 : 401,
                        caller.authenticated() ? forbidden() : unauthorized()));
            } else {
                cases.add(new Case(endpoint, caller, method, allow.path() != null ? allow.path() : path, body,
                        allow.status(), allow.check()));
            }
        }
        return cases;
    }

    /** Sends the case's request as its caller and checks the status and the answer. */
    static void run(Http http, Case c) {
        String path = c.path().get();
        Answer answer = http.send(c.caller().key, c.method(), path, c.body().get());
        assertThat(answer.status()).as("%s: %s %s answered %s", c.name(), c.method(), path, answer.body())
                .isEqualTo(c.expected());
        try {
            c.check().accept(answer);
        } catch (AssertionError wrongAnswer) {
            throw new AssertionError(c.name() + ": " + c.method() + " " + path + " answered " + answer.body()
                    + "\n" + wrongAnswer.getMessage(), wrongAnswer);
        }
    }

    /** A fixture step that must succeed. */
    static Answer expect(Answer answer, int status) {
        assertThat(answer.status()).as("fixture step answered %s", answer.body()).isEqualTo(status);
        return answer;
    }
}
