import { t } from './i18n.js';

/**
 * h('a', {href: '#/x', class: 'y'}, 'text', child…): elements built from text nodes only, so nothing the
 * API returns is ever parsed as HTML. Attributes starting with "on" take listeners.
 */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            element.addEventListener(name.slice(2).toLowerCase(), value);
        } else if (name === 'dataset') {
            Object.assign(element.dataset, value);
        } else {
            element.setAttribute(name, value === true ? '' : value);
        }
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        if (Array.isArray(child)) {
            append(element, child);
        } else {
            element.append(child instanceof Node ? child : document.createTextNode(String(child)));
        }
    }
}

/** A table with a header row; rows are arrays of cells (text or nodes), or {cells, attributes}. */
export function table(headers, rows, attributes = {}) {
    return h('div', { class: 'table-wrap' },
        h('table', attributes,
            h('thead', {}, h('tr', {}, headers.map(header => h('th', { scope: 'col' }, header)))),
            h('tbody', {}, rows.map(row => Array.isArray(row)
                ? h('tr', {}, row.map(cell => h('td', {}, cell)))
                : h('tr', row.attributes, row.cells.map(cell => h('td', {}, cell)))))));
}

/** Previous / page x of y / next. */
export function pager(page, size, total, go) {
    const pages = Math.max(1, Math.ceil(total / size));
    return h('div', { class: 'pager' },
        h('button', { type: 'button', disabled: page <= 0, onclick: () => go(page - 1) }, t('page.previous')),
        h('span', { class: 'pager-position' }, t('page.of', { page: page + 1, pages })),
        h('button', { type: 'button', disabled: page + 1 >= pages, onclick: () => go(page + 1) }, t('page.next')));
}

export function badge(kind, value, label) {
    return h('span', { class: `badge ${kind}-${String(value).toLowerCase()}` }, label);
}

export function section(title, ...children) {
    return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function empty(text) {
    return h('p', { class: 'empty' }, text);
}

export function replaceChildren(element, ...children) {
    element.replaceChildren();
    append(element, children);
}
