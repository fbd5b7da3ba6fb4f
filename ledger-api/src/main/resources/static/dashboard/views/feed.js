import { get } from '../api.js';
import { h, replaceChildren, empty } from '../dom.js';
import { count, dateTime } from '../format.js';
import { t } from '../i18n.js';
import { alertActions, failure, gradeBadge, institutionLink, statusBadge } from './common.js';

/** The regulator's morning view: open RED/YELLOW counts and alerts arriving live. */
export function render(container, parameters, context) {
    const alerts = new Map();
    const list = h('div', { class: 'feed-list', id: 'feed-list', 'aria-live': 'polite' });
    const counters = {
        red: h('span', { class: 'kpi-value', id: 'count-red' }, '…'),
        yellow: h('span', { class: 'kpi-value', id: 'count-yellow' }, '…'),
        held: h('span', { class: 'kpi-value', id: 'count-held' }, '…'),
    };
    const streamState = context.streamState === 'resumed' ? 'live' : context.streamState;
    container.append(
        h('div', { class: 'page-head' },
            h('h1', {}, t('feed.title')),
            h('span', { class: 'live-indicator', dataset: { streamState }, id: 'stream-state' },
                streamState === 'live' ? t('stream.live') : t(`stream.${streamState}`))),
        h('div', { class: 'kpis' },
            h('div', { class: 'kpi kpi-red' }, h('span', { class: 'kpi-label' }, t('feed.openRed')), counters.red),
            h('div', { class: 'kpi kpi-yellow' }, h('span', { class: 'kpi-label' }, t('feed.openYellow')),
                counters.yellow),
            context.regulator ? h('a', { class: 'kpi kpi-held', href: '#/held' },
                h('span', { class: 'kpi-label' }, t('feed.pendingHeld')), counters.held) : null),
        list);

    const item = (alert, fresh) => h('article', {
        class: `alert-item grade-${alert.grade.toLowerCase()}${fresh ? ' fresh' : ''}`,
        dataset: { alertId: alert.alertId, status: alert.status },
    },
        h('div', { class: 'alert-grade' }, gradeBadge(alert.grade)),
        h('div', { class: 'alert-body' },
            h('div', { class: 'alert-title' },
                h('a', { href: `#/alert/${encodeURIComponent(alert.alertId)}`, class: 'alert-code' },
                    t(`code.${alert.code}`)),
                statusBadge(alert.status),
                fresh ? h('span', { class: 'badge fresh-badge' }, t('feed.new')) : null),
            h('p', { class: 'alert-summary' }, alert.summary),
            h('p', { class: 'alert-meta' },
                institutionLink(alert.institutionId), ' · ', alert.accountId ?? '', ' · ',
                h('time', { datetime: alert.raisedAt }, dateTime(alert.raisedAt)))),
        alertActions(alert, context, changed => upsert(changed, false)));

    const draw = () => {
        const ordered = [...alerts.values()].sort((a, b) => (b.alert.raisedAt > a.alert.raisedAt ? 1
            : b.alert.raisedAt < a.alert.raisedAt ? -1 : 0));
        if (ordered.length === 0) {
            replaceChildren(list, empty(t('feed.empty')));
        } else {
            replaceChildren(list, ordered.slice(0, 200).map(entry => item(entry.alert, entry.fresh)));
        }
    };

    let countsTimer = null;
    const refreshCounts = () => {
        clearTimeout(countsTimer);
        countsTimer = setTimeout(async () => {
            const total = async path => (await get(path)).totalElements;
            try {
                const [red, yellow] = await Promise.all([
                    total('/api/v1/alerts?status=OPEN&grade=RED&size=1'),
                    total('/api/v1/alerts?status=OPEN&grade=YELLOW&size=1')]);
                counters.red.textContent = count(red);
                counters.yellow.textContent = count(yellow);
                if (context.regulator) {
                    counters.held.textContent = count(await total('/api/v1/held-outflows?status=PENDING&size=1'));
                }
            } catch (error) {
                counters.red.textContent = '—';
            }
        }, 150);
    };

    function upsert(alert, fresh) {
        const known = alerts.get(alert.alertId);
        alerts.set(alert.alertId, { alert, fresh: fresh || (known?.fresh ?? false) });
        draw();
        refreshCounts();
    }

    const stopListening = context.onAlert(alert => upsert(alert, !alerts.has(alert.alertId)));
    get('/api/v1/alerts?size=50').then(page => {
        page.content.forEach(alert => {
            if (!alerts.has(alert.alertId)) {
                alerts.set(alert.alertId, { alert, fresh: false });
            }
        });
        draw();
    }).catch(error => replaceChildren(list, failure(error)));
    refreshCounts();
    return () => {
        stopListening();
        clearTimeout(countsTimer);
    };
}
