// dashboard/section.ts - a dashboard panel that loads on its own: a failed call shows the
// gateway's message in that panel only. A reload keeps the old content until the new
// content is there (live refreshes do not flicker).

import { h, replace } from '../dom';
import { errorNotice, loading } from '../ui';

export interface Section {
  el: HTMLElement;
  reload: () => Promise<void>;
}

export function section(
  id: string,
  title: string,
  fill: (signal: AbortSignal) => Promise<Node | Node[]>,
  signal: AbortSignal,
): Section {
  const body = h('div', { class: 'dash-body' }, loading());
  const el = h('section', { class: 'panel dash-section', id, 'data-state': 'loading' }, h('h2', null, title), body);
  let running: Promise<void> | null = null;
  let again = false;
  const once = async () => {
    try {
      const content = await fill(signal);
      if (signal.aborted) return;
      replace(body, content);
      el.dataset.state = 'ready';
    } catch (e) {
      if (signal.aborted || (e as Error).name === 'AbortError') return;
      replace(body, errorNotice(e));
      el.dataset.state = 'error';
    }
  };
  // A reload asked for while one runs runs once more after it (the newest state wins).
  const reload = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await once();
      } while (again && !signal.aborted);
      running = null;
    })();
    return running;
  };
  void reload();
  return { el, reload };
}

/** Runs f at most once every `ms`: a call inside the window is deferred to its end. */
export function throttle(f: () => void, ms: number): { call: () => void; cancel: () => void } {
  let last = 0;
  let timer: number | undefined;
  return {
    call: () => {
      if (timer !== undefined) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) {
        last = Date.now();
        f();
      } else {
        timer = window.setTimeout(() => {
          timer = undefined;
          last = Date.now();
          f();
        }, wait);
      }
    },
    cancel: () => window.clearTimeout(timer),
  };
}
