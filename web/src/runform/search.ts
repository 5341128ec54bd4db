// runform/search.ts - an optimization's search ranges: per parameter a "search" switch
// and start/end/step (defaults: the schema's min..max by step, narrowed around the
// default), with the number of grid combinations shown as they change.

import { h } from '../dom';
import { num } from '../format';
import { strings, t } from '../i18n';
import { checkNumber, FieldError, shortNum, type ParamSpec } from '../strategy/params';

strings({
  ko: {
    'run_new.search.param': '매개변수',
    'run_new.search.on': '탐색',
    'run_new.search.start': '시작',
    'run_new.search.end': '끝',
    'run_new.search.step': '간격',
    'run_new.search.values': '값 개수',
    'run_new.search.combos': '조합 수: {n}',
    'run_new.search.none': '탐색할 매개변수를 하나 이상 고르세요',
    'run_new.search.order': '{name}: 끝 값이 시작 값보다 작습니다',
    'run_new.search.step_pos': '{name}: 간격은 0보다 커야 합니다',
    'run_new.search.on_label': '{name} 탐색',
    'run_new.search.start_label': '{name} 시작 값',
    'run_new.search.end_label': '{name} 끝 값',
    'run_new.search.step_label': '{name} 간격',
  },
  en: {
    'run_new.search.param': 'Parameter',
    'run_new.search.on': 'Search',
    'run_new.search.start': 'Start',
    'run_new.search.end': 'End',
    'run_new.search.step': 'Step',
    'run_new.search.values': 'Values',
    'run_new.search.combos': 'Combinations: {n}',
    'run_new.search.none': 'Pick at least one parameter to search',
    'run_new.search.order': '{name}: the end is below the start',
    'run_new.search.step_pos': '{name}: the step must be above 0',
    'run_new.search.on_label': 'Search {name}',
    'run_new.search.start_label': '{name} start',
    'run_new.search.end_label': '{name} end',
    'run_new.search.step_label': '{name} step',
  },
});

export interface Range {
  start: number;
  end: number;
  step: number;
}

export interface SearchForm {
  el: HTMLElement;
  /** The ranges of the searched parameters, checked; throws FieldError naming `search.<name>`. */
  read(): Record<string, Range>;
  /** The control for a request field like "search.fast" (to mark it invalid). */
  control(field: string): HTMLElement | undefined;
  combos(): number;
}

function valuesOf(r: Range): number {
  if (!(r.step > 0) || r.end < r.start) return 0;
  return Math.floor((r.end - r.start) / r.step + 1e-9) + 1;
}

export function searchForm(schema: ParamSpec[], onChange: () => void): SearchForm {
  const numeric = schema.filter((p) => p.type !== 'bool');
  const rows = new Map<
    string,
    { on: HTMLInputElement; start: HTMLInputElement; end: HTMLInputElement; step: HTMLInputElement; count: HTMLElement }
  >();
  const total = h('p', { id: 'run-combos', class: 'run-combos', 'aria-live': 'polite' });

  const parse = (p: ParamSpec): Range | null => {
    const r = rows.get(p.name)!;
    const start = Number(r.start.value);
    const end = Number(r.end.value);
    const step = Number(r.step.value);
    if (![start, end, step].every(Number.isFinite) || r.start.value === '' || r.end.value === '' || r.step.value === '')
      return null;
    return { start, end, step };
  };
  const combos = () => {
    let n = 1;
    let any = false;
    for (const p of numeric) {
      const r = rows.get(p.name)!;
      if (!r.on.checked) continue;
      any = true;
      const range = parse(p);
      n *= range ? valuesOf(range) : 0;
    }
    return any ? n : 0;
  };
  const update = () => {
    for (const p of numeric) {
      const r = rows.get(p.name)!;
      const range = parse(p);
      r.count.textContent = r.on.checked ? (range ? num(valuesOf(range)) : '–') : '1';
      for (const input of [r.start, r.end, r.step]) input.disabled = !r.on.checked;
    }
    total.textContent = t('run_new.search.combos', { n: num(combos()) });
    onChange();
  };

  const body = numeric.map((p, i) => {
    const def = typeof p.default === 'number' ? p.default : 0;
    const step = p.step && p.step > 0 ? p.step : p.type === 'int' ? 1 : 0.1;
    // Around the default: 3 steps below and above, inside the schema's range.
    const lo = Math.max(p.min ?? def - 3 * step, Number((def - 3 * step).toPrecision(12)));
    const hi = Math.min(p.max ?? def + 3 * step, Number((def + 3 * step).toPrecision(12)));
    const input = (id: string, value: number, label: string) => {
      const el = h('input', {
        type: 'number',
        id,
        step: p.type === 'int' ? '1' : 'any',
        value: shortNum(value),
        'aria-label': label,
        oninput: () => {
          el.removeAttribute('aria-invalid');
          update();
        },
      });
      return el;
    };
    const on = h('input', {
      type: 'checkbox',
      id: `run-search-${p.name}`,
      checked: i < 2,
      onchange: update,
      'aria-label': t('run_new.search.on_label', { name: p.name }),
    });
    const r = {
      on,
      start: input(`run-search-${p.name}-start`, lo, t('run_new.search.start_label', { name: p.name })),
      end: input(`run-search-${p.name}-end`, hi, t('run_new.search.end_label', { name: p.name })),
      step: input(`run-search-${p.name}-step`, step, t('run_new.search.step_label', { name: p.name })),
      count: h('td', { class: 'num' }),
    };
    rows.set(p.name, r);
    return h(
      'tr',
      null,
      h('td', null, on),
      h(
        'th',
        { scope: 'row' },
        h('label', { for: on.id }, p.name),
        h('small', { class: 'hint' }, ` ${shortNum(p.min)} ~ ${shortNum(p.max)}`),
      ),
      h('td', null, r.start),
      h('td', null, r.end),
      h('td', null, r.step),
      r.count,
    );
  });
  const el = h(
    'div',
    { class: 'run-search' },
    h(
      'div',
      { class: 'scroll-x' },
      h(
        'table',
        { class: 'data run-search-table', id: 'run-search' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            [
              'run_new.search.on',
              'run_new.search.param',
              'run_new.search.start',
              'run_new.search.end',
              'run_new.search.step',
              'run_new.search.values',
            ].map((k) => h('th', { scope: 'col' }, t(k))),
          ),
        ),
        h('tbody', null, body),
      ),
    ),
    total,
  );
  update();

  return {
    el,
    combos,
    control(field) {
      const m = /^search\.([^.]+)(?:\.(start|end|step))?/.exec(field);
      if (!m) return undefined;
      const r = rows.get(m[1]);
      return r ? r[(m[2] as 'start' | 'end' | 'step') ?? 'start'] : undefined;
    },
    read() {
      const out: Record<string, Range> = {};
      for (const p of numeric) {
        const r = rows.get(p.name)!;
        if (!r.on.checked) continue;
        const f = `search.${p.name}`;
        const start = checkNumber(p, r.start.value, `${f}.start`, `${p.name} ${t('run_new.search.start')}`);
        const end = checkNumber(p, r.end.value, `${f}.end`, `${p.name} ${t('run_new.search.end')}`);
        const step = Number(r.step.value);
        if (!Number.isFinite(step) || step <= 0)
          throw new FieldError(`${f}.step`, t('run_new.search.step_pos', { name: p.name }));
        if (p.type === 'int' && !Number.isInteger(step))
          throw new FieldError(`${f}.step`, t('params.err.whole', { name: `${p.name} ${t('run_new.search.step')}` }));
        if (end < start) throw new FieldError(`${f}.end`, t('run_new.search.order', { name: p.name }));
        out[p.name] = { start, end, step };
      }
      if (!Object.keys(out).length) throw new FieldError('search', t('run_new.search.none'));
      return out;
    },
  };
}
