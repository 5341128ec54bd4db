// routes.ts - every page of the app, loaded on first visit (each page's libraries,
// CodeMirror or the charts, come in its own chunk).

import type { Route } from './router';

export const routes: Route[] = [
  { path: '/login', title: 'nav.login', auth: false, load: () => import('./pages/login') },
  { path: '/register', title: 'nav.register', auth: false, load: () => import('./pages/login') },
  { path: '/about', title: 'nav.about', auth: false, load: () => import('./pages/about') },
  { path: '/dashboard', title: 'nav.dashboard', load: () => import('./pages/dashboard') },
  { path: '/strategies', title: 'nav.strategies', load: () => import('./pages/strategies') },
  { path: '/strategies/new', title: 'nav.strategies', load: () => import('./pages/strategy_edit') },
  { path: '/strategies/:id', title: 'nav.strategies', load: () => import('./pages/strategy_edit') },
  { path: '/runs', title: 'nav.runs', load: () => import('./pages/runs') },
  { path: '/runs/new', title: 'nav.new_run', load: () => import('./pages/run_new') },
  { path: '/report/:id', title: 'nav.report', load: () => import('./pages/report') },
  { path: '/optimization/:id', title: 'nav.optimization', load: () => import('./pages/optimization') },
  { path: '/compare', title: 'nav.compare', load: () => import('./pages/compare') },
  { path: '/live', title: 'nav.live', load: () => import('./pages/live') },
  { path: '/live/:symbol', title: 'nav.live', load: () => import('./pages/chart') },
  { path: '/trading', title: 'nav.trading', load: () => import('./pages/trading') },
  { path: '/data', title: 'nav.data', load: () => import('./pages/data') },
  { path: '/schedules', title: 'nav.schedules', load: () => import('./pages/schedules') },
  { path: '/settings', title: 'nav.settings', load: () => import('./pages/settings') },
  { path: '/admin', title: 'nav.admin', load: () => import('./pages/admin') },
];

/** The navigation bar, in order: [route path, i18n key, admin only]. */
export const nav: [string, string, boolean][] = [
  ['/dashboard', 'nav.dashboard', false],
  ['/strategies', 'nav.strategies', false],
  ['/runs', 'nav.runs', false],
  ['/live', 'nav.live', false],
  ['/trading', 'nav.trading', false],
  ['/data', 'nav.data', false],
  ['/schedules', 'nav.schedules', false],
  ['/settings', 'nav.settings', false],
  ['/admin', 'nav.admin', true],
  ['/about', 'nav.about', false],
];
