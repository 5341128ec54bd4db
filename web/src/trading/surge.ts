// trading/surge.ts - the surge alert feed: GET /surge once, then WS `surge` events on
// top (newest first, at most 50).

import { api, qs } from '../api';
import { h } from '../dom';
import { kst, num, pct, signClass } from '../format';
import { t } from '../i18n';
import { errorNotice, panel } from '../ui';
import { symbolName } from '../live/symbols';

interface Alert {
  id: number;
  symbol: string;
  kind: string;
  price: number;
  change_bp: number;
  message: string;
  at: string;
}
const CAP = 50;

export function surgeSection(): { el: HTMLElement; load: () => Promise<void>; add: (a: unknown) => void } {
  const list = h('ul', { class: 'surge-list', id: 'surge-list' });
  const empty = h('p', { class: 'muted' }, t('trading.surge.empty'));
  const item = (a: Alert) =>
    h(
      'li',
      { 'data-id': a.id },
      h('span', { class: 'when' }, kst(a.at).slice(11)),
      h('strong', null, `${a.symbol} ${symbolName(a.symbol)}`),
      ' ',
      h('span', { class: signClass(a.change_bp) }, `${num(a.price)} (${pct((a.change_bp ?? 0) / 100, 2, true)})`),
      ' ',
      h('span', { class: 'muted' }, a.message || a.kind),
    );
  const add = (raw: unknown) => {
    const a = raw as Alert;
    if (!a || !a.symbol) return;
    if (a.id && list.querySelector(`[data-id="${a.id}"]`)) return;
    empty.hidden = true;
    const ns = Number((raw as { ts_ns?: number }).ts_ns);
    list.prepend(item({ ...a, at: a.at ?? new Date(Number.isFinite(ns) ? ns / 1e6 : Date.now()).toISOString() }));
    while (list.children.length > CAP) list.lastElementChild?.remove();
  };
  const load = async () => {
    try {
      const r = await api.get<{ alerts: Alert[] }>(`/surge${qs({ limit: CAP })}`);
      list.replaceChildren(...r.alerts.map(item));
      empty.hidden = r.alerts.length > 0;
    } catch (e) {
      list.replaceChildren(h('li', null, errorNotice(e)));
    }
  };
  return { el: panel(t('trading.surge'), empty, list), load, add };
}
