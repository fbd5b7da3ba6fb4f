import { get, query } from '../api.js';
import { empty, h, pager, replaceChildren, table } from '../dom.js';
import { count, coverage, money } from '../format.js';
import { t } from '../i18n.js';
import { failure, hashQuery, institutionLink, loading, riskBadge, statusBadge } from './common.js';

const PAGE_SIZE = 25;
const STATUSES = ['REGISTERED', 'ACTIVE', 'SUSPENDED', 'BLACKLISTED', 'CLOSED'];
const RISKS = ['HIGH', 'MEDIUM', 'LOW', 'NONE'];

/** Institutions ranked by risk, with filters and a search by name or credit code; the filters live in the URL. */
export function render(container) {
    const state = hashQuery();
    const page = Number(state.get('page') ?? 0);
    const search = h('input', { type: 'search', id: 'search', name: 'q', value: state.get('q') ?? '',
        placeholder: t('field.search') });
    const region = h('input', { type: 'text', id: 'region', name: 'regionCode', value: state.get('regionCode') ?? '',
        inputmode: 'numeric', pattern: '\\d{1,6}', maxlength: 6, size: 8 });
    const select = (id, values, prefix, chosen) => h('select', { id, name: id },
        h('option', { value: '' }, t('field.all')),
        values.map(value => h('option', { value, selected: value === chosen }, t(`${prefix}.${value}`))));
    const status = select('status', STATUSES, 'status', state.get('status'));
    const risk = select('riskLevel', RISKS, 'risk', state.get('riskLevel'));
    const results = h('div', { id: 'ranking' }, loading());

    const go = nextPage => {
        location.hash = '#/institutions' + query({
            q: search.value.trim(), regionCode: region.value.trim(), status: status.value, riskLevel: risk.value,
            page: nextPage || null,
        });
    };
    container.append(
        h('div', { class: 'page-head' }, h('h1', {}, t('institutions.title'))),
        h('form', { class: 'filters card', id: 'filters', onsubmit: event => { event.preventDefault(); go(0); } },
            h('label', {}, h('span', {}, t('field.search')), search),
            h('label', {}, h('span', {}, t('field.region')), region),
            h('label', {}, h('span', {}, t('field.status')), status),
            h('label', {}, h('span', {}, t('field.risk')), risk),
            h('button', { type: 'submit', class: 'primary' }, t('action.search'))),
        results);
    [status, risk].forEach(control => control.addEventListener('change', () => go(0)));

    get('/api/v1/institutions' + query({
        sort: 'risk', q: state.get('q'), regionCode: state.get('regionCode'), status: state.get('status'),
        riskLevel: state.get('riskLevel'), page, size: PAGE_SIZE,
    })).then(found => {
        if (found.totalElements === 0) {
            replaceChildren(results, empty(t('institutions.empty')));
            return;
        }
        const rows = found.content.map((institution, index) => {
            const covered = coverage(institution.totalBalance, institution.floor);
            return {
                attributes: { class: `risk-row risk-${institution.riskLevel.toLowerCase()}`,
                    dataset: { institutionId: institution.institutionId } },
                cells: [
                    h('span', { class: 'rank' }, String(page * PAGE_SIZE + index + 1)),
                    h('div', {}, institutionLink(institution.institutionId, institution.name),
                        h('div', { class: 'muted mono' }, institution.institutionId)),
                    institution.regionCode,
                    statusBadge(institution.status),
                    riskBadge(institution.riskLevel),
                    h('span', { class: institution.openAlerts > 0 ? 'strong' : 'muted' }, count(institution.openAlerts)),
                    h('span', { class: 'num' }, money(institution.totalBalance)),
                    h('span', { class: 'num' }, money(institution.floor)),
                    coverageMeter(covered),
                    h('span', { class: 'num' }, money(institution.outstandingLiability)),
                ],
            };
        });
        replaceChildren(results,
            h('p', { class: 'muted' }, t('institutions.count', { count: count(found.totalElements) })),
            table(['#', t('field.institution'), t('field.region'), t('field.status'), t('field.risk'),
                t('field.openAlerts'), t('field.totalBalance'), t('field.floor'), t('field.coverage'),
                t('field.liability')], rows, { class: 'data ranking', id: 'ranking-table' }),
            pager(page, PAGE_SIZE, found.totalElements, go));
    }).catch(error => replaceChildren(results, failure(error)));
}

/** Balance against floor as a meter: under 100% is below the floor, under 120% is near it. */
export function coverageMeter(percent) {
    if (percent === null) {
        return h('span', { class: 'muted' }, '—');
    }
    const level = percent < 100 ? 'below' : percent < 120 ? 'near' : 'safe';
    return h('span', { class: `coverage coverage-${level}` },
        h('meter', { min: 0, max: 200, low: 100, high: 120, optimum: 200, value: Math.min(percent, 200) }),
        h('span', { class: 'num' }, `${percent}%`));
}
