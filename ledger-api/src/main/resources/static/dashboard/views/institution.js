import { get, post, query } from '../api.js';
import { ask } from '../dialog.js';
import { empty, h, pager, replaceChildren, section, table } from '../dom.js';
import { age, count, coverage, dateTime, decimalOf, fen, money, monthDay } from '../format.js';
import { currentLanguage, t } from '../i18n.js';
import { alertActions, failure, gradeBadge, heldActions, loading, riskBadge, statusBadge } from './common.js';
import { coverageMeter } from './institutions.js';

const CHART_POINTS = 13;
const ORDERS_PAGE = 10;

/**
 * One institution: its totals, accounts (freeze / unfreeze), a chart of balance, floor and outstanding
 * tuition over time from the as-of balances, its orders, alerts and held outflows, and the measures a
 * regulator may take (suspend, blacklist, close).
 */
export function render(container, [institutionId], context) {
    const base = `/api/v1/institutions/${encodeURIComponent(institutionId)}`;
    let chart = null;
    let selectedAccount = null;
    let chartRange = 90;
    const head = h('div', { class: 'page-head' }, loading());
    const kpis = h('div', { class: 'kpis' });
    const accountsBody = h('div', { id: 'accounts' }, loading());
    const chartBox = h('div', { class: 'chart', id: 'balance-chart', role: 'img', 'aria-label': t('institution.chart') });
    const accountPicker = h('select', { id: 'chart-account' });
    const rangePicker = h('select', { id: 'chart-range' },
        [30, 90, 365].map(days => h('option', { value: days, selected: days === chartRange }, t(`range.${days}`))));
    const ordersBody = h('div', { id: 'orders' });
    const alertsBody = h('div', { id: 'institution-alerts' }, loading());
    const heldBody = h('div', { id: 'institution-held' }, loading());

    container.append(head, kpis,
        h('div', { class: 'grid-2' },
            section(t('institution.chart'),
                h('div', { class: 'chart-controls' },
                    h('label', {}, h('span', {}, t('institution.chartAccount')), accountPicker),
                    h('label', {}, h('span', {}, t('field.range')), rangePicker)),
                chartBox),
            context.regulator ? section(t('institution.held'), heldBody) : section(t('institution.alerts'), alertsBody)),
        section(t('institution.accounts'), accountsBody),
        context.regulator ? section(t('institution.alerts'), alertsBody) : null,
        section(t('institution.orders'), ordersBody));

    const loadInstitution = async () => {
        const institution = await get(base);
        replaceChildren(head,
            h('div', {},
                h('h1', {}, institution.name),
                h('p', { class: 'muted mono' }, `${institution.institutionId} · ${institution.regionCode} · `
                    + t(`mode.${institution.supervisionMode}`))),
            h('div', { class: 'head-badges' }, statusBadge(institution.status), riskBadge(institution.riskLevel)),
            measures(institution));
        replaceChildren(kpis,
            kpi(t('field.totalBalance'), money(institution.totalBalance)),
            kpi(t('field.floor'), money(institution.floor), coverageMeter(coverage(institution.totalBalance,
                institution.floor))),
            kpi(t('field.liability'), money(institution.outstandingLiability)),
            kpi(t('field.openAlerts'), count(institution.openAlerts)));
        return institution;
    };

    const measures = institution => {
        if (!context.regulator || institution.status === 'CLOSED') {
            return null;
        }
        const steps = ['suspend', 'blacklist', 'close'].filter(step =>
            !(step === 'suspend' && institution.status === 'SUSPENDED')
            && !(step === 'blacklist' && institution.status === 'BLACKLISTED'));
        return h('div', { class: 'actions measures' }, steps.map(step => h('button', {
            type: 'button', class: 'danger', dataset: { action: step },
            onclick: async () => {
                const done = await ask({
                    title: t(`dialog.${step}`, { name: institution.name }), text: t(`dialog.${step}Text`),
                    noteLabel: t('dialog.reason'), required: true, danger: true, confirmLabel: t(`action.${step}`),
                    action: reason => post(`${base}/${step}`, { reason }),
                });
                if (done) {
                    refresh();
                }
            },
        }, t(`action.${step}`))));
    };

    const loadAccounts = async institution => {
        const accounts = await Promise.all(institution.accountIds.map(accountId =>
            get(`/api/v1/accounts/${encodeURIComponent(accountId)}`)));
        if (accounts.length === 0) {
            replaceChildren(accountsBody, empty(t('institution.noAccounts')));
            return accounts;
        }
        const total = field => money(decimalOf(accounts.reduce((sum, account) => sum + fen(account[field]), 0n)));
        replaceChildren(accountsBody, table(
            [t('field.account'), t('field.bank'), t('field.bankAccountNo'), t('field.balance'), t('field.floor'),
                t('field.releasable'), t('field.liability'), t('field.orders'), t('field.status'),
                context.regulator ? t('field.actions') : null].filter(Boolean),
            [...accounts.map(account => ({
                attributes: { dataset: { accountId: account.accountId }, class: account.frozen ? 'frozen-row' : null },
                cells: [h('span', { class: 'mono' }, account.accountId), account.bankCode,
                    h('span', { class: 'mono' }, account.bankAccountNo),
                    h('span', { class: 'num' }, money(account.balance)), h('span', { class: 'num' }, money(account.floor)),
                    h('span', { class: 'num' }, money(account.releasable)),
                    h('span', { class: 'num' }, money(account.outstandingLiability)), count(account.orderCount),
                    account.frozen ? h('span', { class: 'badge frozen' }, t('field.frozen'))
                        : h('span', { class: 'badge status-active' }, t('status.ACTIVE')),
                    context.regulator ? freezeButton(account) : null].filter(cell => cell !== null),
            })),
            { attributes: { class: 'total-row' }, cells: [t('field.totalBalance'), '', '',
                h('span', { class: 'num' }, total('balance')), h('span', { class: 'num' }, total('floor')),
                h('span', { class: 'num' }, total('releasable')),
                h('span', { class: 'num' }, total('outstandingLiability')), '', '', context.regulator ? '' : null]
                .filter(cell => cell !== null) }],
            { class: 'data', id: 'accounts-table' }));
        return accounts;
    };

    const freezeButton = account => {
        const step = account.frozen ? 'unfreeze' : 'freeze';
        return h('button', {
            type: 'button', class: account.frozen ? 'small' : 'small danger',
            dataset: { action: step, account: account.accountId },
            onclick: async () => {
                const done = await ask({
                    title: t(`dialog.${step}`, { id: account.accountId }), noteLabel: t('dialog.reason'),
                    required: true, danger: step === 'freeze', confirmLabel: t(`action.${step}`),
                    action: reason => post(`/api/v1/accounts/${encodeURIComponent(account.accountId)}/${step}`,
                        { reason }),
                });
                if (done) {
                    refresh();
                }
            },
        }, t(`action.${step}`));
    };

    const loadChart = async () => {
        if (!selectedAccount) {
            return;
        }
        const now = Date.now();
        const step = chartRange * 86400000 / (CHART_POINTS - 1);
        const instants = Array.from({ length: CHART_POINTS }, (unused, index) =>
            new Date(now - (CHART_POINTS - 1 - index) * step).toISOString());
        const balances = await Promise.all(instants.map(asOf =>
            get(`/api/v1/accounts/${encodeURIComponent(selectedAccount)}/balance${query({ asOf })}`)));
        const echarts = await import('/webjars/echarts/dist/echarts.esm.min.js');
        chart?.dispose();
        chart = echarts.init(chartBox, null, { locale: currentLanguage() === 'en' ? 'EN' : 'ZH', renderer: 'canvas' });
        // The chart needs numbers to place points; what it shows in words comes from the decimal strings.
        const series = (name, field, color, area) => ({
            name, type: 'line', smooth: false, showSymbol: true, symbolSize: 5, color,
            areaStyle: area ? { opacity: 0.12 } : undefined,
            data: balances.map((balance, index) => ({ value: [instants[index], Number(balance[field])],
                text: balance[field] })),
        });
        chart.setOption({
            animation: false,
            grid: { left: 12, right: 16, top: 40, bottom: 8, containLabel: true },
            legend: { top: 0, textStyle: { color: '#1f2a37' } },
            // drawn on the canvas, not as HTML: no inline styles for the page's content security policy
            tooltip: {
                trigger: 'axis', renderMode: 'richText',
                formatter: points => [dateTime(points[0].value[0]), ...points.map(point =>
                    `${point.seriesName}: ${money(point.data.text)}`)].join('\n'),
            },
            xAxis: { type: 'time', axisLabel: { color: '#4b5563', hideOverlap: true, formatter: value => monthDay(value) } },
            yAxis: { type: 'value', axisLabel: { color: '#4b5563', formatter: value => '¥' + value.toLocaleString('en') } },
            series: [series(t('field.balance'), 'balance', '#1d4ed8', true),
                series(t('field.floor'), 'floor', '#b91c1c', false),
                series(t('field.liability'), 'outstandingLiability', '#b45309', false)],
        });
        chartBox.dataset.points = String(balances.length);
    };

    const loadOrders = async (page = 0) => {
        if (!selectedAccount) {
            replaceChildren(ordersBody, empty(t('institution.noOrders')));
            return;
        }
        const found = await get(`/api/v1/accounts/${encodeURIComponent(selectedAccount)}/orders`
            + query({ page, size: ORDERS_PAGE }));
        if (found.totalElements === 0) {
            replaceChildren(ordersBody, h('p', { class: 'muted' }, selectedAccount), empty(t('institution.noOrders')));
            return;
        }
        replaceChildren(ordersBody, h('p', { class: 'muted' }, `${t('field.account')} ${selectedAccount}`), table(
            [t('field.order'), t('field.student'), t('field.lessons'), t('field.consumed'), t('field.price'),
                t('field.paid'), t('field.released'), t('field.refunded'), t('field.course'), t('field.depositedAt')],
            found.content.map(order => [h('span', { class: 'mono' }, order.orderId), order.studentRef ?? '—',
                count(order.lessons), count(order.lessonsConsumed), h('span', { class: 'num' }, money(order.lessonPrice)),
                h('span', { class: 'num' }, money(order.paid)), h('span', { class: 'num' }, money(order.released)),
                h('span', { class: 'num' }, money(order.refunded)), `${order.courseStart} – ${order.courseEnd}`,
                dateTime(order.depositedAt)]), { class: 'data', id: 'orders-table' }),
        pager(page, ORDERS_PAGE, found.totalElements, next => loadOrders(next).catch(showIn(ordersBody))));
    };

    const loadAlerts = async () => {
        const found = await get(`/api/v1/alerts${query({ institutionId, size: 20 })}`);
        if (found.totalElements === 0) {
            replaceChildren(alertsBody, empty(t('institution.noAlerts')));
            return;
        }
        replaceChildren(alertsBody, table(
            [t('field.grade'), t('field.code'), t('field.status'), t('field.account'), t('field.raisedAt'),
                t('field.actions')],
            found.content.map(alert => ({
                attributes: { dataset: { alertId: alert.alertId } },
                cells: [gradeBadge(alert.grade),
                    h('a', { href: `#/alert/${encodeURIComponent(alert.alertId)}` }, t(`code.${alert.code}`)),
                    statusBadge(alert.status), h('span', { class: 'mono' }, alert.accountId ?? ''),
                    dateTime(alert.raisedAt), alertActions(alert, context, () => loadAlerts().catch(showIn(alertsBody)))],
            })), { class: 'data' }));
    };

    const loadHeld = async () => {
        if (!context.regulator) {
            return;
        }
        const found = await get(`/api/v1/held-outflows${query({ institutionId, status: 'PENDING', size: 50 })}`);
        if (found.totalElements === 0) {
            replaceChildren(heldBody, empty(t('institution.noHeld')));
            return;
        }
        replaceChildren(heldBody, table(
            [t('field.heldAt'), t('field.age'), t('field.account'), t('field.type'), t('field.amount'), t('field.actions')],
            found.content.map(held => ({
                attributes: { dataset: { heldOutflowId: held.heldOutflowId } },
                cells: [dateTime(held.heldAt), age(held.heldAt), h('span', { class: 'mono' }, held.accountId),
                    t(`type.${held.type}`), h('span', { class: 'num strong' }, money(held.amount)),
                    heldActions(held, () => loadInstitution().catch(showIn(head)))],
            })), { class: 'data', id: 'held-table' }));
    };

    const showIn = element => error => replaceChildren(element, failure(error));

    async function refresh() {
        try {
            const institution = await loadInstitution();
            const accounts = await loadAccounts(institution);
            if (!selectedAccount && accounts.length > 0) {
                selectedAccount = accounts[0].accountId;
            }
            replaceChildren(accountPicker, accounts.map(account =>
                h('option', { value: account.accountId, selected: account.accountId === selectedAccount },
                    account.accountId)));
            await Promise.all([loadChart().catch(showIn(chartBox)), loadOrders().catch(showIn(ordersBody)),
                loadAlerts().catch(showIn(alertsBody)), loadHeld().catch(showIn(heldBody))]);
        } catch (error) {
            replaceChildren(head, failure(error));
        }
    }

    accountPicker.addEventListener('change', () => {
        selectedAccount = accountPicker.value;
        loadChart().catch(showIn(chartBox));
        loadOrders().catch(showIn(ordersBody));
    });
    rangePicker.addEventListener('change', () => {
        chartRange = Number(rangePicker.value);
        loadChart().catch(showIn(chartBox));
    });
    const resize = () => chart?.resize();
    window.addEventListener('resize', resize);
    const stopListening = context.onAlert(alert => {
        if (alert.institutionId === institutionId) {
            loadAlerts().catch(showIn(alertsBody));
        }
    });
    refresh();
    return () => {
        window.removeEventListener('resize', resize);
        stopListening();
        chart?.dispose();
    };
}

function kpi(label, value, extra) {
    return h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value num' }, value),
        extra ?? null);
}
