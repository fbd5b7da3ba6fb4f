import { MESSAGES } from './messages.js';

const LANGUAGE_KEY = 'ledger-console-language';
const listeners = [];
let language = localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh';

/** The label of this key in the current language, with {name} placeholders filled in. */
export function t(key, values = {}) {
    const text = MESSAGES[language][key] ?? MESSAGES.zh[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function currentLanguage() {
    return language;
}

/** The locale for numbers and dates: the viewer's zone is the browser's own. */
export function locale() {
    return language === 'en' ? 'en-GB' : 'zh-CN';
}

export function onLanguageChange(listener) {
    listeners.push(listener);
}

export function setLanguage(next) {
    language = next;
    localStorage.setItem(LANGUAGE_KEY, next);
    applyStaticLabels();
    listeners.forEach(listener => listener(next));
}

/** Labels written into index.html carry data-i18n; they are rewritten on every switch. */
export function applyStaticLabels() {
    document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
    document.title = t('app.title');
    document.querySelectorAll('[data-i18n]').forEach(element => {
        element.textContent = t(element.dataset.i18n);
    });
    const switcher = document.getElementById('language');
    switcher.textContent = language === 'en' ? '中文' : 'English';
    switcher.lang = language === 'en' ? 'zh-CN' : 'en';
}
