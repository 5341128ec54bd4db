// ui.ts - widgets every page uses: notices, error text from an ApiError, a sortable data
// table with CSV export, a panel with a heading, and a progress bar.

import { ApiError } from './api';
import { h, download, type Child } from './dom';
import { t, strings } from './i18n';

strings({
  ko: {
    'ui.loading': '불러오는 중…',
    'ui.empty': '자료가 없습니다',
    'ui.csv': 'CSV 내보내기',
    'ui.sort': '{col} 기준 정렬',
    'ui.error.network': '게이트웨이에 연결할 수 없습니다. 플랫폼이 실행 중인지 확인하세요 (make up).',
  },
  en: {
    'ui.loading': 'Loading…',
    'ui.empty': 'Nothing here yet',
    'ui.csv': 'Export CSV',
    'ui.sort': 'Sort by {col}',
    'ui.error.network': 'Cannot reach the gateway. Check that the platform is running (make up).',
  },
});

export type NoticeKind = 'info' | 'ok' | 'error' | 'warn';

export function notice(kind: NoticeKind, text: Child): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The message to show for a failed call: the gateway's own words, with field names. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = Object.entries(e.fields)
      .filter(([, msg]) => msg !== e.message)
      .map(([k, msg]) => `${k}: ${msg}`);
    return [`${e.message}`, ...fields].join(' · ');
  }
  if (e instanceof TypeError) return t('ui.error.network');
  return String((e as Error)?.message ?? e);
}

export function errorNotice(e: unknown): HTMLElement {
  return notice('error', errorText(e));
}

export function loading(): HTMLElement {
  return h('p', { class: 'notice info', role: 'status', 'aria-busy': 'true' }, t('ui.loading'));
}

export function panel(title: Child, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

export function progress(done: number, total: number, label: string): HTMLElement {
  const bar = h('progress', { max: Math.max(total, 1), value: done, 'aria-label': label });
  return bar;
}

export interface Column<R> {
  key: string;
  label: string;
  /** Cell content; the default is the row's value at key. */
  cell?: (r: R) => Child;
  /** Value for sorting and CSV; the default is the row's value at key. */
  value?: (r: R) => string | number | null | undefined;
  /** Right-aligned numbers. */
  num?: boolean;
  /** Extra class for the cell (e.g. up/down colour). */
  cls?: (r: R) => string;
}

export interface TableOptions {
  /** Columns sortable by clicking their header (default true). */
  sortable?: boolean;
  /** A CSV export button with this file name. */
  csv?: string;
  /** Caption for screen readers. */
  caption?: string;
  /** Row click. */
  onRow?: (r: unknown) => void;
  /** Initial sort. */
  sort?: { key: string; desc: boolean };
  /** A test id for the <table>. */
  id?: string;
}

function valueOf<R>(c: Column<R>, r: R): string | number | null | undefined {
  if (c.value) return c.value(r);
  return (r as Record<string, unknown>)[c.key] as string | number | null | undefined;
}

function csvEscape(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<R>(columns: Column<R>[], rows: R[]): string {
  const lines = [columns.map((c) => csvEscape(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvEscape(valueOf(c, r))).join(','));
  return `${lines.join('\n')}\n`;
}

/** A data table; returns a wrapper element (the table plus its CSV button). */
export function dataTable<R>(columns: Column<R>[], rows: R[], opts: TableOptions = {}): HTMLElement {
  const sortable = opts.sortable ?? true;
  let sort = opts.sort ?? null;
  const tbody = h('tbody');
  const heads: HTMLElement[] = [];

  const draw = () => {
    const sorted = [...rows];
    if (sort) {
      const col = columns.find((c) => c.key === sort!.key);
      if (col) {
        const dir = sort.desc ? -1 : 1;
        sorted.sort((a, b) => {
          const va = valueOf(col, a);
          const vb = valueOf(col, b);
          if (va === vb) return 0;
          if (va === null || va === undefined) return 1;
          if (vb === null || vb === undefined) return -1;
          return (va < vb ? -1 : 1) * dir;
        });
      }
    }
    tbody.replaceChildren(
      ...sorted.map((r) =>
        h(
          'tr',
          opts.onRow
            ? {
                class: 'clickable',
                tabindex: 0,
                onclick: () => opts.onRow!(r),
                onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && opts.onRow!(r),
              }
            : null,
          columns.map((c) => {
            const v = c.cell ? c.cell(r) : valueOf(c, r);
            return h('td', { class: [c.num ? 'num' : '', c.cls ? c.cls(r) : ''].join(' ').trim() || null }, v as Child);
          }),
        ),
      ),
    );
    heads.forEach((th, i) => {
      const c = columns[i];
      th.setAttribute('aria-sort', sort && sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none');
    });
  };

  const thead = h(
    'thead',
    null,
    h(
      'tr',
      null,
      columns.map((c) => {
        const th = h('th', { scope: 'col', class: c.num ? 'num' : null });
        if (sortable) {
          th.appendChild(
            h(
              'button',
              {
                class: 'sort',
                type: 'button',
                'aria-label': t('ui.sort', { col: c.label }),
                onclick: () => {
                  sort = sort && sort.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: true };
                  draw();
                },
              },
              c.label,
            ),
          );
        } else th.textContent = c.label;
        heads.push(th);
        return th;
      }),
    ),
  );
  const table = h(
    'table',
    { class: 'data', id: opts.id ?? null },
    opts.caption ? h('caption', { class: 'sr-only' }, opts.caption) : null,
    thead,
    tbody,
  );
  draw();
  const wrap = h('div', { class: 'table-wrap' });
  if (opts.csv) {
    const name = opts.csv;
    wrap.appendChild(
      h(
        'div',
        { class: 'table-tools' },
        h('button', { type: 'button', onclick: () => download(name, toCsv(columns, rows)) }, t('ui.csv')),
      ),
    );
  }
  wrap.appendChild(rows.length ? h('div', { class: 'scroll-x' }, table) : notice('info', t('ui.empty')));
  return wrap;
}
