// trading/util.ts - a section's re-fetch at most once a second however many events
// arrive, and a section shell that shows its error in place (never a blank page).

import { h, type Child } from '../dom';
import { errorNotice } from '../ui';

/** f at once, then at most once per ms while calls keep coming; `stop` cancels. */
export function throttled(f: () => void, ms = 1000): { call: () => void; stop: () => void } {
  let timer: number | undefined;
  let last = 0;
  let stopped = false;
  return {
    call: () => {
      if (stopped || timer !== undefined) return;
      const wait = Math.max(0, last + ms - Date.now());
      timer = window.setTimeout(() => {
        timer = undefined;
        last = Date.now();
        if (!stopped) f();
      }, wait);
    },
    stop: () => {
      stopped = true;
      window.clearTimeout(timer);
    },
  };
}

/** Replaces body's content with what load() makes; an error shows the gateway's message. */
export async function fill(body: HTMLElement, load: () => Promise<Child>): Promise<void> {
  try {
    const c = await load();
    body.replaceChildren();
    if (c !== null && c !== undefined && c !== false) body.append(...(Array.isArray(c) ? (c as Node[]) : [c as Node]));
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    body.replaceChildren(errorNotice(e));
  }
}

export function kv(pairs: [string, Child, string?][]): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    pairs.map(([k, v, id]) => [h('dt', null, k), h('dd', { id: id ?? null }, v)]),
  );
}
