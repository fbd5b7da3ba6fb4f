import { locale, t } from './i18n.js';

/**
 * "1234567.5" → "¥1,234,567.50". Works on the decimal string itself: amounts are never turned into
 * floating-point numbers for display.
 */
export function money(decimal) {
    if (decimal === null || decimal === undefined || decimal === '') {
        return '—';
    }
    const text = String(decimal).trim();
    const negative = text.startsWith('-');
    const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (negative ? '-' : '') + '¥' + grouped + '.' + (fraction + '00').slice(0, 2);
}

/** A decimal string as exact fen (BigInt), for sums and comparisons. */
export function fen(decimal) {
    const text = String(decimal ?? '0').trim();
    const negative = text.startsWith('-');
    const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const value = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
    return negative ? -value : value;
}

/** Exact fen back to a decimal string. */
export function decimalOf(fenValue) {
    const negative = fenValue < 0n;
    const absolute = negative ? -fenValue : fenValue;
    const cents = String(absolute % 100n).padStart(2, '0');
    return (negative ? '-' : '') + String(absolute / 100n) + '.' + cents;
}

/** Balance as a whole-number percentage of the floor, computed on fen; null when there is no floor. */
export function coverage(balance, floor) {
    const floorFen = fen(floor);
    if (floorFen <= 0n) {
        return null;
    }
    return Number((fen(balance) * 100n) / floorFen);
}

/** An instant in the viewer's own time zone. */
export function dateTime(iso) {
    if (!iso) {
        return '—';
    }
    return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

/** A short day for chart axes: "9月20日", "20 Sep". */
export function monthDay(instant) {
    return new Intl.DateTimeFormat(locale(), { month: 'short', day: 'numeric' }).format(new Date(instant));
}

/** How long ago an instant was, in the largest whole unit. */
export function age(iso, now = Date.now()) {
    const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60000));
    if (minutes < 120) {
        return t('time.minutes', { n: minutes });
    }
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? t('time.hours', { n: hours }) : t('time.days', { n: Math.floor(hours / 24) });
}

export function count(number) {
    return new Intl.NumberFormat(locale()).format(number);
}
