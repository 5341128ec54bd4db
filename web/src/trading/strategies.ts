// trading/strategies.ts - the account's strategy instances (GET /trading/strategies)
// with pause / resume / stop, re-read at most once a second on WS `strategy` events.

import { api, qs } from '../api';
import { h } from '../dom';
import { num, signClass, won } from '../format';
import { t } from '../i18n';
import { dataTable, errorNotice, notice, panel } from '../ui';
import { label } from './labels';
import { fill } from './util';

interface Instance {
  instance_id: string;
  strategy: string;
  symbols: string[];
  timeframe: string;
  state: string;
  message: string;
  realized_pnl: number;
  open_orders: number;
}

export function strategiesSection(account: () => string): { el: HTMLElement; load: () => Promise<void> } {
  const body = h('div', { id: 'strategies' });
  const msg = h('div', { 'aria-live': 'polite' });
  const act = async (s: Instance, action: 'pause' | 'resume' | 'stop') => {
    try {
      await api.post(
        `/trading/strategies/${encodeURIComponent(s.instance_id)}/${action}`,
        action === 'stop' ? {} : undefined,
      );
      msg.replaceChildren(
        notice('ok', t('trading.strategy.action', { id: s.instance_id, action: t(`trading.strategy.${action}`) })),
      );
      await load();
    } catch (e) {
      msg.replaceChildren(errorNotice(e));
    }
  };
  const load = () =>
    fill(body, async () => {
      const r = await api.get<{ strategies: Instance[] }>(`/trading/strategies${qs({ account: account() })}`);
      return dataTable<Instance>(
        [
          { key: 'instance_id', label: 'ID' },
          { key: 'strategy', label: t('trading.col.strategy'), cell: (s) => `${s.strategy} (${s.timeframe})` },
          {
            key: 'state',
            label: t('trading.col.state'),
            cell: (s) => h('span', { title: s.message || '' }, label('state', s.state)),
          },
          {
            key: 'symbols',
            label: t('trading.strategy.symbols'),
            value: (s) => s.symbols.join(' '),
            cell: (s) => s.symbols.join(', '),
          },
          {
            key: 'realized_pnl',
            label: t('trading.col.realized'),
            num: true,
            cell: (s) => won(s.realized_pnl),
            cls: (s) => signClass(s.realized_pnl),
          },
          { key: 'open_orders', label: t('trading.strategy.open_orders'), num: true, cell: (s) => num(s.open_orders) },
          {
            key: 'actions',
            label: t('trading.col.actions'),
            value: () => '',
            cell: (s) => {
              const st = s.state.toLowerCase();
              if (st === 'stopped' || st === 'failed') return '';
              const b = (a: 'pause' | 'resume' | 'stop') =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: a === 'stop' ? 'danger' : null,
                    'aria-label': t('trading.strategy.action', {
                      id: s.instance_id,
                      action: t(`trading.strategy.${a}`),
                    }),
                    onclick: () => void act(s, a),
                  },
                  t(`trading.strategy.${a}`),
                );
              return h('span', { class: 'actions' }, st === 'paused' ? b('resume') : b('pause'), b('stop'));
            },
          },
        ],
        r.strategies,
        { id: 'strategies-table' },
      );
    });
  return { el: panel(t('trading.strategies'), msg, body), load };
}
