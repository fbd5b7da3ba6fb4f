import { get } from '../api.js';
import { h, replaceChildren, section, table } from '../dom.js';
import { dateTime } from '../format.js';
import { t } from '../i18n.js';
import { alertActions, failure, gradeBadge, institutionLink, loading, statusBadge } from './common.js';

/** One alert: what raised it, its facts, its lifecycle history, and the next steps it allows. */
export function render(container, [alertId], context) {
    const body = h('div', { id: 'alert' }, loading());
    container.append(body);
    const load = async () => {
        const alert = await get(`/api/v1/alerts/${encodeURIComponent(alertId)}`);
        const facts = Object.entries(alert.facts ?? {});
        replaceChildren(body,
            h('div', { class: 'page-head' },
                h('div', {}, h('h1', {}, `${t('alert.title')} · ${t(`code.${alert.code}`)}`),
                    h('p', { class: 'muted mono' }, alert.alertId)),
                h('div', { class: 'head-badges' }, gradeBadge(alert.grade), statusBadge(alert.status)),
                alertActions(alert, context, () => load().catch(show))),
            h('div', { class: 'grid-2' },
                section(t('field.summary'),
                    h('p', { class: 'alert-summary large' }, alert.summary),
                    h('dl', { class: 'facts' },
                        h('dt', {}, t('field.institution')), h('dd', {}, institutionLink(alert.institutionId)),
                        h('dt', {}, t('field.account')), h('dd', { class: 'mono' }, alert.accountId ?? '—'),
                        h('dt', {}, t('field.occurredAt')), h('dd', {}, dateTime(alert.occurredAt)),
                        h('dt', {}, t('field.raisedAt')), h('dd', {}, dateTime(alert.raisedAt)))),
                section(t('field.facts'), table(['', ''], facts.map(([name, value]) =>
                    [h('span', { class: 'mono' }, name), h('span', { class: 'mono' },
                        typeof value === 'object' ? JSON.stringify(value) : String(value))]), { class: 'data compact' }))),
            section(t('field.history'), table([t('field.status'), t('field.by'), t('field.at'), t('field.note')],
                (alert.history ?? []).map(step => [statusBadge(step.status), step.by ?? '—', dateTime(step.at),
                    step.note ?? '']), { class: 'data', id: 'alert-history' })));
    };
    const show = error => replaceChildren(body, failure(error));
    load().catch(show);
}
