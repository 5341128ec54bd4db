// api_types.ts - the gateway's answers that several pages read (docs/gateway-api.md).
// A page that reads a shape alone declares it next to its code.

/** GET /accounts: one of the caller's broker accounts. */
export interface Account {
  account: string;
  broker: string;
  name: string;
  paper: boolean;
  user_id: number;
  halted: boolean;
  balance: { cash: number; buying_power: number; equity: number; realized_pnl: number; updated_at: string } | null;
}

/** GET /risk/events: one risk event, newest first. */
export interface RiskEvent {
  id: number;
  account: string;
  instance_id: string | null;
  kind: string;
  action: string;
  rule: string;
  symbol: string;
  client_order_id: string | null;
  message: string;
  at: string;
}

/** GET /data/symbols: one stored set of bars. */
export interface StoredSymbol {
  symbol: string;
  timeframe: string;
  market: string;
  first: string;
  last: string;
  rows: number;
}

/** GET /data/historical: one stored bar (t RFC 3339 KST). */
export interface StoredBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}
