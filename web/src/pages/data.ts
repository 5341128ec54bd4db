// Data (#/data): the stored data sets, a candlestick preview of the one clicked, and the
// CSV import (trader or admin; a plain user sees the list and the preview).

import { api } from '../api';
import { canTrade } from '../auth';
import { importForm } from '../data/import';
import type { StoredSymbol } from '../api_types';
import { Preview } from '../data/preview';
import { append, h, replace } from '../dom';
import { kst, kstDay, num } from '../format';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { dataTable, errorNotice, loading, panel } from '../ui';

strings({
  ko: {
    'data.title': '데이터',
    'data.sets': '저장된 데이터',
    'data.symbol': '종목',
    'data.timeframe': '주기',
    'data.market': '시장',
    'data.first': '처음 (KST)',
    'data.last': '마지막 (KST)',
    'data.rows': '봉 수',
    'data.caption': '저장된 종목과 기간; 행을 누르면 차트가 보입니다',
    'data.reload': '새로고침',
  },
  en: {
    'data.title': 'Data',
    'data.sets': 'Stored data',
    'data.symbol': 'Symbol',
    'data.timeframe': 'Timeframe',
    'data.market': 'Market',
    'data.first': 'First (KST)',
    'data.last': 'Last (KST)',
    'data.rows': 'Bars',
    'data.caption': 'Stored symbols and ranges; pick a row to chart it',
    'data.reload': 'Reload',
  },
});

const when = (set: StoredSymbol, v: string) =>
  set.timeframe === '1d' ? kstDay(v) : set.timeframe === '1s' ? kst(v) : kst(v).slice(0, 16);

export default function page(root: HTMLElement, ctx: PageContext): () => void {
  const preview = new Preview();
  const list = h('div', { id: 'data-sets' }, loading());

  const show = (set: StoredSymbol) => {
    void preview.show(set, ctx.signal);
    preview.el.scrollIntoView({ block: 'nearest' });
  };
  /** Loads the list; returns it (empty after a failure, which the list shows). */
  const load = async (): Promise<StoredSymbol[]> => {
    try {
      const { symbols } = await api.get<{ symbols: StoredSymbol[] }>('/data/symbols', ctx.signal);
      replace(
        list,
        dataTable<StoredSymbol>(
          [
            { key: 'symbol', label: t('data.symbol') },
            { key: 'timeframe', label: t('data.timeframe') },
            { key: 'market', label: t('data.market') },
            { key: 'first', label: t('data.first'), cell: (s) => when(s, s.first) },
            { key: 'last', label: t('data.last'), cell: (s) => when(s, s.last) },
            { key: 'rows', label: t('data.rows'), num: true, cell: (s) => num(s.rows) },
          ],
          symbols,
          {
            id: 'data-symbols-table',
            csv: 'stom-data.csv',
            caption: t('data.caption'),
            sort: { key: 'symbol', desc: false },
            onRow: (r) => show(r as StoredSymbol),
          },
        ),
      );
      return symbols;
    } catch (e) {
      if (!ctx.signal.aborted) replace(list, errorNotice(e));
      return [];
    }
  };
  // After an import, the list again and the imported set's chart.
  const imported = async (symbol: string, timeframe: string) => {
    const set = (await load()).find((s) => s.symbol === symbol && s.timeframe === timeframe);
    if (set && !ctx.signal.aborted) show(set);
  };

  append(root, [
    h('h1', null, t('data.title')),
    panel(
      t('data.sets'),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', id: 'data-reload', onclick: () => void load() }, t('data.reload')),
      ),
      list,
    ),
    panel(t('data.preview.title'), preview.el),
    canTrade()
      ? panel(
          t('data.import'),
          importForm((symbol, timeframe) => void imported(symbol, timeframe)),
        )
      : null,
  ]);
  void load();
  return () => preview.dispose();
}
