// runform/progress.ts - a submitted run's live progress: the WebSocket topic
// `backtest.<id>` (Progress / JobResult events) plus a GET …/status poll every 2 s as
// the fallback; a <progress> bar with done/total, failed, ETA and the best objective so
// far, a cancel button (DELETE), and a callback when the run ends.

import { api } from '../api';
import { h } from '../dom';
import { dec, num } from '../format';
import { strings, t } from '../i18n';
import { subscribe } from '../ws';
import { errorNotice, errorText, notice } from '../ui';

strings({
  ko: {
    'run_new.progress.title': '진행 상황',
    'run_new.progress.bar': '실행 진행률',
    'run_new.progress.done': '{done} / {total} 완료',
    'run_new.progress.failed': '실패 {n}',
    'run_new.progress.eta': '남은 시간 약 {s}초',
    'run_new.progress.best': '현재 최고 기준값 {v}',
    'run_new.progress.best_params': '최고 조합: {p}',
    'run_new.progress.state': '상태: {s}',
    'run_new.progress.cancel': '실행 취소',
    'run_new.progress.cancelling': '취소 요청 중…',
    'run_new.progress.cancelled': '실행을 취소했습니다',
    'run_new.progress.finished': '완료되었습니다. 결과로 이동합니다…',
    'run_new.progress.fail': '실행이 실패했습니다: {msg}',
    'run_new.progress.id': '실행 ID {id}',
    'run_new.progress.open': '실행 기록 보기',
    'run_new.state.queued': '대기 중',
    'run_new.state.running': '실행 중',
    'run_new.state.done': '완료',
    'run_new.state.failed': '실패',
    'run_new.state.cancelled': '취소됨',
  },
  en: {
    'run_new.progress.title': 'Progress',
    'run_new.progress.bar': 'Run progress',
    'run_new.progress.done': '{done} / {total} done',
    'run_new.progress.failed': '{n} failed',
    'run_new.progress.eta': 'about {s} s left',
    'run_new.progress.best': 'best objective so far {v}',
    'run_new.progress.best_params': 'best set: {p}',
    'run_new.progress.state': 'State: {s}',
    'run_new.progress.cancel': 'Cancel run',
    'run_new.progress.cancelling': 'Cancelling…',
    'run_new.progress.cancelled': 'The run was cancelled',
    'run_new.progress.finished': 'Done. Opening the results…',
    'run_new.progress.fail': 'The run failed: {msg}',
    'run_new.progress.id': 'Run {id}',
    'run_new.progress.open': 'Open the run',
    'run_new.state.queued': 'queued',
    'run_new.state.running': 'running',
    'run_new.state.done': 'done',
    'run_new.state.failed': 'failed',
    'run_new.state.cancelled': 'cancelled',
  },
});

interface Status {
  state?: string;
  done?: number;
  total?: number;
  failed?: number;
  best_objective?: number | null;
  eta_s?: number | null;
  error?: string | { message?: string } | null;
  best_params?: string;
}

/** [{name, int_value | double_value | bool_value}] as "fast=7, slow=70". */
function paramsText(list: unknown): string | undefined {
  if (!Array.isArray(list) || !list.length) return undefined;
  return list
    .map((p: Record<string, unknown>) => {
      const key = Object.keys(p).find((k) => k.endsWith('_value'));
      const v = key ? p[key] : '';
      return `${String(p.name)}=${typeof v === 'number' ? Number(v.toPrecision(12)) : String(v)}`;
    })
    .join(', ');
}

/** Progress / JobResult JSON from the coordinator, with state as a name or an enum. */
function fromEvent(d: Record<string, unknown>): Status {
  const s: Status = {};
  const n = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
  if (d.done !== undefined) s.done = n(d.done);
  if (d.tasks_done !== undefined) s.done = n(d.tasks_done);
  if (d.total !== undefined) s.total = n(d.total);
  if (d.failed !== undefined) s.failed = n(d.failed);
  if (d.tasks_failed !== undefined) s.failed = n(d.tasks_failed);
  if (d.best_objective !== undefined) s.best_objective = n(d.best_objective);
  const bp = paramsText(d.best_params);
  if (bp) s.best_params = bp;
  if (d.eta_ms !== undefined) s.eta_s = (n(d.eta_ms) ?? 0) / 1000;
  if (typeof d.state === 'string') {
    const st = d.state.toLowerCase();
    for (const name of ['queued', 'running', 'done', 'failed', 'cancelled']) if (st.includes(name)) s.state = name;
    if (st.includes('canceled')) s.state = 'cancelled';
  }
  return s;
}

const FINAL = new Set(['done', 'failed', 'cancelled']);

export interface RunInfo {
  id: string;
  kind: 'backtest' | 'optimization';
}

/**
 * Follows a run in `box`; `onEnd` gets the final state. Returns the cleanup (unsubscribe,
 * stop the poll).
 */
export function followRun(box: HTMLElement, run: RunInfo, onEnd: (state: string) => void): () => void {
  const base = run.kind === 'optimization' ? '/optimizations' : '/backtests';
  const bar = h('progress', { id: 'run-progress-bar', max: 1, value: 0, 'aria-label': t('run_new.progress.bar') });
  const doneText = h('span', { id: 'run-progress-done' });
  const failedText = h('span', { id: 'run-progress-failed' });
  const etaText = h('span', { id: 'run-progress-eta' });
  const bestText = h('span', { id: 'run-progress-best' });
  const bestParams = h('span', { id: 'run-progress-best-params' });
  const stateText = h('span', { id: 'run-progress-state' });
  const message = h('div', { 'aria-live': 'polite' });
  const cancel = h('button', { type: 'button', class: 'danger', id: 'run-cancel' }, t('run_new.progress.cancel'));
  box.replaceChildren(
    h(
      'section',
      { class: 'panel run-progress', id: 'run-progress', 'data-run-id': run.id, 'data-state': 'queued' },
      h(
        'h2',
        null,
        t('run_new.progress.title'),
        ' ',
        h('small', { class: 'hint' }, t('run_new.progress.id', { id: run.id })),
      ),
      bar,
      h('p', { class: 'run-progress-figures' }, stateText, doneText, failedText, etaText, bestText, bestParams),
      h('div', { class: 'actions' }, cancel),
      message,
    ),
  );
  const section = box.firstElementChild as HTMLElement;

  const cur: Status = { state: 'queued', done: 0, total: 0, failed: 0 };
  let ended = false;
  let timer: number | undefined;
  let endTimer: number | undefined;

  const draw = () => {
    const total = Math.max(cur.total ?? 0, 1);
    bar.max = total;
    bar.value = Math.min(cur.done ?? 0, total);
    section.dataset.state = cur.state ?? '';
    stateText.textContent = t('run_new.progress.state', { s: t(`run_new.state.${cur.state ?? 'queued'}`) });
    doneText.textContent = t('run_new.progress.done', { done: num(cur.done ?? 0), total: num(cur.total ?? 0) });
    failedText.textContent = cur.failed ? t('run_new.progress.failed', { n: num(cur.failed) }) : '';
    failedText.className = cur.failed ? 'down' : '';
    etaText.textContent =
      cur.eta_s !== undefined && cur.eta_s !== null && !FINAL.has(cur.state ?? '')
        ? t('run_new.progress.eta', { s: num(Math.ceil(cur.eta_s)) })
        : '';
    bestText.textContent =
      cur.best_objective !== undefined && cur.best_objective !== null && Number.isFinite(cur.best_objective)
        ? t('run_new.progress.best', { v: dec(cur.best_objective, 4) })
        : '';
    bestParams.textContent =
      run.kind === 'optimization' && cur.best_params ? t('run_new.progress.best_params', { p: cur.best_params }) : '';
  };

  const end = async (final: string, err?: Status['error']) => {
    if (ended) return;
    ended = true;
    window.clearInterval(timer);
    cancel.disabled = true;
    // "done" with every task failed (a backtest whose parameters the strategy refused)
    // has no result to show: it reads as a failure with the run's error.
    const allFailed = (cur.failed ?? 0) > 0 && (cur.failed ?? 0) >= (cur.total ?? 0);
    const state = final === 'done' && allFailed ? 'failed' : final;
    section.dataset.state = state;
    stateText.textContent = t('run_new.progress.state', { s: t(`run_new.state.${state}`) });
    if (state === 'done') {
      bar.value = bar.max;
      message.replaceChildren(notice('ok', t('run_new.progress.finished')));
      // A moment to see the full bar, then the results.
      endTimer = window.setTimeout(() => onEnd(state), 600);
      return;
    }
    if (state === 'failed') {
      let msg = typeof err === 'string' ? err : (err?.message ?? '');
      if (!msg) {
        try {
          const full = await api.get<{ error?: string | null }>(`${base}/${run.id}`);
          msg = full.error ?? '';
        } catch (e) {
          msg = errorText(e);
        }
      }
      const href = run.kind === 'optimization' ? `#/optimization/${run.id}` : `#/report/${run.id}`;
      message.replaceChildren(
        h(
          'div',
          { class: 'notice error', role: 'alert', id: 'run-error' },
          t('run_new.progress.fail', { msg }),
          ' ',
          h('a', { href }, t('run_new.progress.open')),
        ),
      );
    } else message.replaceChildren(notice('warn', t('run_new.progress.cancelled')));
    onEnd(state);
  };

  const apply = (s: Status) => {
    if (ended) return;
    Object.assign(cur, Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
    draw();
    if (cur.state && FINAL.has(cur.state)) void end(cur.state, s.error);
  };

  const poll = async () => {
    if (ended) return;
    try {
      apply(await api.get<Status>(`${base}/${run.id}/status`));
    } catch (e) {
      message.replaceChildren(errorNotice(e));
    }
  };

  const off = subscribe(`backtest.${run.id}`, (e) => {
    if (e.data && typeof e.data === 'object') {
      const s = fromEvent(e.data as Record<string, unknown>);
      // The status route has the authoritative state: ask it when an event says "over".
      const final = s.state && FINAL.has(s.state);
      delete s.state;
      apply(s);
      if (final) void poll();
    }
  });

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    message.replaceChildren(notice('info', t('run_new.progress.cancelling')));
    try {
      await api.del(`${base}/${run.id}`);
      await poll();
    } catch (e) {
      message.replaceChildren(errorNotice(e));
      cancel.disabled = false;
    }
  });

  draw();
  void poll();
  timer = window.setInterval(() => void poll(), 2000);
  return () => {
    ended = true;
    off();
    window.clearInterval(timer);
    window.clearTimeout(endTimer);
  };
}
