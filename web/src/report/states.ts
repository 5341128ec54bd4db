// report/states.ts - run states in Korean/English, and a progress watcher for a run
// that is still going (its WebSocket topic, with a status poll while the socket is quiet).

import { api } from '../api';
import { h } from '../dom';
import { num } from '../format';
import { strings, t } from '../i18n';
import { subscribe } from '../ws';

strings({
  ko: {
    'runs.state.queued': '대기',
    'runs.state.pending': '대기',
    'runs.state.running': '실행 중',
    'runs.state.done': '완료',
    'runs.state.failed': '실패',
    'runs.state.cancelled': '취소됨',
    'runs.state.canceled': '취소됨',
    'runs.kind.backtest': '백테스트',
    'runs.kind.optimization': '최적화',
    'runs.progress': '진행 {done} / {total}',
  },
  en: {
    'runs.state.queued': 'Queued',
    'runs.state.pending': 'Queued',
    'runs.state.running': 'Running',
    'runs.state.done': 'Done',
    'runs.state.failed': 'Failed',
    'runs.state.cancelled': 'Cancelled',
    'runs.state.canceled': 'Cancelled',
    'runs.kind.backtest': 'Backtest',
    'runs.kind.optimization': 'Optimization',
    'runs.progress': 'Progress {done} / {total}',
  },
});

export function stateText(s: string): string {
  const k = `runs.state.${s}`;
  const v = t(k);
  return v === k ? s : v;
}

/** "JOB_STATE_DONE" (a bus event) or "done" (the REST answer) → "done". */
export function normState(s: unknown): string | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  return s.toLowerCase().replace(/^job_state_/, '');
}

export function isFinal(s: string): boolean {
  return s === 'done' || s === 'failed' || s === 'cancelled' || s === 'canceled';
}

interface Status {
  state: string;
  done: number;
  total: number;
}

/**
 * A progress bar for a running run: follows `backtest.<id>` and polls /status every 3 s;
 * calls onFinal once the run is over. Returns [element, cleanup].
 */
export function watchProgress(
  id: string,
  kind: 'backtests' | 'optimizations',
  first: Status,
  onFinal: () => void,
): [HTMLElement, () => void] {
  const bar = h('progress', {
    max: Math.max(first.total, 1),
    value: first.done,
    'aria-label': t('runs.progress', { done: first.done, total: first.total }),
  });
  const label = h('span', { class: 'muted' }, t('runs.progress', { done: num(first.done), total: num(first.total) }));
  const el = h(
    'div',
    { class: 'run-watch', 'data-testid': 'run-progress' },
    h('strong', null, stateText(first.state)),
    ' ',
    label,
    bar,
  );
  let over = false;
  const apply = (s: Partial<Status>) => {
    if (over) return;
    if (
      typeof s.done === 'number' &&
      typeof s.total === 'number' &&
      Number.isFinite(s.done) &&
      Number.isFinite(s.total)
    ) {
      bar.max = Math.max(s.total, 1);
      bar.value = s.done;
      label.textContent = t('runs.progress', { done: num(s.done), total: num(s.total) });
    }
    if (s.state && isFinal(s.state)) {
      over = true;
      onFinal();
    }
  };
  // data is the coordinator's Progress ({state: "JOB_STATE_RUNNING", done, total, ...})
  // or, once, its JobResult ({state: "JOB_STATE_DONE", ...}).
  const off = subscribe(`backtest.${id}`, (e) => {
    const d = (e as { data?: Record<string, unknown> }).data ?? {};
    const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
    apply({ done: num(d.done), total: num(d.total), state: normState(d.state) });
  });
  const timer = setInterval(() => {
    api.get<Status>(`/${kind}/${encodeURIComponent(id)}/status`).then(apply, () => {});
  }, 3000);
  return [
    el,
    () => {
      over = true;
      off();
      clearInterval(timer);
    },
  ];
}
