// pages/trading.ts - #/trading: account selector and card, positions, orders (cancel),
// a manual order form, risk state with the kill switch, running strategies and the surge
// feed. WS events re-read only their own table, at most once a second.

import '../trading/labels';
import { api } from '../api';
import { field, h } from '../dom';
import { kst, signClass, won } from '../format';
import { t } from '../i18n';
import { errorNotice, loading, notice, panel } from '../ui';
import { subscribe } from '../ws';
import { orderForm } from '../trading/order_form';
import { ordersSection } from '../trading/orders';
import { positionsSection } from '../trading/positions';
import { riskSection } from '../trading/risk';
import { strategiesSection } from '../trading/strategies';
import { surgeSection } from '../trading/surge';
import { throttled } from '../trading/util';
import type { Account } from '../api_types';

export default async function page(root: HTMLElement, ctx: { signal: AbortSignal }): Promise<() => void> {
  root.append(h('h1', null, t('trading.title')));
  const wait = loading();
  root.append(wait);
  let accounts: Account[] = [];
  try {
    accounts = (await api.get<{ accounts: Account[] }>('/accounts', ctx.signal)).accounts;
  } catch (e) {
    wait.replaceWith(errorNotice(e));
    return () => {};
  }
  wait.remove();
  if (!accounts.length) {
    root.append(notice('warn', t('trading.no_accounts')));
    return () => {};
  }
  let account = (accounts.find((a) => a.paper) ?? accounts[0]).account;
  const acct = () => account;

  const sel = h(
    'select',
    { id: 'trading-account' },
    accounts.map((a) =>
      h(
        'option',
        { value: a.account },
        `${a.account} · ${a.name || a.broker} (${t(a.paper ? 'trading.paper' : 'trading.real')})`,
      ),
    ),
  );
  sel.value = account;
  const cards = h('div', { class: 'cards', id: 'account-card' });
  const drawCard = () => {
    const a = accounts.find((x) => x.account === account);
    const b = a?.balance;
    const card = (label: string, v: number | null | undefined, id: string, colored = false) =>
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'label' }, label),
        h('div', { class: `value ${colored ? signClass(v) : ''}`, id }, won(v)),
      );
    cards.replaceChildren(
      card(t('trading.cash'), b?.cash, 'acct-cash'),
      card(t('trading.buying_power'), b?.buying_power, 'acct-bp'),
      card(t('trading.equity'), b?.equity, 'acct-equity'),
      card(t('trading.realized'), b?.realized_pnl, 'acct-realized', true),
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'label' }, t('trading.account')),
        h('div', { class: 'muted' }, b ? t('trading.updated', { time: kst(b.updated_at) }) : '–'),
      ),
    );
  };
  const reloadAccounts = async () => {
    try {
      accounts = (await api.get<{ accounts: Account[] }>('/accounts')).accounts;
      drawCard();
    } catch {
      /* the card keeps its last figures; the tables show errors */
    }
  };

  const positions = positionsSection(acct);
  const orders = ordersSection(acct);
  const risk = riskSection(acct);
  const strategies = strategiesSection(acct);
  const surge = surgeSection();
  const form = orderForm({ account: acct, onPlaced: () => void orders.load() });

  root.append(
    h('div', { class: 'row' }, field(t('trading.account'), sel)),
    cards,
    h(
      'div',
      { class: 'trade-grid' },
      h('div', null, positions.el, orders.el, strategies.el),
      h('div', null, panel(t('trading.order.title'), form), risk.el, surge.el),
    ),
  );
  drawCard();

  const all = () => Promise.all([positions.load(), orders.load(), risk.load(), strategies.load()]);
  sel.addEventListener('change', () => {
    account = sel.value;
    drawCard();
    void all();
  });
  await Promise.all([all(), surge.load()]);

  const t1 = throttled(() => void positions.load());
  const t2 = throttled(() => void orders.load());
  const t3 = throttled(() => void risk.load());
  const t4 = throttled(() => void strategies.load());
  const t5 = throttled(() => void reloadAccounts(), 2000);
  const offs = [
    subscribe('positions', () => {
      t1.call();
      t5.call();
    }),
    subscribe('orders', () => {
      t2.call();
      t5.call();
    }),
    subscribe('risk', () => t3.call()),
    subscribe('strategy', () => t4.call()),
    subscribe('surge', (e) => surge.add(e.data)),
  ];
  return () => {
    offs.forEach((f) => f());
    [t1, t2, t3, t4, t5].forEach((x) => x.stop());
  };
}
