import { ApiError, get, post, query } from '../api.js';
import { empty, h, pager, replaceChildren, section, table } from '../dom.js';
import { count, dateTime, money } from '../format.js';
import { t } from '../i18n.js';
import { failure, institutionLink, loading, statusBadge } from './common.js';

const ROWS_PER_PAGE = 100;
const REPLAY_POLL_MILLIS = 1000;
const PARSE_SLICE_MILLIS = 25;

/** The auditor's desk: pick an institution, then its history, chain verdict, past balances and a replay. */
export function render(container, [institutionId], context) {
    return institutionId ? desk(container, institutionId) : picker(container);
}

function picker(container) {
    const search = h('input', { type: 'search', id: 'audit-search', placeholder: t('audit.pickHint') });
    const results = h('div', { id: 'audit-results' });
    const find = async () => {
        const found = await get(`/api/v1/institutions${query({ q: search.value.trim(), sort: 'risk', size: 20 })}`);
        replaceChildren(results, found.totalElements === 0 ? empty(t('institutions.empty')) : h('ul', { class: 'pick-list' },
            found.content.map(institution => h('li', {},
                h('a', { href: `#/audit/${encodeURIComponent(institution.institutionId)}`, class: 'pick' },
                    h('span', { class: 'strong' }, institution.name),
                    h('span', { class: 'muted mono' }, ` ${institution.institutionId} · ${institution.regionCode}`))))));
    };
    container.append(h('div', { class: 'page-head' }, h('h1', {}, t('audit.title'))),
        h('form', { class: 'filters card', onsubmit: event => { event.preventDefault(); find().catch(show); } },
            h('label', {}, h('span', {}, t('audit.pick')), search),
            h('button', { type: 'submit', class: 'primary' }, t('action.search'))),
        results);
    const show = error => replaceChildren(results, failure(error));
    find().catch(show);
    search.focus();
}

function desk(container, institutionId) {
    const base = `/api/v1/institutions/${encodeURIComponent(institutionId)}`;
    const aborter = new AbortController();
    const events = [];
    let page = 0;
    let brokenSequence = null;
    let finished = false;
    let drawPending = false;
    let replayTimer = null;

    const head = h('div', { class: 'page-head' }, loading());
    const verdict = h('div', { id: 'chain-verdict', class: 'verdict' });
    const progress = h('p', { class: 'muted', id: 'history-progress', 'aria-live': 'polite' }, t('common.loading'));
    const historyTable = h('div', { id: 'history' });
    const balanceResult = h('div', { id: 'balance-result' });
    const replayResult = h('div', { id: 'replay-result', 'aria-live': 'polite' });
    const accountPicker = h('select', { id: 'balance-account' });
    const asOf = h('input', { type: 'datetime-local', id: 'as-of', step: 1 });
    const knownAt = h('input', { type: 'datetime-local', id: 'known-at', step: 1 });

    container.append(head,
        h('div', { class: 'grid-2' },
            section(t('audit.chain'),
                h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'verify',
                    onclick: () => verify().catch(error => replaceChildren(verdict, failure(error))) }, t('action.verify'))),
                verdict),
            section(t('audit.replay'),
                h('div', { class: 'actions' }, h('button', { type: 'button', id: 'replay',
                    onclick: () => replay().catch(error => replaceChildren(replayResult, failure(error))) },
                t('action.replay'))),
                replayResult)),
        section(t('audit.history'),
            h('div', { class: 'history-tools' }, progress,
                h('div', { class: 'actions' }, h('span', {}, t('audit.download')),
                    h('a', { class: 'button small', id: 'download-csv', download: `history-${institutionId}.csv`,
                        href: `${base}/history?format=csv` }, 'CSV'),
                    h('a', { class: 'button small', id: 'download-ndjson', download: `history-${institutionId}.ndjson`,
                        href: `${base}/history?format=ndjson` }, 'NDJSON'))),
            historyTable),
        section(t('audit.balance'),
            h('form', { class: 'filters', id: 'balance-form', onsubmit: event => {
                event.preventDefault();
                balance().catch(error => replaceChildren(balanceResult, failure(error)));
            } },
            h('label', {}, h('span', {}, t('field.account')), accountPicker),
            h('label', {}, h('span', {}, t('field.asOf')), asOf),
            h('label', {}, h('span', {}, t('field.knownAt')), knownAt),
            h('button', { type: 'submit', class: 'primary' }, t('action.query'))),
            balanceResult));

    const drawSoon = () => {
        if (!drawPending) {
            drawPending = true;
            requestAnimationFrame(() => {
                drawPending = false;
                drawHistory();
            });
        }
    };

    /** Only the current page's rows are in the document, so 100,000 events cost no more to show than 100. */
    function drawHistory() {
        progress.textContent = finished ? t('audit.loaded', { count: count(events.length) })
            : t('audit.loading', { count: count(events.length) });
        if (events.length === 0) {
            replaceChildren(historyTable, finished ? empty(t('audit.noEvents')) : loading());
            return;
        }
        const rows = events.slice(page * ROWS_PER_PAGE, (page + 1) * ROWS_PER_PAGE).map(event => ({
            attributes: {
                class: event.sequence === brokenSequence ? 'broken' : null,
                dataset: { sequence: String(event.sequence) },
                tabindex: event.sequence === brokenSequence ? '-1' : null,
            },
            cells: [h('span', { class: 'num' }, String(event.sequence)), h('span', { class: 'mono' }, event.aggregateId),
                String(event.aggregateSequence), event.type, dateTime(event.occurredAt), dateTime(event.recordedAt),
                h('span', { class: 'mono payload' }, JSON.stringify(event.payload).slice(0, 120)),
                h('span', { class: 'mono', title: event.hash }, String(event.hash ?? '').slice(0, 12))],
        }));
        replaceChildren(historyTable,
            table([t('field.sequence'), t('field.aggregate'), '#', t('field.event'), t('field.occurredAt'),
                t('field.recordedAt'), t('field.payload'), t('field.hash')], rows, { class: 'data compact', id: 'history-table' }),
            pager(page, ROWS_PER_PAGE, events.length, next => {
                page = next;
                drawHistory();
            }));
    }

    const loadHistory = async () => {
        const response = await fetch(`${base}/history`, {
            headers: { Accept: 'application/x-ndjson' }, credentials: 'same-origin', signal: aborter.signal,
        });
        if (!response.ok) {
            throw new ApiError(response.status, await response.json().catch(() => null));
        }
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let rest = '';
        for (;;) {
            const { value, done } = await reader.read();
            if (done) {
                break;
            }
            rest += value;
            const lines = rest.split('\n');
            rest = lines.pop();
            let sliceStarted = performance.now();
            for (const line of lines) {
                if (line.trim()) {
                    events.push(JSON.parse(line));
                }
                // a large chunk is parsed in slices, so clicks and scrolling are answered in between
                if (performance.now() - sliceStarted > PARSE_SLICE_MILLIS) {
                    drawSoon();
                    await new Promise(resolve => setTimeout(resolve, 0));
                    sliceStarted = performance.now();
                }
            }
            drawSoon();
        }
        if (rest.trim()) {
            events.push(JSON.parse(rest));
        }
        finished = true;
        showBroken();
        drawSoon();
    };

    /** Events arrive in sequence order, so the broken one is found by halving. */
    function showBroken() {
        if (brokenSequence === null) {
            return;
        }
        let low = 0;
        let high = events.length - 1;
        while (low <= high) {
            const middle = (low + high) >> 1;
            if (events[middle].sequence < brokenSequence) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (low < events.length && events[low].sequence === brokenSequence) {
            page = Math.floor(low / ROWS_PER_PAGE);
            drawHistory();
            const row = historyTable.querySelector('tr.broken');
            row?.scrollIntoView({ block: 'center' });
            row?.focus();
        }
    }

    async function verify() {
        replaceChildren(verdict, loading());
        const result = await get(`${base}/verify`);
        if (result.valid) {
            brokenSequence = null;
            verdict.className = 'verdict verdict-valid';
            replaceChildren(verdict, t('audit.valid', { count: count(result.eventsChecked) }));
        } else {
            brokenSequence = result.firstBrokenSequence;
            verdict.className = 'verdict verdict-broken';
            replaceChildren(verdict, h('p', {}, t('audit.broken', {
                sequence: result.firstBrokenSequence, aggregate: result.aggregateId, detail: result.detail ?? '',
            })), h('button', { type: 'button', class: 'small', id: 'show-broken', onclick: showBroken },
                t('action.showBroken')));
            if (finished) {
                showBroken();
            }
        }
        drawSoon();
    }

    async function balance() {
        const instant = input => (input.value ? new Date(input.value).toISOString() : null);
        const answer = await get(`/api/v1/accounts/${encodeURIComponent(accountPicker.value)}/balance`
            + query({ asOf: instant(asOf), knownAt: instant(knownAt) }));
        replaceChildren(balanceResult, h('dl', { class: 'facts balance-facts' },
            h('dt', {}, t('field.balance')), h('dd', { class: 'num strong', id: 'balance-value' }, money(answer.balance)),
            h('dt', {}, t('field.liability')), h('dd', { class: 'num' }, money(answer.outstandingLiability)),
            h('dt', {}, t('field.floor')), h('dd', { class: 'num' }, money(answer.floor)),
            h('dt', {}, t('field.releasable')), h('dd', { class: 'num' }, money(answer.releasable)),
            h('dt', {}, t('field.asOf')), h('dd', {}, dateTime(answer.asOf)),
            h('dt', {}, t('field.knownAt')), h('dd', {}, dateTime(answer.knownAt)),
            h('dt', {}, t('field.eventsApplied')), h('dd', { class: 'num' }, count(answer.eventsApplied))));
    }

    async function replay() {
        clearTimeout(replayTimer);
        const { replayId } = await post('/api/v1/audit/replays', { institutionId });
        const poll = async () => {
            const status = await get(`/api/v1/audit/replays/${encodeURIComponent(replayId)}`);
            drawReplay(status);
            if (status.status === 'RUNNING') {
                replayTimer = setTimeout(() => poll().catch(error => replaceChildren(replayResult, failure(error))),
                    REPLAY_POLL_MILLIS);
            }
        };
        await poll();
    }

    function drawReplay(status) {
        const total = Math.max(status.eventsTotal, 1);
        if (status.status === 'RUNNING') {
            replaceChildren(replayResult, h('progress', { max: total, value: status.eventsProcessed }),
                h('p', {}, t('audit.replayRunning', { done: count(status.eventsProcessed), total: count(status.eventsTotal) })));
        } else if (status.status === 'FAILED') {
            replaceChildren(replayResult, h('p', { class: 'verdict verdict-broken' },
                t('audit.replayFailed', { failure: status.failure ?? '' })));
        } else if (status.matches) {
            replaceChildren(replayResult, h('p', { class: 'verdict verdict-valid', id: 'replay-verdict' },
                t('audit.replayMatches', { total: count(status.eventsTotal) })));
        } else {
            replaceChildren(replayResult, h('p', { class: 'verdict verdict-broken', id: 'replay-verdict' },
                t('audit.replayDiffers', { count: status.differences.length })),
            h('ul', { class: 'differences' }, status.differences.slice(0, 50).map(difference =>
                h('li', { class: 'mono' }, JSON.stringify(difference)))));
        }
    }

    get(base).then(institution => {
        replaceChildren(head,
            h('div', {}, h('h1', {}, `${t('audit.title')} · ${institution.name}`),
                h('p', { class: 'muted mono' }, institutionLink(institution.institutionId, institution.institutionId),
                    ` · ${institution.regionCode}`)),
            h('div', { class: 'head-badges' }, statusBadge(institution.status)));
        replaceChildren(accountPicker, institution.accountIds.map(accountId => h('option', { value: accountId }, accountId)));
    }).catch(error => replaceChildren(head, failure(error)));
    loadHistory().catch(error => {
        if (error.name !== 'AbortError') {
            replaceChildren(historyTable, failure(error));
        }
    });
    return () => {
        aborter.abort();
        clearTimeout(replayTimer);
    };
}
