// report/context.ts - what the run was: strategy, version, parameters, symbols,
// timeframe, period, costs, cash, when it ran.

import { h } from '../dom';
import { kst, won } from '../format';
import { strings, t } from '../i18n';
import { paramText, strategyText, type RunRequest } from './types';

strings({
  ko: {
    'report.ctx.strategy': '전략',
    'report.ctx.version': '버전',
    'report.ctx.params': '파라미터',
    'report.ctx.symbols': '종목',
    'report.ctx.timeframe': '주기',
    'report.ctx.period': '기간',
    'report.ctx.costs': '비용',
    'report.ctx.costs_default': '기본값',
    'report.ctx.cash': '초기 자금',
    'report.ctx.bet': '1회 매수 금액',
    'report.ctx.created': '생성',
    'report.ctx.finished': '완료',
    'report.ctx.code': '전략 코드',
    'report.ctx.commission': '수수료 {v}bp',
    'report.ctx.slippage': '슬리피지 {v}틱',
  },
  en: {
    'report.ctx.strategy': 'Strategy',
    'report.ctx.version': 'Version',
    'report.ctx.params': 'Parameters',
    'report.ctx.symbols': 'Symbols',
    'report.ctx.timeframe': 'Timeframe',
    'report.ctx.period': 'Period',
    'report.ctx.costs': 'Costs',
    'report.ctx.costs_default': 'defaults',
    'report.ctx.cash': 'Initial cash',
    'report.ctx.bet': 'Bet per entry',
    'report.ctx.created': 'Created',
    'report.ctx.finished': 'Finished',
    'report.ctx.code': 'Strategy code',
    'report.ctx.commission': 'commission {v} bp',
    'report.ctx.slippage': 'slippage {v} ticks',
  },
});

function costsText(c: Record<string, number> | undefined): string {
  if (!c || !Object.keys(c).length) return t('report.ctx.costs_default');
  const parts: string[] = [];
  if (c.commission_bp !== undefined) parts.push(t('report.ctx.commission', { v: c.commission_bp }));
  if (c.slippage_ticks !== undefined) parts.push(t('report.ctx.slippage', { v: c.slippage_ticks }));
  for (const [k, v] of Object.entries(c)) if (k !== 'commission_bp' && k !== 'slippage_ticks') parts.push(`${k}=${v}`);
  return parts.join(', ');
}

export function contextList(
  req: RunRequest,
  run: {
    strategy?: string;
    strategy_version?: number | null;
    created_at?: string;
    finished_at?: string | null;
    strategy_code?: string | null;
  },
): HTMLElement {
  const item = (k: string, v: string) => [h('dt', null, t(k)), h('dd', null, v || '–')];
  const version = run.strategy_version ?? (typeof req.strategy === 'object' ? req.strategy.version : null);
  return h(
    'div',
    null,
    h(
      'dl',
      { class: 'report-context', id: 'report-context' },
      item('report.ctx.strategy', run.strategy || strategyText(req.strategy)),
      version ? item('report.ctx.version', `v${version}`) : null,
      req.params ? item('report.ctx.params', paramText(req.params)) : null,
      item('report.ctx.symbols', (req.symbols ?? []).join(', ')),
      item('report.ctx.timeframe', req.timeframe),
      item('report.ctx.period', `${req.period?.from ?? ''} ~ ${req.period?.to ?? ''}`),
      item('report.ctx.costs', costsText(req.costs)),
      item('report.ctx.cash', won(req.initial_cash ?? null)),
      req.bet_amount ? item('report.ctx.bet', won(req.bet_amount)) : null,
      run.created_at ? item('report.ctx.created', kst(run.created_at)) : null,
      run.finished_at ? item('report.ctx.finished', kst(run.finished_at)) : null,
    ),
    run.strategy_code
      ? h('details', null, h('summary', null, t('report.ctx.code')), h('pre', { class: 'code' }, run.strategy_code))
      : null,
  );
}
