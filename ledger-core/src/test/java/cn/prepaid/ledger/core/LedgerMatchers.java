package cn.prepaid.ledger.core;

import cn.prepaid.ledger.core.rules.LedgerRejection;
import cn.prepaid.ledger.core.rules.LedgerRuleException;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;

import java.util.function.Consumer;

/** Hamcrest matchers for Axon's fixture, so that its expectations can carry AssertJ checks. */
public final class LedgerMatchers {

    private LedgerMatchers() {
    }

    /** A {@link LedgerRuleException} carrying exactly this rejection. */
    public static Matcher<Object> rejection(LedgerRejection expected) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object actual) {
                return actual instanceof LedgerRuleException e && e.rejection() == expected;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("LedgerRuleException with rejection ").appendValue(expected);
            }

            @Override
            public void describeMismatch(Object actual, Description description) {
                if (actual instanceof LedgerRuleException e) {
                    description.appendText("rejection was ").appendValue(e.rejection())
                            .appendText(" (" + e.getMessage() + ")");
                } else {
                    description.appendText("was ").appendValue(actual);
                }
            }
        };
    }

    /** A value of the given type that passes the given (AssertJ) assertions. */
    public static <T> Matcher<Object> satisfying(Class<T> type, Consumer<? super T> assertions) {
        return new BaseMatcher<>() {
            private String failure = "";

            @Override
            public boolean matches(Object actual) {
                if (!type.isInstance(actual)) {
                    failure = "was " + actual;
                    return false;
                }
                try {
                    assertions.accept(type.cast(actual));
                    return true;
                } catch (AssertionError e) {
                    failure = e.getMessage();
                    return false;
                }
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + type.getSimpleName() + " satisfying the assertions");
            }

            @Override
            public void describeMismatch(Object actual, Description description) {
                description.appendText(failure);
            }
        };
    }
}
