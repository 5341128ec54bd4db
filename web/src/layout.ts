// layout.ts - the frame around every page: the brand, the navigation (a menu button on
// narrow screens), the WebSocket status, the language and theme toggles, and sign-out.

import { api } from './api';
import { currentUser, isAdmin, refreshToken, setTokens, setUser } from './auth';
import { h, replace } from './dom';
import { lang, setLang, strings, t } from './i18n';
import { nav } from './routes';
import { current, navigate, type Route } from './router';
import { setTheme, theme } from './theme';
import { disconnect, onStatus, wsStatus, type WsStatus } from './ws';

strings({
  ko: {
    'nav.login': '로그인',
    'nav.register': '회원가입',
    'nav.dashboard': '대시보드',
    'nav.strategies': '전략',
    'nav.runs': '백테스트',
    'nav.new_run': '새 백테스트',
    'nav.report': '백테스트 결과',
    'nav.optimization': '최적화 결과',
    'nav.compare': '결과 비교',
    'nav.live': '실시간 차트',
    'nav.trading': '매매',
    'nav.data': '데이터',
    'nav.schedules': '스케줄',
    'nav.settings': '설정',
    'nav.admin': '관리',
    'nav.about': '정보',
    'nav.menu': '메뉴',
    'nav.main': '주 메뉴',
    'nav.logout': '로그아웃',
    'nav.lang': 'English',
    'nav.lang.label': '언어를 영어로 바꾸기',
    'nav.theme.light': '밝은 테마',
    'nav.theme.dark': '어두운 테마',
    'ws.open': '실시간 연결됨',
    'ws.connecting': '연결 중…',
    'ws.closed': '연결 끊김 (자동 재연결)',
  },
  en: {
    'nav.login': 'Sign in',
    'nav.register': 'Register',
    'nav.dashboard': 'Dashboard',
    'nav.strategies': 'Strategies',
    'nav.runs': 'Backtests',
    'nav.new_run': 'New backtest',
    'nav.report': 'Backtest report',
    'nav.optimization': 'Optimization',
    'nav.compare': 'Compare runs',
    'nav.live': 'Live charts',
    'nav.trading': 'Trading',
    'nav.data': 'Data',
    'nav.schedules': 'Schedules',
    'nav.settings': 'Settings',
    'nav.admin': 'Admin',
    'nav.about': 'About',
    'nav.menu': 'Menu',
    'nav.main': 'Main navigation',
    'nav.logout': 'Sign out',
    'nav.lang': '한국어',
    'nav.lang.label': 'Switch the language to Korean',
    'nav.theme.light': 'Light theme',
    'nav.theme.dark': 'Dark theme',
    'ws.open': 'Live',
    'ws.connecting': 'Connecting…',
    'ws.closed': 'Disconnected (reconnecting)',
  },
});

let header: HTMLElement;
let routeNow: Route | null = null;
let statusEl: HTMLElement | null = null;

function statusDot(s: WsStatus, detail?: string): void {
  if (!statusEl) return;
  statusEl.className = `ws-status ${s}`;
  statusEl.title = detail ? `${t(`ws.${s}`)}: ${detail}` : t(`ws.${s}`);
  statusEl.setAttribute('aria-label', statusEl.title);
  statusEl.dataset.state = s;
}

export async function signOut(): Promise<void> {
  const rt = refreshToken();
  if (rt) {
    try {
      await api.post('/auth/logout', { refresh_token: rt });
    } catch {
      /* the session ends here either way */
    }
  }
  setTokens(null);
  setUser(null);
  disconnect();
  navigate('/login');
}

function draw(): void {
  const user = currentUser();
  const { path } = current();
  const links = nav
    .filter(([, , admin]) => !admin || isAdmin())
    .filter(([p]) => user || p === '/about')
    .map(([p, key]) =>
      h(
        'a',
        {
          href: `#${p}`,
          class: path === p || path.startsWith(`${p}/`) ? 'active' : null,
          'aria-current': path === p ? 'page' : null,
        },
        t(key),
      ),
    );
  const menu = h('nav', { class: 'main-nav', 'aria-label': t('nav.main'), id: 'main-nav' }, links);
  const toggle = h(
    'button',
    {
      class: 'menu-toggle',
      type: 'button',
      'aria-controls': 'main-nav',
      'aria-expanded': 'false',
      'aria-label': t('nav.menu'),
      onclick: () => {
        const open = menu.classList.toggle('open');
        toggle.setAttribute('aria-expanded', String(open));
      },
    },
    '☰',
  );
  menu.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).tagName === 'A') menu.classList.remove('open');
  });
  statusEl = user ? h('span', { class: 'ws-status', role: 'status', id: 'ws-status' }) : null;
  const tools = h(
    'div',
    { class: 'tools' },
    statusEl,
    h(
      'button',
      {
        type: 'button',
        id: 'lang-toggle',
        'aria-label': t('nav.lang.label'),
        onclick: () => setLang(lang() === 'ko' ? 'en' : 'ko'),
      },
      t('nav.lang'),
    ),
    h(
      'button',
      {
        type: 'button',
        id: 'theme-toggle',
        'aria-label': theme() === 'dark' ? t('nav.theme.light') : t('nav.theme.dark'),
        onclick: () => {
          setTheme(theme() === 'dark' ? 'light' : 'dark');
          draw();
        },
      },
      theme() === 'dark' ? '☀' : '☾',
    ),
    user ? h('span', { class: 'user', id: 'current-user' }, `${user.username} (${user.role})`) : null,
    user ? h('button', { type: 'button', id: 'logout', onclick: () => void signOut() }, t('nav.logout')) : null,
  );
  replace(header, h('a', { class: 'brand', href: '#/dashboard' }, 'stom'), toggle, menu, tools);
  statusDot(wsStatus());
  document.title = routeNow ? `${t(routeNow.title)} · stom` : 'stom';
}

export function mountLayout(app: HTMLElement): HTMLElement {
  header = h('header', { class: 'app-header' });
  const main = h('main', { id: 'page', tabindex: -1 });
  app.replaceChildren(header, main);
  onStatus((s, d) => statusDot(s, d));
  return main;
}

/** Redraws the header for the route just entered. */
export function layoutFor(route: Route | null): void {
  routeNow = route;
  draw();
}
