// pages/report.ts - #/report/:id, one backtest's report: context, key figures, the
// metrics table (STOM and standard names), equity vs buy-and-hold, drawdown, monthly
// heatmap, per-trade P&L, price with trade markers, P&L by hour and weekday, trades.

import { api, ApiError, qs } from '../api';
import { field, h, replace } from '../dom';
import { strings, t } from '../i18n';
import { navigate, type PageContext } from '../router';
import { errorNotice, loading, notice, panel } from '../ui';
import { contextList } from '../report/context';
import { drawdownChart } from '../report/drawdown';
import { equityChart } from '../report/equity';
import { keyCards, metricsTable } from '../report/metrics';
import { monthlyHeatmap } from '../report/monthly';
import { priceChart } from '../report/pricechart';
import { isFinal, stateText, watchProgress } from '../report/states';
import { bucketChart, byHour, byWeekday } from '../report/timeofday';
import { tradePnlChart } from '../report/tradepnl';
import { tradesTable } from '../report/trades';
import type { BacktestDetail, ChartSeries, Trade } from '../report/types';

strings({
  ko: {
    'report.title': '백테스트 결과',
    'report.back': '← 백테스트 목록',
    'report.context': '실행 조건',
    'report.metrics': '성과 지표',
    'report.equity': '자산 곡선 vs 보유 전략',
    'report.equity.note': '보유 전략: {sym} 종가를 초기 자금으로 환산',
    'report.drawdown': '낙폭 (Underwater)',
    'report.monthly': '월별 수익률',
    'report.tradepnl': '거래별 손익',
    'report.price': '가격과 매매 시점 ({sym})',
    'report.hour': '시간대별 손익 (KST)',
    'report.weekday': '요일별 손익',
    'report.symbol': '종목',
    'report.bytime.note': '청산 시각 기준 · 막대 = 손익 합계, 점 = 거래 수',
    'report.trades': '거래 내역 ({n}건)',
    'report.failed': '실행 실패: {e}',
    'report.state': '상태: {s}',
    'report.no_trades': '거래가 없습니다.',
    'report.trades_capped': '거래 {total}건 중 {n}건만 표시합니다.',
    'report.compare': '다른 결과와 비교',
    'report.no_series': '차트 자료가 없습니다.',
  },
  en: {
    'report.title': 'Backtest report',
    'report.back': '← Backtests',
    'report.context': 'Run settings',
    'report.metrics': 'Metrics',
    'report.equity': 'Equity vs buy & hold',
    'report.equity.note': 'Buy & hold: {sym} close scaled to the initial cash',
    'report.drawdown': 'Drawdown (underwater)',
    'report.monthly': 'Monthly returns',
    'report.tradepnl': 'P&L per trade',
    'report.price': 'Price and trades ({sym})',
    'report.hour': 'P&L by hour (KST)',
    'report.weekday': 'P&L by weekday',
    'report.symbol': 'Symbol',
    'report.bytime.note': 'By exit time · bars = summed P&L, dots = number of trades',
    'report.trades': 'Trades ({n})',
    'report.failed': 'Run failed: {e}',
    'report.state': 'State: {s}',
    'report.no_trades': 'No trades.',
    'report.trades_capped': 'Showing {n} of {total} trades.',
    'report.compare': 'Compare with other runs',
    'report.no_series': 'No chart data.',
  },
});

const TRADES_CAP = 20000;

async function allTrades(
  id: string,
  first: BacktestDetail,
  signal: AbortSignal,
): Promise<{ trades: Trade[]; total: number }> {
  const trades = [...(first.trades ?? [])];
  const total = first.trades_page?.total ?? trades.length;
  while (trades.length < total && trades.length < TRADES_CAP) {
    const page = await api.get<BacktestDetail>(
      `/backtests/${encodeURIComponent(id)}${qs({ trades_limit: 1000, trades_offset: trades.length, equity_limit: 1 })}`,
      signal,
    );
    if (!page.trades?.length) break;
    trades.push(...page.trades);
  }
  return { trades, total };
}

function chartPanel(title: string, id: string, note?: string, tall = false): [HTMLElement, HTMLElement] {
  const box = h('div', {
    class: `chart-box uplot-box${tall ? ' tall' : ''}`,
    id,
    'data-testid': 'chart-box',
    role: 'figure',
    'aria-label': title,
  });
  return [panel(title, note ? h('p', { class: 'muted small' }, note) : null, box), box];
}

export default async function page(root: HTMLElement, ctx: PageContext): Promise<() => void> {
  const id = ctx.params.id;
  const cleanups: (() => void)[] = [];
  const body = h('div', { id: 'report' }, loading());
  root.appendChild(
    h(
      'div',
      { class: 'report-page' },
      h(
        'div',
        { class: 'page-head' },
        h('h1', null, `${t('report.title')} `, h('code', { class: 'run-id' }, id)),
        h('a', { href: '#/runs' }, t('report.back')),
      ),
      body,
    ),
  );
  const dispose = () => {
    while (cleanups.length) cleanups.pop()!();
  };

  const load = async () => {
    dispose();
    let run: BacktestDetail;
    try {
      run = await api.get<BacktestDetail>(`/backtests/${encodeURIComponent(id)}`, ctx.signal);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      // An optimization's id opens its own page.
      if (e instanceof ApiError && e.status === 404) {
        const opt = await api.get(`/optimizations/${encodeURIComponent(id)}/status`, ctx.signal).then(
          () => true,
          () => false,
        );
        if (opt && !ctx.signal.aborted) {
          navigate(`/optimization/${encodeURIComponent(id)}`);
          return;
        }
      }
      replace(body, errorNotice(e));
      return;
    }
    const req =
      run.request ??
      ({ symbols: [], timeframe: '', period: { from: '', to: '' } } as unknown as BacktestDetail['request']);
    const parts: HTMLElement[] = [panel(t('report.context'), contextList(req, run))];
    if (!isFinal(run.state)) {
      const [el, stop] = watchProgress(id, 'backtests', run, () => void load());
      cleanups.push(stop);
      replace(body, notice('info', t('report.state', { s: stateText(run.state) })), el, ...parts);
      return;
    }
    if (run.error || !run.metrics) {
      replace(body, notice('error', t('report.failed', { e: run.error ?? stateText(run.state) })), ...parts);
      return;
    }
    let metrics = run.metrics.standard;
    let series: ChartSeries = {};
    let trades: Trade[] = run.trades ?? [];
    let tradesTotal = trades.length;
    try {
      const [m, c, tr] = await Promise.all([
        api
          .get<{ metrics?: { standard?: Record<string, unknown> } }>(`/analytics/metrics${qs({ id })}`, ctx.signal)
          .catch(() => null),
        api.get<ChartSeries>(`/analytics/chart${qs({ id, series: 'equity,drawdown,price' })}`, ctx.signal),
        allTrades(id, run, ctx.signal),
      ]);
      if (m?.metrics?.standard) metrics = m.metrics.standard;
      series = c;
      trades = tr.trades;
      tradesTotal = tr.total;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      parts.push(errorNotice(e));
    }
    const equity = series.equity ?? (run.equity ?? []).map((p) => [p.t, p.equity] as [string, number]);
    const drawdown = series.drawdown ?? (run.drawdown ?? []).map((p) => [p.t, p.drawdown_pct] as [string, number]);
    const price = series.price ?? [];
    const sym = req.symbols?.[0] ?? '';
    const initial = Number(metrics.initial_cash ?? req.initial_cash ?? 0);

    const [eqPanel, eqBox] = chartPanel(
      t('report.equity'),
      'report-equity',
      price.length ? t('report.equity.note', { sym }) : undefined,
    );
    const [ddPanel, ddBox] = chartPanel(t('report.drawdown'), 'report-drawdown');
    const [tpPanel, tpBox] = chartPanel(t('report.tradepnl'), 'report-tradepnl');
    const symbols = req.symbols ?? [];
    const symSelect =
      symbols.length > 1
        ? h(
            'select',
            { id: 'report-symbol' },
            symbols.map((x) => h('option', { value: x }, x)),
          )
        : null;
    const priceBox = h('div', {
      class: 'chart-box tall',
      id: 'report-price',
      'data-testid': 'chart-box',
      role: 'figure',
      'aria-label': t('report.price', { sym }),
    });
    const [hrPanel, hrBox] = chartPanel(t('report.hour'), 'report-hour', t('report.bytime.note'));
    const [wdPanel, wdBox] = chartPanel(t('report.weekday'), 'report-weekday', t('report.bytime.note'));

    replace(
      body,
      ...parts,
      keyCards(metrics),
      h(
        'div',
        { class: 'report-top' },
        panel(t('report.metrics'), metricsTable(metrics)),
        h('div', null, eqPanel, ddPanel),
      ),
      panel(
        t('report.monthly'),
        monthlyHeatmap(run.monthly_returns ?? (metrics.monthly as BacktestDetail['monthly_returns']) ?? []),
      ),
      h(
        'div',
        { class: 'split' },
        tpPanel,
        panel(
          t('report.price', { sym: symbols.length > 1 ? '' : sym }).replace(' ()', ''),
          symSelect ? h('div', { class: 'opt-controls' }, field(t('report.symbol'), symSelect)) : null,
          priceBox,
        ),
      ),
      h('div', { class: 'split' }, hrPanel, wdPanel),
      panel(
        t('report.trades', { n: tradesTotal }),
        tradesTotal > trades.length
          ? notice('warn', t('report.trades_capped', { n: trades.length, total: tradesTotal }))
          : null,
        trades.length
          ? h('div', { class: 'tall-table' }, tradesTable(trades, id))
          : notice('info', t('report.no_trades')),
      ),
    );
    // Charts after the boxes are in the page (they size themselves by their box).
    if (equity.length) cleanups.push(equityChart(eqBox, equity, price, initial, sym));
    else eqBox.replaceWith(notice('info', t('report.no_series')));
    if (drawdown.length) cleanups.push(drawdownChart(ddBox, drawdown));
    else ddBox.replaceWith(notice('info', t('report.no_series')));
    if (trades.length) {
      cleanups.push(tradePnlChart(tpBox, trades));
      cleanups.push(bucketChart(hrBox, byHour(trades), 'hour'));
      cleanups.push(bucketChart(wdBox, byWeekday(trades), 'day'));
    } else {
      for (const b of [tpBox, hrBox, wdBox]) b.replaceWith(notice('info', t('report.no_trades')));
    }
    if (price.length) {
      // The run's price series is its first symbol's; another symbol shows its stored bars.
      let stopPrice = priceChart(
        priceBox,
        price,
        trades,
        { symbol: sym, timeframe: req.timeframe, from: req.period.from, to: req.period.to },
        ctx.signal,
      );
      symSelect?.addEventListener('change', () => {
        stopPrice();
        priceBox.replaceChildren();
        const s = symSelect.value;
        stopPrice = priceChart(
          priceBox,
          s === sym ? price : [],
          trades,
          { symbol: s, timeframe: req.timeframe, from: req.period.from, to: req.period.to },
          ctx.signal,
        );
      });
      cleanups.push(() => stopPrice());
    } else priceBox.replaceWith(notice('info', t('report.no_series')));
  };

  await load();
  return dispose;
}
