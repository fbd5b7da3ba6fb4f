package cn.prepaid.ledger.core.policy;

import cn.prepaid.ledger.core.money.Money;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** An account's share of its institution's floor: by unearned tuition, equal while there is none. */
class FloorShareTest {

    @Test
    void sharesFollowTheUnearnedTuitionEachAccountHolds() {
        Money floor = Money.parse("100000.00");
        assertThat(SupervisionPolicy.floorShare(floor, 30_000_00L, 120_000_00L, 2)).isEqualTo(Money.parse("25000.00"));
        assertThat(SupervisionPolicy.floorShare(floor, 90_000_00L, 120_000_00L, 2)).isEqualTo(Money.parse("75000.00"));
    }

    @Test
    void withoutUnearnedTuitionTheMinimumIsSharedEquallyAndRoundedUp() {
        assertThat(SupervisionPolicy.floorShare(Money.parse("1000.00"), 0, 0, 3)).isEqualTo(Money.parse("333.34"));
        assertThat(SupervisionPolicy.floorShare(Money.parse("1000.00"), 0, 0, 1)).isEqualTo(Money.parse("1000.00"));
    }

    /** Over many seeded random institutions (jqwik is not a dependency of this module yet). */
    @Test
    void theSharesCoverTheFloorAndExceedItByLessThanAFenAnAccount() {
        Random random = new Random(13);
        for (int institution = 0; institution < 2_000; institution++) {
            List<Long> liabilities = new ArrayList<>();
            int accounts = 2 + random.nextInt(5);
            for (int i = 0; i < accounts; i++) {
                liabilities.add(random.nextInt(4) == 0 ? 0 : random.nextLong(10_000_000_000L));
            }
            long total = liabilities.stream().mapToLong(Long::longValue).sum();
            Money floor = SupervisionPolicy.floor(random.nextLong(10_000_000_000L), random.nextInt(10_001),
                    Money.ofFen(total));
            long shares = 0;
            for (long liability : liabilities) {
                shares += SupervisionPolicy.floorShare(floor, liability, total, accounts).fen();
            }
            assertThat(shares).as("institution %d", institution).isBetween(floor.fen(), floor.fen() + accounts - 1);
        }
    }
}
