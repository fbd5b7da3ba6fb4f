package cn.prepaid.ledger.projections;

import java.time.Instant;

/** Instants as PostgreSQL keeps them. */
public final class PostgresTime {

    private PostgresTime() {
    }

    /**
     * An instant as PostgreSQL keeps it when it is sent as a parameter: to the microsecond, a half
     * microsecond rounded up (the driver rounds before sending). A projection that holds times in memory,
     * or sends them as text, holds and sends them so, and compares them as its statements would.
     */
    public static Instant asStored(Instant instant) {
        int belowMicros = instant.getNano() % 1_000;
        if (belowMicros == 0) {
            return instant;
        }
        Instant down = instant.minusNanos(belowMicros);
        return belowMicros >= 500 ? down.plusNanos(1_000) : down;
    }
}
