// Dashboard (#/dashboard): recent runs, running strategies, accounts, the engine, alerts
// and quick links. Each panel loads on its own; strategies, accounts and alerts refresh
// on the live `strategy`/`positions`/`risk`/`surge` events, each at most once every 2 s. A user
// without the trader role sees only the runs and the links (the rest answers 403).

import { canTrade } from '../auth';
import { accounts, alerts, engineState, recentRuns, runningStrategies } from '../dashboard/cards';
import { section, throttle } from '../dashboard/section';
import { h } from '../dom';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { subscribe } from '../ws';

strings({
  ko: {
    'dashboard.title': '대시보드',
    'dashboard.links': '바로가기',
    'dashboard.links.new_run': '새 백테스트',
    'dashboard.links.live': '실시간 차트',
    'dashboard.links.data': '데이터',
    'dashboard.links.trading': '매매',
  },
  en: {
    'dashboard.title': 'Dashboard',
    'dashboard.links': 'Quick links',
    'dashboard.links.new_run': 'New backtest',
    'dashboard.links.live': 'Live charts',
    'dashboard.links.data': 'Data',
    'dashboard.links.trading': 'Trading',
  },
});

export default function page(root: HTMLElement, ctx: PageContext): () => void {
  const trader = canTrade();
  const links = h(
    'section',
    { class: 'panel dash-section', id: 'dash-links' },
    h('h2', null, t('dashboard.links')),
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'button primary', href: '#/runs/new', id: 'dash-new-run' }, t('dashboard.links.new_run')),
      h('a', { class: 'button', href: '#/live', id: 'dash-live' }, t('dashboard.links.live')),
      h('a', { class: 'button', href: '#/data' }, t('dashboard.links.data')),
      trader ? h('a', { class: 'button', href: '#/trading' }, t('dashboard.links.trading')) : null,
    ),
  );
  const runs = section('dash-runs', t('dashboard.runs'), recentRuns, ctx.signal);
  root.appendChild(h('h1', null, t('dashboard.title')));
  if (!trader) {
    root.appendChild(h('div', { class: 'dash-grid' }, runs.el, links));
    return () => {};
  }
  const strategies = section('dash-strategies', t('dashboard.strategies'), runningStrategies, ctx.signal);
  const accts = section('dash-accounts', t('dashboard.accounts'), accounts, ctx.signal);
  const engine = section('dash-engine', t('dashboard.engine'), engineState, ctx.signal);
  const alertList = section('dash-alerts', t('dashboard.alerts'), alerts, ctx.signal);
  root.appendChild(h('div', { class: 'dash-grid' }, accts.el, engine.el, strategies.el, runs.el, alertList.el, links));

  const live = throttle(() => {
    void strategies.reload();
    void accts.reload();
  }, 2000);
  const alertsLive = throttle(() => void alertList.reload(), 2000);
  const engineLive = throttle(() => void engine.reload(), 2000);
  const offs = [
    subscribe('strategy', live.call),
    subscribe('positions', live.call),
    subscribe('risk', () => {
      live.call();
      alertsLive.call();
      engineLive.call();
    }),
    subscribe('surge', alertsLive.call),
  ];
  // The engine's word changes without an event too (the broker going down): ask every 15 s.
  const poll = window.setInterval(() => void engine.reload(), 15000);
  return () => {
    window.clearInterval(poll);
    offs.forEach((off) => off());
    [live, alertsLive, engineLive].forEach((th) => th.cancel());
  };
}
