import { t } from './i18n.js';

const dialog = () => document.getElementById('dialog');

/**
 * Asks for a note or reason in a modal dialog, then runs the action with it. The dialog stays open and
 * shows the problem when the action fails; it resolves with the action's result once it succeeds.
 */
export function ask({ title, text = '', noteLabel = t('dialog.note'), required = false, confirmLabel, danger = false,
                        action }) {
    const element = dialog();
    const note = document.getElementById('dialog-note');
    const error = document.getElementById('dialog-error');
    const confirm = document.getElementById('dialog-confirm');
    const cancel = document.getElementById('dialog-cancel');
    document.getElementById('dialog-title').textContent = title;
    document.getElementById('dialog-text').textContent = text;
    document.getElementById('dialog-note-label').textContent = noteLabel;
    note.value = '';
    error.hidden = true;
    confirm.textContent = confirmLabel;
    confirm.classList.toggle('danger', danger);
    confirm.disabled = false;
    cancel.textContent = t('action.cancel');

    return new Promise(resolve => {
        const form = document.getElementById('dialog-form');
        const finish = result => {
            form.removeEventListener('submit', submit);
            cancel.removeEventListener('click', dismiss);
            element.removeEventListener('cancel', dismiss);
            if (element.open) {
                element.close();
            }
            resolve(result);
        };
        const dismiss = () => finish(null);
        const submit = async event => {
            event.preventDefault();
            const value = note.value.trim();
            if (required && !value) {
                error.textContent = t('dialog.noteRequired');
                error.hidden = false;
                note.focus();
                return;
            }
            confirm.disabled = true;
            try {
                finish(await action(value));
            } catch (failure) {
                error.textContent = t('error.generic', { detail: failure.message });
                error.hidden = false;
                confirm.disabled = false;
            }
        };
        form.addEventListener('submit', submit);
        cancel.addEventListener('click', dismiss);
        element.addEventListener('cancel', dismiss);
        element.showModal();
        note.focus();
    });
}
