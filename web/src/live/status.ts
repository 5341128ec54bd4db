// live/status.ts - a line under the page title: 연결됨 / 재연결 중 and the time of the
// last market message (exchange time, KST).

import { h } from '../dom';
import { t } from '../i18n';
import { kstClock } from '../format';
import { onStatus, wsStatus, type WsStatus } from '../ws';

export interface StatusLine {
  el: HTMLElement;
  /** The exchange time (ns) of the latest message; shown at most once a second. */
  seen: (tsNs: number) => void;
  remove: () => void;
}

export function statusLine(): StatusLine {
  const dot = h('span', { class: 'ws-status' });
  const text = h('span', { 'data-testid': 'live-ws-text' });
  const lastEl = h('span', { class: 'muted' });
  const el = h('p', { class: 'live-status', id: 'live-status', role: 'status' }, dot, ' ', text, ' ', lastEl);
  let lastNs = 0;
  let shownNs = -1;
  const show = (s: WsStatus) => {
    dot.className = `ws-status ${s}`;
    text.textContent = t(s === 'open' ? 'live.ws.open' : s === 'connecting' ? 'live.ws.connecting' : 'live.ws.closed');
    el.dataset.state = s;
  };
  show(wsStatus());
  const off = onStatus((s) => show(s));
  const tick = () => {
    if (lastNs !== shownNs) {
      shownNs = lastNs;
      lastEl.textContent = t('live.ws.last', { time: kstClock(Math.floor(lastNs / 1e6)) });
    }
  };
  const timer = window.setInterval(tick, 1000);
  return {
    el,
    seen: (ns) => {
      if (ns <= lastNs && ns > lastNs - 60e9) return; /* a clock far back: a restarted feed */
      const first = lastNs === 0;
      lastNs = ns;
      if (first) tick();
    },
    remove: () => {
      off();
      window.clearInterval(timer);
    },
  };
}
