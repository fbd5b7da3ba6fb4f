package cn.prepaid.ledger.projections.alerts.rules;

import cn.prepaid.ledger.core.account.EscrowAccountEvent;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.BookedOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.HoldableOutflow;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.LessonsConsumed;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.MoneyMovement;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.NoMoneyMovement;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.OutflowRejected;
import cn.prepaid.ledger.core.account.EscrowAccountEvent.SupervisionTermsChanged;
import cn.prepaid.ledger.projections.alerts.Activity;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every account event, found through the sealed interfaces rather than listed here, is classified, and
 * the alert projection handles each class: a new event type cannot slip past the rules unnoticed.
 */
class EventClassificationTest {

    private static final Instant AT = Instant.parse("2024-03-01T02:00:00Z");
    private static final long AMOUNT_FEN = 12_345;

    @Test
    void everyEventEitherMovesMoneyOrDeclaresThatItMovesNone() {
        assertThat(eventTypes()).hasSizeGreaterThan(20).allSatisfy(type -> assertThat(
                MoneyMovement.class.isAssignableFrom(type) ^ NoMoneyMovement.class.isAssignableFrom(type))
                .as(type.getSimpleName() + " is one of the two").isTrue());
    }

    @Test
    void everyMoneyMovementIsAFactOfItsOwnKindInTheHistoryTheRulesReadAndMovesTheFloorRules() {
        for (Class<?> type : eventTypes()) {
            EscrowAccountEvent event = sample(type);
            Optional<Activity> activity = Activity.of(event, 7);
            if (event instanceof MoneyMovement moved) {
                assertThat(activity).as(type.getSimpleName()).get().satisfies(fact -> {
                    assertThat(fact.kind().eventType()).isEqualTo(type);
                    assertThat(fact.signedFen()).isEqualTo(moved.signedFen());
                    assertThat(fact.amountFen()).isEqualTo(AMOUNT_FEN);
                    assertThat(fact.kind().movesMoney()).isTrue();
                    assertThat(fact.kind().isOutflow()).isEqualTo(event instanceof BookedOutflow);
                });
                assertThat(Math.abs(moved.signedFen())).isEqualTo(AMOUNT_FEN);
                assertThat(FloorEvents.mayMoveBalanceOrFloor(event)).as(type.getSimpleName()).isTrue();
            } else {
                assertThat(activity.map(Activity::kind).map(Activity.Kind::movesMoney)).as(type.getSimpleName())
                        .isNotEqualTo(Optional.of(true));
                assertThat(FloorEvents.mayMoveBalanceOrFloor(event)).as(type.getSimpleName())
                        .isEqualTo(event instanceof LessonsConsumed || event instanceof SupervisionTermsChanged);
            }
        }
    }

    @Test
    void onlyBookedOutflowsAreOutflowsAndMoneyLeavesThemAsANegativeSignedAmount() {
        List<Class<?>> outflows = eventTypes().stream().filter(BookedOutflow.class::isAssignableFrom).toList();
        assertThat(outflows).extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder("FundsReleased", "TuitionRefunded", "FundsTransferredOut");
        assertThat(outflows).allSatisfy(type -> assertThat(((MoneyMovement) sample(type)).signedFen())
                .isEqualTo(-AMOUNT_FEN));
        assertThat(outflows.stream().filter(HoldableOutflow.class::isAssignableFrom)).extracting(Class::getSimpleName)
                .containsExactlyInAnyOrder("FundsReleased", "FundsTransferredOut");
        assertThat(Arrays.stream(Activity.Kind.values()).filter(Activity.Kind::isOutflow)
                .<Class<?>>map(Activity.Kind::eventType)).containsExactlyInAnyOrderElementsOf(outflows);
    }

    @Test
    void everyKindOfFactIsTheHistoryOfOneEventType() {
        assertThat(Arrays.stream(Activity.Kind.values()).map(Activity.Kind::eventType))
                .doesNotHaveDuplicates().allSatisfy(type -> assertThat(eventTypes()).contains(type));
        assertThat(Set.of(Activity.Kind.CONSUMPTION.eventType(), Activity.Kind.OUTFLOW_REJECTED.eventType()))
                .containsExactlyInAnyOrder(LessonsConsumed.class, OutflowRejected.class);
    }

    /** The records behind the sealed vocabulary, reached through its permitted subclasses. */
    private static List<Class<?>> eventTypes() {
        List<Class<?>> records = new ArrayList<>();
        collect(EscrowAccountEvent.class, records);
        return records;
    }

    private static void collect(Class<?> type, List<Class<?>> records) {
        if (type.isRecord()) {
            records.add(type);
            return;
        }
        assertThat(type.isSealed()).as(type.getSimpleName() + " is sealed").isTrue();
        for (Class<?> permitted : type.getPermittedSubclasses()) {
            collect(permitted, records);
        }
    }

    /** An event of the type with plain values: every amount {@link #AMOUNT_FEN}, every instant {@link #AT}. */
    private static EscrowAccountEvent sample(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] values = Arrays.stream(components).map(component -> valueFor(component.getType())).toArray();
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(parameterTypes);
            return (EscrowAccountEvent) canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot build a " + type.getSimpleName(), e);
        }
    }

    private static Object valueFor(Class<?> type) {
        if (type == long.class) {
            return AMOUNT_FEN;
        } else if (type == int.class) {
            return 1;
        } else if (type == boolean.class) {
            return false;
        } else if (type == Instant.class) {
            return AT;
        } else if (type == String.class) {
            return "x";
        }
        return null;
    }
}
