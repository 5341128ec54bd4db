// dashboard/cards.ts - what each dashboard panel shows: recent runs, running strategies,
// accounts, the engine's state, risk events and surge alerts.

import { api, ApiError } from '../api';
import { h } from '../dom';
import { kst, num, signClass, won, dec } from '../format';
import { strings, t } from '../i18n';
import { dataTable, errorNotice, notice } from '../ui';
import { riskActionLabel, riskKindLabel, surgeKindLabel } from '../risk_labels';
import type { Account, RiskEvent } from '../api_types';

strings({
  ko: {
    'dashboard.runs': '최근 백테스트',
    'dashboard.runs.strategy': '전략',
    'dashboard.runs.kind': '종류',
    'dashboard.runs.state': '상태',
    'dashboard.runs.best': '최고 목표값',
    'dashboard.runs.created': '생성 (KST)',
    'dashboard.runs.open': '열기',
    'dashboard.runs.empty': '아직 백테스트가 없습니다',
    'dashboard.runkind.backtest': '백테스트',
    'dashboard.runkind.optimization': '최적화',
    'dashboard.state.queued': '대기',
    'dashboard.state.pending': '대기',
    'dashboard.state.running': '실행 중',
    'dashboard.state.done': '완료',
    'dashboard.state.failed': '실패',
    'dashboard.state.cancelled': '취소됨',
    'dashboard.state.starting': '시작 중',
    'dashboard.state.paused': '일시정지',
    'dashboard.state.stopping': '중지 중',
    'dashboard.state.stopped': '중지됨',
    'dashboard.state.error': '오류',
    'dashboard.strategies': '실행 중인 전략',
    'dashboard.strategies.instance': '인스턴스',
    'dashboard.strategies.strategy': '전략',
    'dashboard.strategies.symbols': '종목',
    'dashboard.strategies.state': '상태',
    'dashboard.strategies.pnl': '실현손익',
    'dashboard.strategies.orders': '미체결',
    'dashboard.strategies.empty': '실행 중인 전략이 없습니다',
    'dashboard.accounts': '계좌',
    'dashboard.accounts.cash': '예수금',
    'dashboard.accounts.equity': '평가금액',
    'dashboard.accounts.pnl': '실현손익',
    'dashboard.accounts.paper': '모의',
    'dashboard.accounts.halted': '매매 중지됨',
    'dashboard.accounts.nobalance': '잔고 정보가 아직 없습니다',
    'dashboard.accounts.empty': '연결된 계좌가 없습니다',
    'dashboard.engine': '엔진 상태',
    'dashboard.engine.down': '엔진이 실행 중이 아닙니다',
    'dashboard.engine.broker': '증권사 연결',
    'dashboard.engine.broker.up': '연결됨',
    'dashboard.engine.broker.down': '끊김',
    'dashboard.engine.trading': '매매',
    'dashboard.engine.running': '정상',
    'dashboard.engine.halted': '중지됨: {reason}',
    'dashboard.engine.reconciled': '잔고 대사',
    'dashboard.engine.yes': '완료',
    'dashboard.engine.no': '미완료',
    'dashboard.engine.gaps': '시세 누락',
    'dashboard.engine.checked': '확인 시각',
    'dashboard.engine.account_halted': '계좌 {account} 중지: {reason}',
    'dashboard.alerts': '알림',
    'dashboard.alerts.risk': '리스크 이벤트',
    'dashboard.alerts.surge': '급등 알림',
    'dashboard.alerts.no_risk': '리스크 이벤트가 없습니다',
    'dashboard.alerts.no_surge': '급등 알림이 없습니다',
  },
  en: {
    'dashboard.runs': 'Recent backtests',
    'dashboard.runs.strategy': 'Strategy',
    'dashboard.runs.kind': 'Kind',
    'dashboard.runs.state': 'State',
    'dashboard.runs.best': 'Best objective',
    'dashboard.runs.created': 'Created (KST)',
    'dashboard.runs.open': 'Open',
    'dashboard.runs.empty': 'No backtests yet',
    'dashboard.runkind.backtest': 'Backtest',
    'dashboard.runkind.optimization': 'Optimization',
    'dashboard.state.queued': 'queued',
    'dashboard.state.pending': 'pending',
    'dashboard.state.running': 'running',
    'dashboard.state.done': 'done',
    'dashboard.state.failed': 'failed',
    'dashboard.state.cancelled': 'cancelled',
    'dashboard.state.starting': 'starting',
    'dashboard.state.paused': 'paused',
    'dashboard.state.stopping': 'stopping',
    'dashboard.state.stopped': 'stopped',
    'dashboard.state.error': 'error',
    'dashboard.strategies': 'Running strategies',
    'dashboard.strategies.instance': 'Instance',
    'dashboard.strategies.strategy': 'Strategy',
    'dashboard.strategies.symbols': 'Symbols',
    'dashboard.strategies.state': 'State',
    'dashboard.strategies.pnl': 'Realized P&L',
    'dashboard.strategies.orders': 'Open orders',
    'dashboard.strategies.empty': 'No strategy is running',
    'dashboard.accounts': 'Accounts',
    'dashboard.accounts.cash': 'Cash',
    'dashboard.accounts.equity': 'Equity',
    'dashboard.accounts.pnl': 'Realized P&L',
    'dashboard.accounts.paper': 'paper',
    'dashboard.accounts.halted': 'halted',
    'dashboard.accounts.nobalance': 'No balance yet',
    'dashboard.accounts.empty': 'No broker account',
    'dashboard.engine': 'Engine',
    'dashboard.engine.down': 'The engine is not running',
    'dashboard.engine.broker': 'Broker',
    'dashboard.engine.broker.up': 'connected',
    'dashboard.engine.broker.down': 'disconnected',
    'dashboard.engine.trading': 'Trading',
    'dashboard.engine.running': 'running',
    'dashboard.engine.halted': 'halted: {reason}',
    'dashboard.engine.reconciled': 'Reconciled',
    'dashboard.engine.yes': 'yes',
    'dashboard.engine.no': 'not yet',
    'dashboard.engine.gaps': 'Market-data gaps',
    'dashboard.engine.checked': 'Checked at',
    'dashboard.engine.account_halted': 'Account {account} halted: {reason}',
    'dashboard.alerts': 'Alerts',
    'dashboard.alerts.risk': 'Risk events',
    'dashboard.alerts.surge': 'Surge alerts',
    'dashboard.alerts.no_risk': 'No risk events',
    'dashboard.alerts.no_surge': 'No surge alerts',
  },
});

/** The label of a state or kind, or the word itself when it has none. */
function label(prefix: string, v: string): string {
  const s = t(`${prefix}${v}`);
  return s === `${prefix}${v}` ? v : s;
}

interface Run {
  id: string;
  kind: string;
  strategy: unknown;
  state: string;
  best_objective: number | null;
  created_at: string;
}

function strategyName(s: unknown): string {
  if (typeof s === 'string') return s;
  if (s && typeof s === 'object') {
    const o = s as { name?: string; id?: number; version?: number };
    return o.name ?? `#${o.id ?? '?'}${o.version ? ` v${o.version}` : ''}`;
  }
  return '–';
}

function runLink(r: Run): string {
  return r.kind === 'optimization'
    ? `#/optimization/${encodeURIComponent(r.id)}`
    : `#/report/${encodeURIComponent(r.id)}`;
}

export async function recentRuns(signal: AbortSignal): Promise<Node> {
  const { runs } = await api.get<{ runs: Run[] }>('/backtests?limit=5', signal);
  if (!runs.length) return notice('info', t('dashboard.runs.empty'));
  return dataTable<Run>(
    [
      {
        key: 'strategy',
        label: t('dashboard.runs.strategy'),
        value: (r) => strategyName(r.strategy),
        cell: (r) => h('a', { href: runLink(r), class: 'dash-run-link' }, strategyName(r.strategy)),
      },
      {
        key: 'state',
        label: t('dashboard.runs.state'),
        value: (r) => label('dashboard.state.', r.state),
        cls: (r) => (r.state === 'failed' ? 'bad' : ''),
      },
      {
        key: 'best_objective',
        label: t('dashboard.runs.best'),
        num: true,
        cell: (r) =>
          r.best_objective === null
            ? '–'
            : Number.isInteger(r.best_objective)
              ? num(r.best_objective)
              : dec(r.best_objective, 3),
      },
      { key: 'created_at', label: t('dashboard.runs.created'), cell: (r) => kst(r.created_at) },
      { key: 'kind', label: t('dashboard.runs.kind'), value: (r) => label('dashboard.runkind.', r.kind) },
    ],
    runs,
    { sortable: false, id: 'dash-runs-table' },
  );
}

interface Instance {
  instance_id: string;
  account: string;
  strategy: string;
  symbols: string[];
  state: string;
  realized_pnl: number;
  open_orders: number;
}

export async function runningStrategies(signal: AbortSignal): Promise<Node> {
  const { strategies } = await api.get<{ strategies: Instance[] }>('/trading/strategies', signal);
  const live = strategies.filter((s) => s.state !== 'stopped');
  if (!live.length) return notice('info', t('dashboard.strategies.empty'));
  return dataTable<Instance>(
    [
      { key: 'instance_id', label: t('dashboard.strategies.instance') },
      { key: 'strategy', label: t('dashboard.strategies.strategy') },
      {
        key: 'state',
        label: t('dashboard.strategies.state'),
        value: (s) => label('dashboard.state.', s.state),
        cls: (s) => (s.state === 'error' ? 'bad' : ''),
      },
      {
        key: 'realized_pnl',
        label: t('dashboard.strategies.pnl'),
        num: true,
        cell: (s) => won(s.realized_pnl),
        cls: (s) => signClass(s.realized_pnl),
      },
      { key: 'open_orders', label: t('dashboard.strategies.orders'), num: true, cell: (s) => num(s.open_orders) },
      { key: 'symbols', label: t('dashboard.strategies.symbols'), value: (s) => (s.symbols ?? []).join(' ') },
    ],
    live,
    { sortable: false, id: 'dash-strategies-table' },
  );
}

export async function accounts(signal: AbortSignal): Promise<Node> {
  const { accounts: list } = await api.get<{ accounts: Account[] }>('/accounts', signal);
  if (!list.length) return notice('info', t('dashboard.accounts.empty'));
  return h(
    'div',
    { class: 'dash-accounts' },
    list.map((a) => {
      const b = a.balance;
      const figure = (label: string, value: number, cls = '') =>
        h(
          'div',
          { class: 'dash-figure' },
          h('span', { class: 'label' }, label),
          h('span', { class: `value ${cls}`.trim() }, won(value)),
        );
      return h(
        'div',
        { class: 'card dash-account', 'data-account': a.account },
        h(
          'div',
          { class: 'dash-account-head' },
          h('strong', null, a.account),
          a.name ? h('span', { class: 'muted' }, ` ${a.name}`) : null,
          a.paper ? h('span', { class: 'badge' }, t('dashboard.accounts.paper')) : null,
          a.halted ? h('span', { class: 'badge bad' }, t('dashboard.accounts.halted')) : null,
        ),
        b
          ? [
              figure(t('dashboard.accounts.cash'), b.cash),
              figure(t('dashboard.accounts.equity'), b.equity),
              figure(t('dashboard.accounts.pnl'), b.realized_pnl, signClass(b.realized_pnl)),
              h('small', { class: 'muted' }, kst(b.updated_at)),
            ]
          : h('p', { class: 'muted' }, t('dashboard.accounts.nobalance')),
      );
    }),
  );
}

interface EngineStatus {
  broker_up: boolean;
  reconciled: boolean;
  halted: boolean;
  halt_reason: string;
  md_gaps: number;
  checked_at: string;
  accounts: { account: string; halted: boolean | null; halt_reason?: string; error?: string }[];
}

export async function engineState(signal: AbortSignal): Promise<Node> {
  let s: EngineStatus;
  try {
    s = await api.get<EngineStatus>('/engine/status', signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 503) {
      return h('div', null, notice('warn', t('dashboard.engine.down')), h('small', { class: 'muted' }, e.message));
    }
    throw e;
  }
  const row = (label: string, value: string, cls = '') =>
    h('div', { class: 'dash-kv' }, h('dt', null, label), h('dd', { class: cls || null }, value));
  return h(
    'div',
    null,
    h(
      'dl',
      { class: 'dash-kvs', id: 'dash-engine-state' },
      row(
        t('dashboard.engine.broker'),
        s.broker_up ? t('dashboard.engine.broker.up') : t('dashboard.engine.broker.down'),
        s.broker_up ? 'ok' : 'bad',
      ),
      row(
        t('dashboard.engine.trading'),
        s.halted ? t('dashboard.engine.halted', { reason: s.halt_reason || '–' }) : t('dashboard.engine.running'),
        s.halted ? 'bad' : 'ok',
      ),
      row(t('dashboard.engine.reconciled'), s.reconciled ? t('dashboard.engine.yes') : t('dashboard.engine.no')),
      row(t('dashboard.engine.gaps'), num(s.md_gaps)),
      row(t('dashboard.engine.checked'), kst(s.checked_at)),
    ),
    (s.accounts ?? [])
      .filter((a) => a.error || (a.halted && !(s.halted && a.halt_reason === s.halt_reason)))
      .map((a) =>
        notice(
          a.error ? 'warn' : 'error',
          a.error
            ? `${a.account}: ${a.error}`
            : t('dashboard.engine.account_halted', { account: a.account, reason: a.halt_reason || '–' }),
        ),
      ),
  );
}

interface Surge {
  id: number;
  symbol: string;
  kind: string;
  change_bp: number;
  window_change_bp: number;
  message: string;
  at: string;
}

export async function alerts(signal: AbortSignal): Promise<Node[]> {
  const [risk, surge] = await Promise.allSettled([
    api.get<{ events: RiskEvent[] }>('/risk/events?limit=5', signal),
    api.get<{ alerts: Surge[] }>('/surge?limit=5', signal),
  ]);
  const riskPart =
    risk.status === 'rejected'
      ? errorNotice(risk.reason)
      : risk.value.events.length
        ? h(
            'ul',
            { class: 'dash-list', id: 'dash-risk-events' },
            risk.value.events.map((e) =>
              h(
                'li',
                null,
                h('span', { class: 'muted' }, kst(e.at)),
                ' ',
                h('strong', null, riskKindLabel(e.kind)),
                ` · ${riskActionLabel(e.action)} · ${e.account}${e.symbol ? ` ${e.symbol}` : ''}`,
                h('div', { class: 'dash-msg' }, e.message),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('dashboard.alerts.no_risk'));
  const surgePart =
    surge.status === 'rejected'
      ? errorNotice(surge.reason)
      : surge.value.alerts.length
        ? h(
            'ul',
            { class: 'dash-list', id: 'dash-surge' },
            surge.value.alerts.map((a) =>
              h(
                'li',
                null,
                h('span', { class: 'muted' }, kst(a.at)),
                ' ',
                h('a', { href: `#/live/${encodeURIComponent(a.symbol)}` }, a.symbol),
                ` · ${surgeKindLabel(a.kind)} `,
                h(
                  'span',
                  { class: signClass(a.change_bp) },
                  `${a.change_bp > 0 ? '+' : ''}${dec(a.change_bp / 100, 2)}%`,
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('dashboard.alerts.no_surge'));
  return [h('h3', null, t('dashboard.alerts.risk')), riskPart, h('h3', null, t('dashboard.alerts.surge')), surgePart];
}
