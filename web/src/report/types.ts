// report/types.ts - the gateway's answers the report pages read (docs/gateway-api.md).

export interface RunRequest {
  strategy: string | { id: number; version?: number };
  symbols: string[];
  timeframe: string;
  period: { from: string; to: string };
  params?: Record<string, number | string | boolean>;
  search?: Record<string, unknown>;
  method?: string;
  objective?: string;
  split?: { kind: string; train_weeks?: number; valid_weeks?: number; test_weeks?: number };
  initial_cash?: number;
  bet_amount?: number;
  costs?: Record<string, number>;
  constraints?: string[];
}

export interface Trade {
  symbol: string;
  side: string;
  qty: number;
  entry_time: string;
  exit_time: string;
  entry_price: number;
  exit_price: number;
  pnl: number;
  return_pct: number;
  fees?: number;
  taxes?: number;
  open_at_end?: boolean;
  exit_reason?: string;
  reason?: string;
}

export interface MonthlyReturn {
  year: number;
  month: number;
  return_pct: number;
}

/** What GET /backtests/{id} and GET /optimizations/{id} both answer about the run. */
interface RunHead {
  id: string;
  kind: string;
  strategy: string;
  state: string;
  done: number;
  total: number;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  request: RunRequest;
}

export interface BacktestDetail extends RunHead {
  strategy_version: number | null;
  strategy_code: string | null;
  metrics: { standard: Record<string, unknown>; stom: Record<string, unknown> } | null;
  trades: Trade[] | null;
  trades_page?: { total: number; limit: number; offset: number };
  equity: { t: string; equity: number }[] | null;
  drawdown: { t: string; drawdown_pct: number }[] | null;
  monthly_returns: MonthlyReturn[] | null;
}

export type Point = [string, number];

export interface ChartSeries {
  equity?: Point[];
  drawdown?: Point[];
  price?: Point[];
}

export interface RunSummary {
  id: string;
  kind: 'backtest' | 'optimization';
  strategy: string;
  state: string;
  done: number;
  total: number;
  best_objective: number | null;
  created_at: string;
}

export interface OptResult {
  unit: number;
  fold: number;
  params: Record<string, number | string>;
  metrics: Record<string, unknown> | null;
  objective: number | null;
  valid_objective?: number | null;
  test_objective?: number | null;
  constraints_met?: boolean;
  error?: string | null;
}

export interface Span {
  from: string;
  to: string;
}

export interface FoldBest {
  unit: number;
  fold: number;
  train: Span | null;
  valid: Span | null;
  test: Span | null;
  params: Record<string, number | string>;
  objective: number | null;
  test_objective: number | null;
}

export interface WalkWindow {
  window: number;
  train: Span | null;
  test: Span | null;
  params: Record<string, number | string>;
  objective: number | null;
  test_objective: number | null;
  in_sample_return_pct: number | null;
  out_of_sample_return_pct: number | null;
}

export interface OptimizationDetail extends RunHead {
  failed: number;
  best_objective: number | null;
  evaluated: number;
  offset: number;
  limit: number;
  results: OptResult[];
  best_per_fold: FoldBest[] | null;
  walkforward: WalkWindow[] | null;
}

/** Seconds since the epoch of an RFC 3339 time. */
export function sec(t: string): number {
  return Math.floor(Date.parse(t) / 1000);
}

/** "fast=5, slow=20". */
export function paramText(p: Record<string, unknown> | undefined | null): string {
  if (!p) return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The strategy's name: a builtin's name or "#12 v3" for a stored one. */
export function strategyText(s: RunRequest['strategy'] | string | undefined): string {
  if (!s) return '';
  if (typeof s === 'string') return s;
  return `#${s.id}${s.version ? ` v${s.version}` : ''}`;
}
