// trading/orders.ts - the account's orders (GET /orders, open or all), re-read at most
// once a second on WS `orders` events; open orders have a cancel button (DELETE).

import { api, qs } from '../api';
import { h } from '../dom';
import { kst, num } from '../format';
import { t } from '../i18n';
import { dataTable, errorNotice, notice, panel } from '../ui';
import { isOpen, label } from './labels';
import { fill } from './util';

export interface Order {
  client_order_id: string;
  strategy: string;
  symbol: string;
  side: string;
  type: string;
  qty: number;
  price: number | null;
  state: string;
  filled_qty: number;
  avg_price: number | null;
  reason: string | null;
  created_at: string;
}

export function ordersSection(account: () => string): { el: HTMLElement; load: () => Promise<void> } {
  let which: 'open' | 'all' = 'open';
  const msg = h('div', { 'aria-live': 'polite' });
  const body = h('div', { id: 'orders' });
  const sel = h(
    'select',
    { id: 'orders-filter', 'aria-label': t('trading.orders.show') },
    h('option', { value: 'open' }, t('trading.orders.open')),
    h('option', { value: 'all' }, t('trading.orders.all')),
  );
  sel.addEventListener('change', () => {
    which = sel.value as 'open' | 'all';
    void load();
  });
  const cancel = async (o: Order, btn: HTMLButtonElement) => {
    btn.disabled = true;
    try {
      const r = await api.del<{ state: string }>(`/orders/${encodeURIComponent(o.client_order_id)}`);
      msg.replaceChildren(notice('ok', t('trading.cancel.sent', { id: o.client_order_id })));
      btn.remove();
      const st = body.querySelector<HTMLElement>(
        `[data-testid="order-state"][data-id="${CSS.escape(o.client_order_id)}"]`,
      );
      if (st && r?.state) {
        st.dataset.state = r.state;
        st.textContent = label('state', r.state);
      }
    } catch (e) {
      btn.disabled = false;
      msg.replaceChildren(errorNotice(e));
    }
  };
  const load = () =>
    fill(body, async () => {
      const r = await api.get<{ orders: Order[] }>(`/orders${qs({ account: account(), state: which, limit: 100 })}`);
      return dataTable<Order>(
        [
          { key: 'created_at', label: t('trading.col.time'), cell: (o) => kst(o.created_at) },
          { key: 'symbol', label: t('trading.col.symbol') },
          {
            key: 'side',
            label: t('trading.col.side'),
            cell: (o) => label('side', o.side),
            cls: (o) => (o.side === 'buy' ? 'up' : 'down'),
          },
          { key: 'type', label: t('trading.col.type'), cell: (o) => label('type', o.type) },
          { key: 'qty', label: t('trading.col.qty'), num: true, cell: (o) => num(o.qty) },
          { key: 'price', label: t('trading.col.price'), num: true, cell: (o) => num(o.price) },
          {
            key: 'filled_qty',
            label: t('trading.col.filled'),
            num: true,
            cell: (o) => `${num(o.filled_qty)}${o.avg_price ? ` @ ${num(o.avg_price)}` : ''}`,
          },
          {
            key: 'state',
            label: t('trading.col.state'),
            cell: (o) =>
              h(
                'span',
                {
                  'data-testid': 'order-state',
                  'data-id': o.client_order_id,
                  'data-state': o.state,
                  title: o.reason ?? '',
                },
                label('state', o.state),
              ),
          },
          {
            key: 'actions',
            label: t('trading.col.actions'),
            value: () => '',
            cell: (o) => {
              if (!isOpen(o.state) || o.state === 'cancel_requested') return '';
              const b = h(
                'button',
                {
                  type: 'button',
                  class: 'small',
                  'data-cancel': o.client_order_id,
                  'aria-label': t('trading.cancel.label', { id: o.client_order_id }),
                },
                t('trading.cancel'),
              );
              b.addEventListener('click', () => void cancel(o, b));
              return b;
            },
          },
          { key: 'strategy', label: t('trading.col.strategy'), cell: (o) => o.strategy || '–' },
          { key: 'client_order_id', label: t('trading.col.id') },
        ],
        r.orders,
        { csv: 'orders.csv', id: 'orders-table', sortable: true },
      );
    });
  const el = panel(t('trading.orders'), h('div', { class: 'actions' }, sel), msg, body);
  return { el, load };
}
