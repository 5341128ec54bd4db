// settings/prefs.ts - this browser's preferences: language, theme and the live chart's
// default bar timeframe (localStorage 'stom.live.timeframe': '5s' or '1m').

import { field, h, replace } from '../dom';
import { lang, setLang, strings, t, type Lang } from '../i18n';
import { rerender } from '../router';
import { setTheme, theme, type Theme } from '../theme';
import { notice } from '../ui';

strings({
  ko: {
    'settings.prefs.lang': '언어',
    'settings.prefs.theme': '테마',
    'settings.prefs.theme.dark': '어두운 테마',
    'settings.prefs.theme.light': '밝은 테마',
    'settings.prefs.timeframe': '실시간 차트 기본 봉 주기',
    'settings.prefs.timeframe.5s': '5초봉',
    'settings.prefs.timeframe.1m': '1분봉',
    'settings.prefs.saved': '이 브라우저에 저장했습니다',
    'settings.prefs.hint': '이 브라우저에만 저장됩니다',
  },
  en: {
    'settings.prefs.lang': 'Language',
    'settings.prefs.theme': 'Theme',
    'settings.prefs.theme.dark': 'Dark',
    'settings.prefs.theme.light': 'Light',
    'settings.prefs.timeframe': 'Live chart default bars',
    'settings.prefs.timeframe.5s': '5-second bars',
    'settings.prefs.timeframe.1m': '1-minute bars',
    'settings.prefs.saved': 'Saved in this browser',
    'settings.prefs.hint': 'Kept in this browser only',
  },
});

export const LIVE_TIMEFRAME_KEY = 'stom.live.timeframe';

function storedTimeframe(): '5s' | '1m' {
  try {
    return localStorage.getItem(LIVE_TIMEFRAME_KEY) === '5s' ? '5s' : '1m';
  } catch {
    return '1m';
  }
}

export function prefsForm(): HTMLElement {
  const status = h('div', { id: 'pref-status', 'aria-live': 'polite' });
  const langSel = h(
    'select',
    { id: 'pref-lang' },
    h('option', { value: 'ko' }, '한국어'),
    h('option', { value: 'en' }, 'English'),
  );
  langSel.value = lang();
  langSel.addEventListener('change', () => setLang(langSel.value as Lang));
  const themeSel = h(
    'select',
    { id: 'pref-theme' },
    h('option', { value: 'dark' }, t('settings.prefs.theme.dark')),
    h('option', { value: 'light' }, t('settings.prefs.theme.light')),
  );
  themeSel.value = theme();
  themeSel.addEventListener('change', () => {
    setTheme(themeSel.value as Theme);
    rerender();
  });
  const tf = h(
    'select',
    { id: 'pref-live-timeframe' },
    h('option', { value: '5s' }, t('settings.prefs.timeframe.5s')),
    h('option', { value: '1m' }, t('settings.prefs.timeframe.1m')),
  );
  tf.value = storedTimeframe();
  tf.addEventListener('change', () => {
    try {
      localStorage.setItem(LIVE_TIMEFRAME_KEY, tf.value);
      replace(status, notice('ok', t('settings.prefs.saved')));
    } catch (e) {
      replace(status, notice('error', String(e)));
    }
  });
  return h(
    'div',
    { id: 'prefs' },
    h(
      'div',
      { class: 'form-grid' },
      field(t('settings.prefs.lang'), langSel),
      field(t('settings.prefs.theme'), themeSel),
      field(t('settings.prefs.timeframe'), tf),
    ),
    h('small', { class: 'hint muted' }, t('settings.prefs.hint')),
    status,
  );
}
