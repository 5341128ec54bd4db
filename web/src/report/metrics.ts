// report/metrics.ts - the key figure cards and the full metrics table with the STOM
// name and the standard name side by side.

import { h } from '../dom';
import { pct, signClass, won } from '../format';
import { strings, t } from '../i18n';
import { fmtMetric, METRICS, type Metrics } from './names';

strings({
  ko: {
    'report.m.stom': 'STOM 이름',
    'report.m.std': '표준 이름',
    'report.m.value': '값',
    'report.m.caption': '성과 지표',
    'report.card.net': '수익금',
    'report.card.ret': '총 수익률',
    'report.card.cagr': 'CAGR (연복리)',
    'report.card.mdd': '최대낙폭 MDD',
    'report.card.sharpe': '샤프 지수',
    'report.card.wr': '승률',
    'report.card.pf': '수익 팩터',
    'report.card.trades': '거래 횟수',
  },
  en: {
    'report.m.stom': 'STOM name',
    'report.m.std': 'Standard name',
    'report.m.value': 'Value',
    'report.m.caption': 'Performance metrics',
    'report.card.net': 'Net profit',
    'report.card.ret': 'Total return',
    'report.card.cagr': 'CAGR (compound)',
    'report.card.mdd': 'Max drawdown',
    'report.card.sharpe': 'Sharpe',
    'report.card.wr': 'Win rate',
    'report.card.pf': 'Profit factor',
    'report.card.trades': 'Trades',
  },
});

function card(label: string, value: string, cls = '', id?: string): HTMLElement {
  return h(
    'div',
    { class: 'card', 'data-testid': id ?? null },
    h('div', { class: 'label' }, label),
    h('div', { class: `value ${cls}`.trim() }, value),
  );
}

export function keyCards(m: Metrics): HTMLElement {
  const n = (k: string) => Number(m[k] ?? 0);
  return h(
    'div',
    { class: 'cards', id: 'report-cards' },
    card(t('report.card.net'), won(n('net_profit')), signClass(n('net_profit')), 'card-net'),
    card(t('report.card.ret'), pct(n('return_pct'), 2, true), signClass(n('return_pct'))),
    card(t('report.card.cagr'), pct(n('cagr_pct'), 2, true), signClass(n('cagr_pct'))),
    card(
      t('report.card.mdd'),
      `${pct(-n('max_drawdown_pct'))} · ${won(-n('max_drawdown_amount'))}`,
      n('max_drawdown_pct') ? 'down' : '',
    ),
    card(t('report.card.sharpe'), fmtMetric('sharpe', n('sharpe'), m)),
    card(t('report.card.wr'), pct(n('win_rate_pct'), 1)),
    card(t('report.card.pf'), fmtMetric('profit_factor', n('profit_factor'), m)),
    card(t('report.card.trades'), String(n('trades'))),
  );
}

/** One row per known metric present in `m`, then any extra numeric fields. */
export function metricsTable(m: Metrics): HTMLElement {
  const rows = METRICS.filter((d) => typeof m[d.key] === 'number');
  return h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'data metrics-table', id: 'report-metrics' },
      h('caption', { class: 'sr-only' }, t('report.m.caption')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('report.m.stom')),
          h('th', { scope: 'col' }, t('report.m.std')),
          h('th', { scope: 'col', class: 'num' }, t('report.m.value')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((d) => {
          const v = m[d.key] as number;
          const cls = [
            'net_profit',
            'return_pct',
            'cagr_pct',
            'stom_cagr_pct',
            'sum_trade_pct',
            'avg_trade_pct',
            'expectancy',
          ].includes(d.key)
            ? signClass(v)
            : '';
          return h(
            'tr',
            { 'data-key': d.key },
            h('td', { class: 'stom-name' }, d.stom ? h('span', null, h('strong', null, d.stom), ` ${d.ko}`) : d.ko),
            h('td', { class: 'std-name' }, d.en),
            h('td', { class: `num ${cls}`.trim() }, fmtMetric(d.key, v, m)),
          );
        }),
      ),
    ),
  );
}
