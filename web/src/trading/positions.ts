// trading/positions.ts - the account's positions (GET /positions), re-read at most once
// a second on WS `positions` events.

import { api, qs } from '../api';
import { h } from '../dom';
import { num, signClass, won } from '../format';
import { t } from '../i18n';
import { dataTable, panel } from '../ui';
import { symbolName } from '../live/symbols';
import { fill } from './util';

export interface Position {
  symbol: string;
  qty: number;
  avg_price: number;
  last_price: number | null;
  market_value: number | null;
  unrealized_pnl: number | null;
  realized_pnl: number;
  fees: number;
  taxes: number;
}

export function positionsSection(account: () => string): { el: HTMLElement; load: () => Promise<void> } {
  const body = h('div', { id: 'positions' });
  const el = panel(t('trading.positions'), body);
  const load = () =>
    fill(body, async () => {
      const r = await api.get<{ positions: Position[] }>(`/positions${qs({ account: account() })}`);
      return dataTable<Position>(
        [
          { key: 'symbol', label: t('trading.col.symbol'), cell: (p) => `${p.symbol} ${symbolName(p.symbol)}` },
          { key: 'qty', label: t('trading.col.qty'), num: true, cell: (p) => num(p.qty) },
          { key: 'avg_price', label: t('trading.col.avg'), num: true, cell: (p) => num(p.avg_price) },
          { key: 'last_price', label: t('trading.col.last'), num: true, cell: (p) => num(p.last_price) },
          { key: 'market_value', label: t('trading.col.value'), num: true, cell: (p) => won(p.market_value) },
          {
            key: 'unrealized_pnl',
            label: t('trading.col.unrealized'),
            num: true,
            cell: (p) => won(p.unrealized_pnl),
            cls: (p) => signClass(p.unrealized_pnl),
          },
          {
            key: 'realized_pnl',
            label: t('trading.col.realized'),
            num: true,
            cell: (p) => won(p.realized_pnl),
            cls: (p) => signClass(p.realized_pnl),
          },
          { key: 'fees', label: t('trading.col.fees'), num: true, cell: (p) => won(p.fees) },
          { key: 'taxes', label: t('trading.col.taxes'), num: true, cell: (p) => won(p.taxes) },
        ],
        r.positions,
        { csv: 'positions.csv', id: 'positions-table' },
      );
    });
  return { el, load };
}
