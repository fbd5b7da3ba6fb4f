import { ApiError, call, useSession } from './api.js';
import { applyStaticLabels, currentLanguage, onLanguageChange, setLanguage, t } from './i18n.js';
import { h, replaceChildren } from './dom.js';
import { openAlertStream } from './stream.js';
import * as feed from './views/feed.js';
import * as institutions from './views/institutions.js';
import * as institution from './views/institution.js';
import * as alert from './views/alert.js';
import * as held from './views/held.js';
import * as audit from './views/audit.js';

const ROUTES = [
    { pattern: /^#\/feed$/, view: feed, nav: 'feed', roles: ['REGULATOR', 'AUDITOR'] },
    { pattern: /^#\/institutions(\?.*)?$/, view: institutions, nav: 'institutions', roles: ['REGULATOR', 'AUDITOR'] },
    { pattern: /^#\/institution\/([^/?]+)$/, view: institution, nav: 'institutions', roles: ['REGULATOR', 'AUDITOR'] },
    { pattern: /^#\/alert\/([^/?]+)$/, view: alert, nav: 'feed', roles: ['REGULATOR', 'AUDITOR'] },
    { pattern: /^#\/held$/, view: held, nav: 'held', roles: ['REGULATOR'] },
    { pattern: /^#\/audit(?:\/([^/?]+))?$/, view: audit, nav: 'audit', roles: ['REGULATOR', 'AUDITOR'] },
];
const NAV = {
    REGULATOR: ['feed', 'institutions', 'held', 'audit'],
    AUDITOR: ['audit', 'institutions', 'feed'],
};

/** Everything a view needs: who is signed in and the live alert stream. */
const context = {
    session: null,
    get regulator() {
        return this.session?.role === 'REGULATOR';
    },
    alertListeners: new Set(),
    onAlert(listener) {
        this.alertListeners.add(listener);
        return () => this.alertListeners.delete(listener);
    },
    streamState: 'connecting',
};

let cleanup = null;
let closeStream = null;
let bannerTimer = null;

function showSignIn(message) {
    closeStream?.();
    closeStream = null;
    cleanup?.();
    cleanup = null;
    context.session = null;
    useSession(null);
    document.getElementById('view').replaceChildren();
    document.getElementById('nav').hidden = true;
    document.getElementById('who').hidden = true;
    document.getElementById('sign-out').hidden = true;
    document.getElementById('stream-banner').hidden = true;
    document.getElementById('sign-in').hidden = false;
    const error = document.getElementById('sign-in-error');
    error.hidden = !message;
    error.textContent = message ?? '';
    document.getElementById('api-key').focus();
}

function signedIn(session) {
    context.session = session;
    useSession(session, () => showSignIn(t('session.expired')));
    document.getElementById('sign-in').hidden = true;
    document.getElementById('sign-out').hidden = false;
    renderChrome();
    closeStream?.();
    closeStream = openAlertStream({
        onAlert: alertJson => context.alertListeners.forEach(listener => listener(alertJson)),
        onState: streamState,
    });
    if (!location.hash || location.hash === '#' || location.hash === '#/') {
        location.hash = session.role === 'REGULATOR' ? '#/feed' : '#/audit';
    } else {
        route();
    }
}

function renderChrome() {
    const session = context.session;
    if (!session) {
        return;
    }
    const who = document.getElementById('who');
    const scope = session.role === 'REGULATOR'
        ? (session.regionPrefix ? t('role.region', { prefix: session.regionPrefix }) : t('role.national')) : '';
    who.textContent = `${session.name} · ${t(`role.${session.role}`)}${scope ? ' · ' + scope : ''}`;
    who.hidden = false;
    const nav = document.getElementById('nav');
    const current = ROUTES.find(candidate => candidate.pattern.test(location.hash))?.nav;
    replaceChildren(nav, NAV[session.role].map(name => h('a', {
        href: `#/${name}`, id: `nav-${name}`, class: 'nav-link',
        'aria-current': name === current ? 'page' : null,
    }, t(`nav.${name}`))));
    nav.hidden = false;
}

function streamState(state, lastEventId) {
    context.streamState = state;
    const banner = document.getElementById('stream-banner');
    clearTimeout(bannerTimer);
    banner.className = `stream-banner stream-${state}`;
    if (state === 'lost') {
        banner.textContent = t('stream.lost');
        banner.hidden = false;
    } else if (state === 'resumed') {
        banner.textContent = lastEventId ? t('stream.resumed', { id: lastEventId }) : t('stream.restarted');
        banner.hidden = false;
        bannerTimer = setTimeout(() => { banner.hidden = true; }, 10000);
    } else {
        banner.hidden = true;
    }
    document.querySelectorAll('[data-stream-state]').forEach(element => {
        element.dataset.streamState = state === 'resumed' ? 'live' : state;
        element.textContent = state === 'live' || state === 'resumed' ? t('stream.live') : t(`stream.${state}`);
    });
}

function route() {
    if (!context.session) {
        return;
    }
    const match = ROUTES.map(candidate => ({ candidate, found: location.hash.match(candidate.pattern) }))
        .find(({ candidate, found }) => found && candidate.roles.includes(context.session.role));
    if (!match) {
        location.hash = context.session.role === 'REGULATOR' ? '#/feed' : '#/audit';
        return;
    }
    cleanup?.();
    renderChrome();
    const container = document.getElementById('view');
    container.replaceChildren();
    const parameters = match.found.slice(1).map(value => (value ? decodeURIComponent(value) : value));
    cleanup = match.candidate.view.render(container, parameters, context) ?? null;
}

async function signIn(event) {
    event.preventDefault();
    const input = document.getElementById('api-key');
    const button = document.getElementById('sign-in-submit');
    const error = document.getElementById('sign-in-error');
    button.disabled = true;
    button.textContent = t('session.signingIn');
    error.hidden = true;
    try {
        const session = await call('POST', '/dashboard/session', { apiKey: input.value });
        input.value = '';
        signedIn(session);
    } catch (failure) {
        input.value = '';
        error.textContent = failure instanceof ApiError && failure.code === 'CONSOLE_KEY_UNKNOWN' ? t('session.wrongKey')
            : failure instanceof ApiError && failure.code === 'CONSOLE_NOT_FOR_ROLE'
                ? t('session.notForRole', { role: failure.problem.role }) : t('session.failed');
        error.hidden = false;
        input.focus();
    } finally {
        button.disabled = false;
        button.textContent = t('session.signIn');
    }
}

async function signOut() {
    try {
        await call('DELETE', '/dashboard/session');
    } finally {
        location.hash = '';
        showSignIn(null);
    }
}

async function start() {
    applyStaticLabels();
    document.getElementById('sign-in-form').addEventListener('submit', signIn);
    document.getElementById('sign-out').addEventListener('click', signOut);
    document.getElementById('language').addEventListener('click',
        () => setLanguage(currentLanguage() === 'en' ? 'zh' : 'en'));
    onLanguageChange(() => {
        streamState(context.streamState === 'resumed' ? 'live' : context.streamState, null);
        route();
    });
    window.addEventListener('hashchange', route);
    try {
        signedIn(await call('GET', '/dashboard/session'));
    } catch (signedOut) {
        showSignIn(null);
    }
}

start();
