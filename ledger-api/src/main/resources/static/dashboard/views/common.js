import { post } from '../api.js';
import { ask } from '../dialog.js';
import { badge, h } from '../dom.js';
import { money } from '../format.js';
import { t } from '../i18n.js';

export function gradeBadge(grade) {
    return badge('grade', grade, t(`grade.${grade}`));
}

export function statusBadge(status) {
    return badge('status', status, t(`status.${status}`));
}

export function riskBadge(level) {
    return badge('risk', level, t(`risk.${level}`));
}

export function institutionLink(institutionId, name) {
    return h('a', { href: `#/institution/${encodeURIComponent(institutionId)}` }, name ?? institutionId);
}

/** Acknowledge / resolve / dismiss, as the alert's status allows; each asks for a note. */
export function alertActions(alert, context, done) {
    if (!context.regulator) {
        return null;
    }
    const steps = [];
    if (alert.status === 'OPEN') {
        steps.push('acknowledge');
    }
    if (alert.status === 'OPEN' || alert.status === 'ACKNOWLEDGED') {
        steps.push('resolve', 'dismiss');
    }
    return h('div', { class: 'actions' }, steps.map(step => h('button', {
        type: 'button', class: step === 'acknowledge' ? 'primary small' : 'small',
        dataset: { action: step, alert: alert.alertId },
        onclick: async () => {
            const changed = await ask({
                title: t(`dialog.${step}`), text: `${t(`code.${alert.code}`)} · ${alert.summary ?? ''}`,
                confirmLabel: t(`action.${step}`),
                action: note => post(`/api/v1/alerts/${encodeURIComponent(alert.alertId)}/${step}`, { note }),
            });
            if (changed) {
                done(changed);
            }
        },
    }, t(`action.${step}`))));
}

/**
 * Approve (note optional) or reject (reason required) a held outflow. Once decided, the buttons give way
 * to the decision at once: the lists of held outflows are read models and may show it a moment later.
 */
export function heldActions(heldOutflow, done) {
    const text = t('dialog.heldText', {
        type: t(`type.${heldOutflow.type}`), amount: money(heldOutflow.amount), account: heldOutflow.accountId,
    });
    const decide = (step, required) => async () => {
        const decided = await ask({
            title: t(`dialog.${step}`), text, required, danger: step === 'reject',
            noteLabel: required ? t('dialog.reason') : t('dialog.note'), confirmLabel: t(`action.${step}`),
            action: note => post(`/api/v1/held-outflows/${encodeURIComponent(heldOutflow.heldOutflowId)}/${step}`,
                required ? { reason: note } : { note: note || undefined }),
        });
        if (decided) {
            buttons.replaceChildren(statusBadge(decided.status));
            done(decided, buttons);
        }
    };
    const buttons = h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary small', dataset: { action: 'approve', held: heldOutflow.heldOutflowId },
            onclick: decide('approve', false) }, t('action.approve')),
        h('button', { type: 'button', class: 'small danger', dataset: { action: 'reject', held: heldOutflow.heldOutflowId },
            onclick: decide('reject', true) }, t('action.reject')));
    return buttons;
}

/** The query of a hash route such as #/institutions?q=x&page=2. */
export function hashQuery() {
    const index = location.hash.indexOf('?');
    return new URLSearchParams(index < 0 ? '' : location.hash.slice(index + 1));
}

export function loading() {
    return h('p', { class: 'muted' }, t('common.loading'));
}

export function failure(error) {
    return h('p', { class: 'form-error', role: 'alert' }, t('error.generic', { detail: error.message }));
}
