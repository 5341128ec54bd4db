// report/paramheat.ts - two parameters as a grid: each cell is the best objective over
// the other parameters (and folds), coloured from blue (low) to red (high).

import { field, h, replace } from '../dom';
import { dec } from '../format';
import { strings, t } from '../i18n';
import { heatBg, heatLegend } from './heat';
import type { OptResult } from './types';

strings({
  ko: {
    'opt.heat.x': '가로 파라미터',
    'opt.heat.y': '세로 파라미터',
    'opt.heat.none': '(없음)',
    'opt.heat.cell': '{params}: 최고 목표값 {v}',
    'opt.heat.empty': '평가된 값 없음',
    'opt.heat.caption': '파라미터 히트맵',
  },
  en: {
    'opt.heat.x': 'Columns',
    'opt.heat.y': 'Rows',
    'opt.heat.none': '(none)',
    'opt.heat.cell': '{params}: best objective {v}',
    'opt.heat.empty': 'not evaluated',
    'opt.heat.caption': 'Parameter heatmap',
  },
});

type V = number | string;

function sortVals(vs: V[]): V[] {
  return [...new Set(vs)].sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
}

export function grid(
  results: OptResult[],
  px: string,
  py: string | null,
): { xs: V[]; ys: V[]; cell: Map<string, number> } {
  const cell = new Map<string, number>();
  const xsAll: V[] = [];
  const ysAll: V[] = [];
  for (const r of results) {
    if (r.objective === null || r.objective === undefined || !r.params) continue;
    const x = r.params[px];
    const y = py ? r.params[py] : '';
    if (x === undefined || y === undefined) continue;
    xsAll.push(x);
    ysAll.push(y);
    const k = `${x}|${y}`;
    const old = cell.get(k);
    if (old === undefined || r.objective > old) cell.set(k, r.objective);
  }
  return { xs: sortVals(xsAll), ys: sortVals(ysAll), cell };
}

function table(results: OptResult[], px: string, py: string | null): HTMLElement {
  const { xs, ys, cell } = grid(results, px, py);
  const vals = [...cell.values()];
  if (!vals.length) return h('p', { class: 'muted' }, t('opt.heat.empty'));
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  // Diverging around 0 when the objective has both signs, else around the middle.
  const mid = lo < 0 && hi > 0 ? 0 : (lo + hi) / 2;
  const span = Math.max(hi - mid, mid - lo, 1e-12);
  const best = hi;
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'scroll-x' },
      h(
        'table',
        { class: 'heatmap param-heat', id: 'opt-heatmap' },
        h('caption', { class: 'sr-only' }, t('opt.heat.caption')),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, py ? `${py} ↓ / ${px} →` : `${px} →`),
            xs.map((x) => h('th', { scope: 'col' }, String(x))),
          ),
        ),
        h(
          'tbody',
          null,
          ys.map((y) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, py ? String(y) : ''),
              xs.map((x) => {
                const v = cell.get(`${x}|${y}`);
                const params = py ? `${px}=${x}, ${py}=${y}` : `${px}=${x}`;
                if (v === undefined) return h('td', { class: 'empty', title: `${params}: ${t('opt.heat.empty')}` }, '');
                const label = t('opt.heat.cell', { params, v: dec(v, 4) });
                return h(
                  'td',
                  {
                    class: `heat-cell${v === best ? ' best' : ''}`,
                    style: heatBg(v - mid, span),
                    title: label,
                    'aria-label': label,
                    'data-value': v,
                  },
                  dec(v, 2),
                );
              }),
            ),
          ),
        ),
      ),
    ),
    heatLegend(dec(lo, 2), dec(hi, 2)),
  );
}

/** The heatmap with its two parameter selects. */
export function paramHeatmap(results: OptResult[], params: string[]): HTMLElement {
  const mk = (id: string, withNone: boolean, sel: string) =>
    h(
      'select',
      { id },
      withNone ? h('option', { value: '' }, t('opt.heat.none')) : null,
      params.map((p) => h('option', { value: p, selected: p === sel }, p)),
    );
  const sx = mk('opt-heat-x', false, params[0]);
  const sy = mk('opt-heat-y', true, params[1] ?? '');
  sy.value = params[1] ?? '';
  const out = h('div');
  const draw = () => replace(out, table(results, sx.value, sy.value && sy.value !== sx.value ? sy.value : null));
  sx.addEventListener('change', draw);
  sy.addEventListener('change', draw);
  draw();
  return h(
    'div',
    null,
    h('div', { class: 'opt-controls' }, field(t('opt.heat.x'), sx), field(t('opt.heat.y'), sy)),
    out,
  );
}
