// runform/symbols.ts - the stored symbols (GET /data/symbols) as a multi-select of
// checkboxes, each with its timeframe, stored range and bar count; choosing one sets the
// timeframe and the period to what is stored.

import { h } from '../dom';
import { kstDay, num } from '../format';
import { strings, t } from '../i18n';
import type { StoredSymbol } from '../api_types';

strings({
  ko: {
    'run_new.symbols': '종목 (저장된 데이터)',
    'run_new.symbols.rows': '{n}봉',
    'run_new.symbols.none': '저장된 데이터가 없습니다. 데이터 화면에서 먼저 가져오세요.',
    'run_new.symbols.filter': '종목 찾기',
  },
  en: {
    'run_new.symbols': 'Symbols (stored data)',
    'run_new.symbols.rows': '{n} bars',
    'run_new.symbols.none': 'No stored data yet. Import some on the Data page first.',
    'run_new.symbols.filter': 'Find a symbol',
  },
});

export interface SymbolPicker {
  el: HTMLElement;
  selected(): StoredSymbol[];
  /** Keeps only the symbols of this timeframe checked. */
  setTimeframe(tf: string): void;
  focus(): void;
}

export function symbolPicker(
  list: StoredSymbol[],
  onPick: (picked: StoredSymbol[], changed: StoredSymbol) => void,
): SymbolPicker {
  const boxes: [HTMLInputElement, StoredSymbol][] = [];
  const items = list.map((s) => {
    const box = h('input', {
      type: 'checkbox',
      id: `run-symbol-${s.symbol}-${s.timeframe}`,
      value: s.symbol,
      'data-tf': s.timeframe,
    });
    boxes.push([box, s]);
    box.addEventListener('change', () => {
      if (box.checked) for (const [b, o] of boxes) if (o.timeframe !== s.timeframe) b.checked = false;
      onPick(selected(), s);
    });
    return h(
      'li',
      { 'data-symbol': s.symbol },
      box,
      h(
        'label',
        { for: box.id },
        h('strong', null, s.symbol),
        ' ',
        h(
          'span',
          { class: 'hint' },
          `${s.timeframe} · ${kstDay(s.first)} ~ ${kstDay(s.last)} · ${t('run_new.symbols.rows', { n: num(s.rows) })}`,
        ),
      ),
    );
  });
  const ul = h('ul', { class: 'run-symbols' }, items);
  const filter = h('input', {
    type: 'search',
    id: 'run-symbol-filter',
    'aria-label': t('run_new.symbols.filter'),
    placeholder: t('run_new.symbols.filter'),
    oninput: () => {
      const q = filter.value.trim().toUpperCase();
      for (const li of items) li.hidden = !!q && !(li.dataset.symbol ?? '').toUpperCase().includes(q);
    },
  });
  const selected = () => boxes.filter(([b]) => b.checked).map(([, s]) => s);
  const el = h(
    'fieldset',
    { class: 'run-symbol-box', id: 'run-symbols' },
    h('legend', null, t('run_new.symbols')),
    list.length > 8 ? filter : null,
    list.length ? ul : h('p', { class: 'notice warn' }, t('run_new.symbols.none')),
  );
  return {
    el,
    selected,
    setTimeframe(tf) {
      for (const [b, s] of boxes) if (s.timeframe !== tf) b.checked = false;
    },
    focus: () => boxes[0]?.[0].focus(),
  };
}
