// pages/runs.ts - #/runs: the caller's backtests and optimizations, newest first, with
// paging, progress of running ones, pick 2–5 finished backtests to compare, delete.

import { api, qs } from '../api';
import { h, replace } from '../dom';
import { dec, kst, num } from '../format';
import { strings, t } from '../i18n';
import { navigate, type PageContext } from '../router';
import { dataTable, errorNotice, loading, notice, type Column } from '../ui';
import { isFinal, stateText } from '../report/states';
import type { RunSummary } from '../report/types';

strings({
  ko: {
    'runs.title': '백테스트 · 최적화 실행 목록',
    'runs.new': '새 백테스트',
    'runs.compare': '비교 ({n})',
    'runs.compare.hint': '완료된 백테스트 2–5개를 골라 비교하세요',
    'runs.col.pick': '선택',
    'runs.col.kind': '종류',
    'runs.col.id': 'ID',
    'runs.col.strategy': '전략',
    'runs.col.state': '상태',
    'runs.col.progress': '진행',
    'runs.col.best': '최고 목표값',
    'runs.col.created': '생성 (KST)',
    'runs.col.actions': '작업',
    'runs.pick': '{id} 비교에 넣기',
    'runs.delete': '삭제',
    'runs.delete.label': '{id} 삭제',
    'runs.delete.confirm': '실행 {id}을(를) 삭제할까요? 되돌릴 수 없습니다.',
    'runs.cancel.confirm': '실행 중인 {id}을(를) 취소할까요?',
    'runs.deleted': '{id}을(를) 삭제했습니다.',
    'runs.cancelled': '{id}을(를) 취소했습니다.',
    'runs.prev': '이전',
    'runs.next': '다음',
    'runs.page': '{from}–{to} / 전체 {total}',
    'runs.empty': '아직 실행한 백테스트가 없습니다. "새 백테스트"로 시작하세요.',
    'runs.too_many': '비교는 최대 5개까지입니다.',
  },
  en: {
    'runs.title': 'Backtest and optimization runs',
    'runs.new': 'New backtest',
    'runs.compare': 'Compare ({n})',
    'runs.compare.hint': 'Pick 2–5 finished backtests to compare',
    'runs.col.pick': 'Pick',
    'runs.col.kind': 'Kind',
    'runs.col.id': 'ID',
    'runs.col.strategy': 'Strategy',
    'runs.col.state': 'State',
    'runs.col.progress': 'Progress',
    'runs.col.best': 'Best objective',
    'runs.col.created': 'Created (KST)',
    'runs.col.actions': 'Actions',
    'runs.pick': 'Add {id} to the comparison',
    'runs.delete': 'Delete',
    'runs.delete.label': 'Delete {id}',
    'runs.delete.confirm': 'Delete run {id}? This cannot be undone.',
    'runs.cancel.confirm': 'Cancel the running {id}?',
    'runs.deleted': 'Deleted {id}.',
    'runs.cancelled': 'Cancelled {id}.',
    'runs.prev': 'Previous',
    'runs.next': 'Next',
    'runs.page': '{from}–{to} of {total}',
    'runs.empty': 'No runs yet. Start with "New backtest".',
    'runs.too_many': 'At most 5 runs can be compared.',
  },
});

const PAGE = 20;

interface ListAnswer {
  runs: RunSummary[];
  total: number;
}

function runPath(r: RunSummary): string {
  return r.kind === 'optimization'
    ? `/optimization/${encodeURIComponent(r.id)}`
    : `/report/${encodeURIComponent(r.id)}`;
}

function bestText(r: RunSummary): string {
  const v = r.best_objective;
  if (v === null || v === undefined) return '–';
  return Number.isInteger(v) && Math.abs(v) >= 1000 ? num(v) : dec(v, 4);
}

export default function page(root: HTMLElement, ctx: PageContext): () => void {
  const picked = new Set<string>();
  let pageNo = Math.max(0, Number(ctx.query.get('page') ?? 0) || 0);
  let timer: ReturnType<typeof setInterval> | null = null;
  const status = h('div', { 'aria-live': 'polite' });
  const list = h('div', { id: 'runs-list' }, loading());
  const compareBtn = h(
    'button',
    {
      type: 'button',
      id: 'runs-compare',
      class: 'primary',
      disabled: true,
      title: t('runs.compare.hint'),
      onclick: () => navigate(`/compare?ids=${[...picked].join(',')}`),
    },
    t('runs.compare', { n: 0 }),
  );
  const pager = h('div', { class: 'pager' });

  const updateCompare = () => {
    compareBtn.textContent = t('runs.compare', { n: picked.size });
    compareBtn.disabled = picked.size < 2 || picked.size > 5;
  };

  root.appendChild(
    h(
      'div',
      { class: 'runs-page' },
      h('h1', null, t('runs.title')),
      h(
        'div',
        { class: 'runs-tools' },
        h(
          'div',
          { class: 'actions' },
          h('a', { href: '#/runs/new', id: 'runs-new', class: 'button primary' }, t('runs.new')),
          compareBtn,
          h('span', { class: 'muted small' }, t('runs.compare.hint')),
        ),
        pager,
      ),
      status,
      list,
    ),
  );

  const remove = async (r: RunSummary) => {
    const running = !isFinal(r.state);
    if (!window.confirm(t(running ? 'runs.cancel.confirm' : 'runs.delete.confirm', { id: r.id }))) return;
    try {
      await api.del(`/${r.kind === 'optimization' ? 'optimizations' : 'backtests'}/${encodeURIComponent(r.id)}`);
      picked.delete(r.id);
      updateCompare();
      await load();
      replace(status, notice('ok', t(running ? 'runs.cancelled' : 'runs.deleted', { id: r.id })));
    } catch (e) {
      replace(status, errorNotice(e));
    }
  };

  const columns: Column<RunSummary>[] = [
    {
      key: 'pick',
      label: t('runs.col.pick'),
      value: (r) => (picked.has(r.id) ? 1 : 0),
      cell: (r) =>
        r.kind === 'backtest' && r.state === 'done'
          ? h('input', {
              type: 'checkbox',
              class: 'run-pick',
              'data-id': r.id,
              checked: picked.has(r.id),
              'aria-label': t('runs.pick', { id: r.id }),
              onclick: (e: Event) => e.stopPropagation(),
              onchange: (e: Event) => {
                const box = e.target as HTMLInputElement;
                if (box.checked) {
                  if (picked.size >= 5) {
                    box.checked = false;
                    replace(status, notice('warn', t('runs.too_many')));
                    return;
                  }
                  picked.add(r.id);
                } else picked.delete(r.id);
                updateCompare();
              },
            })
          : '',
    },
    { key: 'kind', label: t('runs.col.kind'), value: (r) => t(`runs.kind.${r.kind}`) },
    {
      key: 'id',
      label: t('runs.col.id'),
      cell: (r) =>
        h(
          'a',
          { href: `#${runPath(r)}`, onclick: (e: Event) => e.stopPropagation() },
          h('code', { class: 'run-id' }, r.id),
        ),
    },
    { key: 'strategy', label: t('runs.col.strategy') },
    { key: 'state', label: t('runs.col.state'), value: (r) => stateText(r.state), cls: (r) => `state-${r.state}` },
    {
      key: 'progress',
      label: t('runs.col.progress'),
      num: true,
      value: (r) => (r.total ? r.done / r.total : 0),
      cell: (r) => `${num(r.done)} / ${num(r.total)}`,
    },
    { key: 'best_objective', label: t('runs.col.best'), num: true, cell: (r) => bestText(r) },
    { key: 'created_at', label: t('runs.col.created'), cell: (r) => kst(r.created_at) },
    {
      key: 'actions',
      label: t('runs.col.actions'),
      value: () => '',
      cell: (r) =>
        h(
          'button',
          {
            type: 'button',
            class: 'run-delete',
            'aria-label': t('runs.delete.label', { id: r.id }),
            onclick: (e: Event) => {
              e.stopPropagation();
              void remove(r);
            },
          },
          t('runs.delete'),
        ),
    },
  ];

  async function load(): Promise<void> {
    // Both lists are newest first; merge the first (page+1)×PAGE of each and cut the page.
    const want = (pageNo + 1) * PAGE;
    let bt: ListAnswer;
    let op: ListAnswer;
    try {
      [bt, op] = await Promise.all([
        api.get<ListAnswer>(`/backtests${qs({ limit: want, offset: 0 })}`, ctx.signal),
        api
          .get<ListAnswer>(`/optimizations${qs({ limit: want, offset: 0 })}`, ctx.signal)
          .catch(() => ({ runs: [], total: 0 })),
      ]);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      replace(list, errorNotice(e));
      return;
    }
    const all = [
      ...bt.runs.map((r) => ({ ...r, kind: r.kind ?? 'backtest' })),
      ...op.runs.map((r) => ({ ...r, kind: 'optimization' as const })),
    ].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    const total = bt.total + op.total;
    const rows = all.slice(pageNo * PAGE, want);
    const from = total ? pageNo * PAGE + 1 : 0;
    replace(
      pager,
      h(
        'button',
        { type: 'button', id: 'runs-prev', disabled: pageNo === 0, onclick: () => ((pageNo -= 1), void load()) },
        t('runs.prev'),
      ),
      h('span', { class: 'muted' }, t('runs.page', { from, to: pageNo * PAGE + rows.length, total })),
      h(
        'button',
        { type: 'button', id: 'runs-next', disabled: want >= total, onclick: () => ((pageNo += 1), void load()) },
        t('runs.next'),
      ),
    );
    if (!total) replace(list, notice('info', t('runs.empty')));
    else
      replace(
        list,
        dataTable(columns, rows, {
          id: 'runs-table',
          caption: t('runs.title'),
          onRow: (r) => {
            navigate(runPath(r as RunSummary));
          },
        }),
      );
    // Poll while something is running (progress and state in the list).
    const running = rows.some((r) => !isFinal(r.state));
    if (running && !timer) timer = setInterval(() => void load(), 3000);
    if (!running && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  void load();
  return () => {
    if (timer) clearInterval(timer);
  };
}
