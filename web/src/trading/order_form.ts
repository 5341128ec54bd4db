// trading/order_form.ts - a manual order ticket: symbol (or a fixed one), 매수/매도,
// 시장가/지정가, quantity and price; posts POST /orders and shows the engine's answer
// (its refusal message on 422). Used by #/trading and the full chart.

import './labels';
import { api } from '../api';
import { field, h } from '../dom';
import { t } from '../i18n';
import { errorNotice, notice } from '../ui';
import { label } from './labels';

export interface PlacedOrder {
  client_order_id: string;
  state: string;
  reason?: string | null;
}

export interface OrderFormOptions {
  /** The account to order with (null: the form says there is none). */
  account: () => string | null;
  /** A fixed symbol (the full chart) instead of an input. */
  symbol?: string;
  /** A price to start the limit price at. */
  lastPrice?: () => number | null;
  onPlaced?: (o: PlacedOrder) => void;
}

export function orderForm(opts: OrderFormOptions): HTMLElement {
  let side: 'buy' | 'sell' = 'buy';
  const result = h('div', { id: 'order-result', 'aria-live': 'polite' });
  const symIn = h('input', {
    id: 'order-symbol',
    value: opts.symbol ?? '005930',
    maxlength: 16,
    autocomplete: 'off',
    required: true,
  });
  if (opts.symbol) symIn.readOnly = true;
  const buyBtn = h(
    'button',
    { type: 'button', id: 'order-side-buy', class: 'buy', 'aria-pressed': 'true' },
    t('side.buy'),
  );
  const sellBtn = h(
    'button',
    { type: 'button', id: 'order-side-sell', class: 'sell', 'aria-pressed': 'false' },
    t('side.sell'),
  );
  const setSide = (s: 'buy' | 'sell') => {
    side = s;
    buyBtn.setAttribute('aria-pressed', String(s === 'buy'));
    sellBtn.setAttribute('aria-pressed', String(s === 'sell'));
  };
  buyBtn.addEventListener('click', () => setSide('buy'));
  sellBtn.addEventListener('click', () => setSide('sell'));
  const typeSel = h(
    'select',
    { id: 'order-type' },
    h('option', { value: 'limit' }, t('type.limit')),
    h('option', { value: 'market' }, t('type.market')),
  );
  const qtyIn = h('input', { id: 'order-qty', type: 'number', min: 1, step: 1, value: 1, inputmode: 'numeric' });
  const priceIn = h('input', { id: 'order-price', type: 'number', min: 1, step: 1, inputmode: 'numeric' });
  const syncType = () => {
    const limit = typeSel.value === 'limit';
    priceIn.disabled = !limit;
    if (limit && !priceIn.value) {
      const p = opts.lastPrice?.();
      if (p) priceIn.value = String(p);
    }
  };
  typeSel.addEventListener('change', syncType);
  const submit = h('button', { type: 'submit', id: 'order-submit', class: 'primary' }, t('trading.order.submit'));

  const form = h(
    'form',
    { class: 'order-ticket', id: 'order-form', novalidate: true },
    field(t('trading.order.symbol'), symIn),
    h(
      'div',
      { class: 'field' },
      h('span', { class: 'label muted', id: 'order-side-label' }, t('trading.order.side')),
      h('div', { class: 'seg', role: 'group', 'aria-labelledby': 'order-side-label' }, buyBtn, sellBtn),
    ),
    field(t('trading.order.type'), typeSel),
    field(t('trading.order.qty'), qtyIn),
    field(t('trading.order.price'), priceIn),
    submit,
    result,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const account = opts.account();
    if (!account) return result.replaceChildren(notice('warn', t('trading.order.no_account')));
    const qty = Number(qtyIn.value);
    if (!Number.isInteger(qty) || qty < 1) return result.replaceChildren(notice('warn', t('trading.order.bad_qty')));
    const type = typeSel.value as 'limit' | 'market';
    const body: Record<string, unknown> = { account, symbol: symIn.value.trim(), side, qty, type };
    if (type === 'limit') {
      const price = Number(priceIn.value);
      if (!Number.isInteger(price) || price < 1)
        return result.replaceChildren(notice('warn', t('trading.order.need_price')));
      body.price = price;
    }
    submit.disabled = true;
    try {
      const o = await api.post<PlacedOrder>('/orders', body);
      result.replaceChildren(
        notice(
          'ok',
          h(
            'span',
            { 'data-testid': 'order-placed', 'data-id': o.client_order_id, 'data-state': o.state },
            t('trading.order.placed', { id: o.client_order_id, state: label('state', o.state) }),
          ),
        ),
      );
      opts.onPlaced?.(o);
    } catch (err) {
      result.replaceChildren(errorNotice(err));
    } finally {
      submit.disabled = false;
    }
  });
  syncType();
  return form;
}
