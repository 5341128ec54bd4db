// report/monthly.ts - monthly returns as a year × month heatmap with each year's
// compounded total (a month without a point stays empty, docs/metrics.md).

import { h } from '../dom';
import { pct } from '../format';
import { lang, strings, t } from '../i18n';
import { heatBg, heatLegend } from './heat';
import type { MonthlyReturn } from './types';

strings({
  ko: {
    'report.mon.year': '연도',
    'report.mon.total': '연간',
    'report.mon.cell': '{y}년 {m}월: {v}',
    'report.mon.caption': '월별 수익률 (%)',
  },
  en: {
    'report.mon.year': 'Year',
    'report.mon.total': 'Year',
    'report.mon.cell': '{y}-{m}: {v}',
    'report.mon.caption': 'Monthly returns (%)',
  },
});

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthlyHeatmap(rows: MonthlyReturn[]): HTMLElement {
  const years = [...new Set(rows.map((r) => r.year))].sort();
  const at = new Map(rows.map((r) => [`${r.year}-${r.month}`, r.return_pct]));
  const max = Math.max(0.01, ...rows.map((r) => Math.abs(r.return_pct)));
  const monthName = (m: number) => (lang() === 'en' ? EN_MONTHS[m - 1] : `${m}월`);
  const table = h(
    'table',
    { class: 'heatmap', id: 'report-monthly' },
    h('caption', { class: 'sr-only' }, t('report.mon.caption')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('report.mon.year')),
        Array.from({ length: 12 }, (_, i) => h('th', { scope: 'col' }, monthName(i + 1))),
        h('th', { scope: 'col' }, t('report.mon.total')),
      ),
    ),
    h(
      'tbody',
      null,
      years.map((y) => {
        let total = 1;
        let any = false;
        const cells = Array.from({ length: 12 }, (_, i) => {
          const v = at.get(`${y}-${i + 1}`);
          if (v === undefined) return h('td', { class: 'empty' }, '');
          total *= 1 + v / 100;
          any = true;
          const label = t('report.mon.cell', { y, m: i + 1, v: pct(v, 2, true) });
          return h(
            'td',
            { class: 'heat-cell', style: heatBg(v, max), title: label, 'aria-label': label, 'data-value': v },
            pct(v, 1, true).replace('%', ''),
          );
        });
        const tv = any ? (total - 1) * 100 : null;
        return h(
          'tr',
          null,
          h('th', { scope: 'row' }, String(y)),
          cells,
          h('td', { class: 'heat-total', style: heatBg(tv, max * 3) }, tv === null ? '' : pct(tv, 1, true)),
        );
      }),
    ),
  );
  return h('div', null, h('div', { class: 'scroll-x' }, table), heatLegend(pct(-max, 1), pct(max, 1, true)));
}
