import { get, query } from '../api.js';
import { empty, h, pager, replaceChildren, table } from '../dom.js';
import { age, dateTime, money } from '../format.js';
import { t } from '../i18n.js';
import { failure, heldActions, institutionLink, loading } from './common.js';

const PAGE_SIZE = 50;

/** Every held outflow waiting in the regulator's region, the longest waiting first. */
export function render(container) {
    const body = h('div', { id: 'held' }, loading());
    container.append(h('div', { class: 'page-head' }, h('h1', {}, t('held.title'))),
        h('p', { class: 'muted' }, t('held.explain')), h('section', { class: 'card' }, body));
    const load = async (page = 0) => {
        const found = await get(`/api/v1/held-outflows${query({ status: 'PENDING', page, size: PAGE_SIZE })}`);
        if (found.totalElements === 0) {
            replaceChildren(body, empty(t('held.empty')));
            return;
        }
        replaceChildren(body, table(
            [t('field.heldAt'), t('field.age'), t('field.institution'), t('field.account'), t('field.type'),
                t('field.amount'), t('field.bankTxnId'), t('field.actions')],
            found.content.map(held => ({
                attributes: { dataset: { heldOutflowId: held.heldOutflowId } },
                cells: [dateTime(held.heldAt), h('span', { class: 'strong' }, age(held.heldAt)),
                    institutionLink(held.institutionId), h('span', { class: 'mono' }, held.accountId),
                    t(`type.${held.type}`), h('span', { class: 'num strong' }, money(held.amount)),
                    h('span', { class: 'mono' }, held.bankTxnId),
                    heldActions(held, (decided, buttons) => buttons.closest('tr').remove())],
            })), { class: 'data', id: 'held-table' }),
        pager(page, PAGE_SIZE, found.totalElements, next => load(next).catch(show)));
    };
    const show = error => replaceChildren(body, failure(error));
    load().catch(show);
}
