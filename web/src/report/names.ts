// report/names.ts - every metric of a run with its STOM name (when STOM has one), its
// standard name in Korean and English, and how its value reads (docs/metrics.md).

import { dec, num, pct, won } from '../format';
import { lang, strings, t } from '../i18n';

strings({
  ko: { 'report.na': '해당 없음', 'report.inf': '∞' },
  en: { 'report.na': 'n/a', 'report.inf': '∞' },
});

export type Fmt = 'won' | 'pct' | 'ratio' | 'int' | 'days' | 'num';

export interface MetricDef {
  key: string;
  /** STOM's short name (TG, TP, …) or '' when STOM has none. */
  stom: string;
  ko: string;
  en: string;
  fmt: Fmt;
  /** Higher is better (for highlighting the best run); false = lower is better. */
  better?: 'high' | 'low';
}

export const METRICS: MetricDef[] = [
  { key: 'net_profit', stom: 'TG', ko: '수익금', en: 'Net profit', fmt: 'won', better: 'high' },
  { key: 'return_pct', stom: '', ko: '총 수익률', en: 'Total return', fmt: 'pct', better: 'high' },
  { key: 'sum_trade_pct', stom: 'TP', ko: '수익률 합계', en: 'Sum of trade returns', fmt: 'pct', better: 'high' },
  { key: 'cagr_pct', stom: '', ko: '연복리 수익률', en: 'CAGR (compound)', fmt: 'pct', better: 'high' },
  { key: 'stom_cagr_pct', stom: 'CAGR', ko: '연간예상수익률', en: 'STOM CAGR (linear)', fmt: 'pct', better: 'high' },
  { key: 'annual_return_pct', stom: '', ko: '연환산 수익률', en: 'Annual return', fmt: 'pct', better: 'high' },
  { key: 'annual_volatility_pct', stom: '', ko: '연환산 변동성', en: 'Annual volatility', fmt: 'pct', better: 'low' },
  { key: 'sharpe', stom: '', ko: '샤프 지수', en: 'Sharpe ratio', fmt: 'ratio', better: 'high' },
  { key: 'sortino', stom: '', ko: '소르티노 지수', en: 'Sortino ratio', fmt: 'ratio', better: 'high' },
  { key: 'calmar', stom: '', ko: '칼마 지수', en: 'Calmar ratio', fmt: 'ratio', better: 'high' },
  { key: 'max_drawdown_pct', stom: 'MDD', ko: '최대낙폭', en: 'Max drawdown', fmt: 'pct', better: 'low' },
  { key: 'max_drawdown_amount', stom: 'MDD', ko: '최대낙폭 금액', en: 'Max drawdown (₩)', fmt: 'won', better: 'low' },
  {
    key: 'max_drawdown_duration_days',
    stom: '',
    ko: '최장 낙폭 기간',
    en: 'Max drawdown duration',
    fmt: 'days',
    better: 'low',
  },
  {
    key: 'avg_drawdown_duration_days',
    stom: '',
    ko: '평균 낙폭 기간',
    en: 'Avg drawdown duration',
    fmt: 'days',
    better: 'low',
  },
  { key: 'trades', stom: 'TC', ko: '거래 횟수', en: 'Trades', fmt: 'int' },
  { key: 'wins', stom: '익절', ko: '이익 거래', en: 'Winning trades', fmt: 'int', better: 'high' },
  { key: 'losses', stom: '손절', ko: '손실 거래', en: 'Losing trades', fmt: 'int', better: 'low' },
  { key: 'win_rate_pct', stom: 'WR', ko: '승률', en: 'Win rate', fmt: 'pct', better: 'high' },
  { key: 'avg_trade_pct', stom: 'AP', ko: '평균 수익률', en: 'Avg trade return', fmt: 'pct', better: 'high' },
  { key: 'best_trade_pct', stom: '', ko: '최고 거래', en: 'Best trade', fmt: 'pct', better: 'high' },
  { key: 'worst_trade_pct', stom: '', ko: '최악 거래', en: 'Worst trade', fmt: 'pct', better: 'high' },
  { key: 'avg_win_pct', stom: '', ko: '평균 이익률', en: 'Avg win', fmt: 'pct', better: 'high' },
  { key: 'avg_loss_pct', stom: '', ko: '평균 손실률', en: 'Avg loss', fmt: 'pct', better: 'high' },
  { key: 'avg_win_amount', stom: '', ko: '평균 이익금', en: 'Avg win (₩)', fmt: 'won', better: 'high' },
  { key: 'avg_loss_amount', stom: '', ko: '평균 손실금', en: 'Avg loss (₩)', fmt: 'won', better: 'high' },
  { key: 'payoff_ratio', stom: '', ko: '손익비', en: 'Payoff ratio', fmt: 'ratio', better: 'high' },
  { key: 'profit_factor', stom: '', ko: '수익 팩터', en: 'Profit factor', fmt: 'ratio', better: 'high' },
  { key: 'expectancy', stom: '', ko: '거래당 기대값', en: 'Expectancy', fmt: 'won', better: 'high' },
  { key: 'sqn', stom: '', ko: 'SQN', en: 'SQN', fmt: 'ratio', better: 'high' },
  { key: 'tpi', stom: 'TPI', ko: '매매성능지수', en: 'Trade performance index', fmt: 'ratio', better: 'high' },
  { key: 'max_consecutive_wins', stom: '', ko: '최대 연속 이익', en: 'Max consecutive wins', fmt: 'int' },
  {
    key: 'max_consecutive_losses',
    stom: '',
    ko: '최대 연속 손실',
    en: 'Max consecutive losses',
    fmt: 'int',
    better: 'low',
  },
  { key: 'avg_holding_days', stom: 'AH', ko: '평균 보유기간', en: 'Avg holding time', fmt: 'days' },
  { key: 'max_holding_days', stom: '', ko: '최대 보유기간', en: 'Max holding time', fmt: 'days' },
  { key: 'exposure_pct', stom: '', ko: '시장 노출 비율', en: 'Exposure', fmt: 'pct' },
  { key: 'max_concurrent_positions', stom: 'MH', ko: '최대 동시 보유', en: 'Max concurrent positions', fmt: 'int' },
  { key: 'trades_per_day', stom: 'ATC', ko: '일평균 거래 횟수', en: 'Trades per day', fmt: 'ratio' },
  { key: 'buy_hold_return_pct', stom: '', ko: '보유 전략 수익률', en: 'Buy & hold return', fmt: 'pct' },
  { key: 'fees', stom: '', ko: '수수료', en: 'Fees', fmt: 'won', better: 'low' },
  { key: 'taxes', stom: '', ko: '세금', en: 'Taxes', fmt: 'won', better: 'low' },
  { key: 'initial_cash', stom: '', ko: '초기 자금', en: 'Initial cash', fmt: 'won' },
  { key: 'final_equity', stom: '', ko: '최종 자산', en: 'Final equity', fmt: 'won', better: 'high' },
  { key: 'peak_equity', stom: '', ko: '최고 자산', en: 'Peak equity', fmt: 'won' },
  { key: 'duration_days', stom: '', ko: '기간', en: 'Duration', fmt: 'days' },
];

export function metricDef(key: string): MetricDef | undefined {
  return METRICS.find((m) => m.key === key);
}

/** The metric's name in the current language. */
export function metricName(m: MetricDef): string {
  return lang() === 'en' ? m.en : m.ko;
}

/** STOM name + standard name, "수익금 TG / Net profit" style (one line). */
export function metricLabel(m: MetricDef): string {
  return m.stom ? `${m.ko} ${m.stom} / ${m.en}` : `${m.ko} / ${m.en}`;
}

export type Metrics = Record<string, unknown>;

/** A metric value as text, with docs/metrics.md's undefined cases (profit factor etc.). */
export function fmtMetric(key: string, v: unknown, all?: Metrics): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v === null || v === undefined ? '–' : String(v);
  const m = metricDef(key);
  if (all && v === 0) {
    const trades = Number(all.trades ?? 0);
    const wins = Number(all.wins ?? 0);
    if (key === 'profit_factor' || key === 'payoff_ratio' || key === 'tpi') {
      if (trades === 0) return t('report.na');
      if (Number(all.losses ?? 0) === 0 || Number(all.avg_loss_pct ?? 0) === 0)
        return wins > 0 ? t('report.inf') : t('report.na');
    }
    if (key === 'sqn' && trades < 2) return t('report.na');
  }
  return fmtValue(m?.fmt ?? 'num', v);
}

export function fmtValue(f: Fmt, v: number): string {
  switch (f) {
    case 'won':
      return won(Math.round(v));
    case 'pct':
      return pct(v, 2);
    case 'ratio':
      return dec(v, 2);
    case 'int':
      return num(v);
    case 'days':
      return lang() === 'en' ? `${dec(v, 1)} d` : `${dec(v, 1)}일`;
    default:
      return dec(v, 4);
  }
}
