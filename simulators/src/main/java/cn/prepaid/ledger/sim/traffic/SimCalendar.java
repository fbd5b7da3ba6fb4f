package cn.prepaid.ledger.sim.traffic;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Simulated time. Day 0 is {@code firstDate} (a Shanghai calendar date); an event happens on a day at a
 * minute of that day in Shanghai time. The traffic command puts the last simulated day just before
 * today, so every occurredAt lies in the recent past the ledger accepts (−400 days … +5 minutes).
 */
record SimCalendar(LocalDate firstDate, int days) {

    /** A calendar whose last day is the day before {@code today}. */
    static SimCalendar endingBefore(LocalDate today, int days) {
        return new SimCalendar(today.minusDays(days), days);
    }

    LocalDate date(int day) {
        return firstDate.plusDays(day);
    }

    Instant at(int day, int minuteOfDay) {
        return date(day).atStartOfDay(Wire.SHANGHAI).plusMinutes(minuteOfDay).toInstant();
    }

    /** Just after the last simulated day: where a sweep "now" at the end of the run lands, at the earliest. */
    Instant end() {
        return date(days).atStartOfDay(Wire.SHANGHAI).toInstant();
    }
}
