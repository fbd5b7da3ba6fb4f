package cn.prepaid.ledger.sim.traffic;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How values travel on the wire (docs/api.md): money as decimal strings of fen, instants with the +08:00 offset. */
final class Wire {

    static final ZoneOffset SHANGHAI = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private Wire() {
    }

    /** 123456 fen → "1234.56"; negative amounts keep their sign. */
    static String money(long fen) {
        long abs = Math.abs(fen);
        return (fen < 0 ? "-" : "") + (abs / 100) + "." + String.format("%02d", abs % 100);
    }

    static long fen(String money) {
        boolean negative = money.startsWith("-");
        String digits = negative ? money.substring(1) : money;
        int dot = digits.indexOf('.');
        long yuan = Long.parseLong(dot < 0 ? digits : digits.substring(0, dot));
        String fraction = dot < 0 ? "" : (digits.substring(dot + 1) + "00").substring(0, 2);
        long fen = yuan * 100 + (fraction.isEmpty() ? 0 : Long.parseLong(fraction));
        return negative ? -fen : fen;
    }

    static String instant(Instant at) {
        return OffsetDateTime.ofInstant(at, SHANGHAI).format(INSTANT);
    }
}
