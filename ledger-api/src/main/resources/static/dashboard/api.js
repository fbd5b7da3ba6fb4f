import { t } from './i18n.js';

let csrfToken = null;
let onSignedOut = () => {};

/** An answer other than 2xx, with the problem's code and detail. */
export class ApiError extends Error {
    constructor(status, problem) {
        super(problem?.detail ?? `HTTP ${status}`);
        this.status = status;
        this.code = problem?.code;
        this.problem = problem;
    }
}

export function useSession(session, signedOut) {
    csrfToken = session?.csrfToken ?? null;
    if (signedOut) {
        onSignedOut = signedOut;
    }
}

/**
 * Calls the ledger with the session cookie (the browser sends it; the page never sees it). Every
 * change carries the session's CSRF token.
 */
export async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    if (method !== 'GET' && csrfToken) {
        headers['X-CSRF-Token'] = csrfToken;
    }
    let response;
    try {
        response = await fetch(path, {
            method, headers, credentials: 'same-origin', cache: 'no-store',
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (unreachable) {
        throw new ApiError(0, { detail: t('error.network') });
    }
    if (response.status === 204) {
        return null;
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
        if (response.status === 401 && path.startsWith('/api/')) {
            onSignedOut();
        }
        throw new ApiError(response.status, json);
    }
    return json;
}

export const get = path => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);

/** A query string from the given values, leaving out empty ones. */
export function query(values) {
    const parameters = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) {
        if (value !== null && value !== undefined && value !== '') {
            parameters.set(name, value);
        }
    }
    const text = parameters.toString();
    return text ? `?${text}` : '';
}
