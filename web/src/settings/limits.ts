// settings/limits.ts - the risk limits docs/risk.md documents: key, unit and Korean name.

import { strings, t } from '../i18n';

export type LimitKind = 'won' | 'bp' | 'count' | 'time' | 'bool';
export interface LimitDef {
  key: string;
  kind: LimitKind;
}

export const LIMITS: LimitDef[] = [
  { key: 'capital', kind: 'won' },
  { key: 'capital_per_trade', kind: 'won' },
  { key: 'max_order_value', kind: 'won' },
  { key: 'max_position_value', kind: 'won' },
  { key: 'max_positions', kind: 'count' },
  { key: 'max_orders_per_second', kind: 'count' },
  { key: 'daily_loss_stop_bp', kind: 'bp' },
  { key: 'daily_profit_stop_bp', kind: 'bp' },
  { key: 'max_drawdown_bp', kind: 'bp' },
  { key: 'fat_finger_bp', kind: 'bp' },
  { key: 'end_time', kind: 'time' },
  { key: 'liquidate_at_end', kind: 'bool' },
];

strings({
  ko: {
    'settings.limit.capital': '기준 자본',
    'settings.limit.capital_per_trade': '투자금',
    'settings.limit.max_order_value': '주문당 최대 금액',
    'settings.limit.max_position_value': '종목당 최대 보유금액',
    'settings.limit.max_positions': '최대매수종목수',
    'settings.limit.max_orders_per_second': '초당 최대 주문 수',
    'settings.limit.daily_loss_stop_bp': '손실중지',
    'settings.limit.daily_profit_stop_bp': '수익중지',
    'settings.limit.max_drawdown_bp': '최대 낙폭 중지',
    'settings.limit.fat_finger_bp': '지정가 괴리 한도',
    'settings.limit.end_time': '신규 진입 종료 시각',
    'settings.limit.liquidate_at_end': '종료 시각에 청산',
    'settings.unit.won': '원',
    'settings.unit.bp': 'bp',
    'settings.unit.count': '개',
    'settings.unit.time': 'KST',
    'settings.bool.unset': '설정 안 함',
    'settings.bool.true': '예',
    'settings.bool.false': '아니오',
  },
  en: {
    'settings.limit.capital': 'Capital',
    'settings.limit.capital_per_trade': 'Capital per trade',
    'settings.limit.max_order_value': 'Max order value',
    'settings.limit.max_position_value': 'Max position value',
    'settings.limit.max_positions': 'Max positions',
    'settings.limit.max_orders_per_second': 'Max orders per second',
    'settings.limit.daily_loss_stop_bp': 'Daily loss stop',
    'settings.limit.daily_profit_stop_bp': 'Daily profit stop',
    'settings.limit.max_drawdown_bp': 'Max drawdown stop',
    'settings.limit.fat_finger_bp': 'Fat-finger band',
    'settings.limit.end_time': 'End time for entries',
    'settings.limit.liquidate_at_end': 'Liquidate at end time',
    'settings.unit.won': 'won',
    'settings.unit.bp': 'bp',
    'settings.unit.count': 'count',
    'settings.unit.time': 'KST',
    'settings.bool.unset': 'not set',
    'settings.bool.true': 'yes',
    'settings.bool.false': 'no',
  },
});

/** "손실중지 (daily_loss_stop_bp)". */
export const limitLabel = (key: string): string => `${t(`settings.limit.${key}`)} (${key})`;
export const unitLabel = (kind: LimitKind): string => (kind === 'bool' ? '' : t(`settings.unit.${kind}`));
export const limitDef = (key: string): LimitDef | undefined => LIMITS.find((l) => l.key === key);

export type LimitValue = number | string | boolean;

/** Text of an input → the JSON value; undefined for "not set"; an Error for text that is not one. */
export function parseLimit(def: LimitDef, text: string): LimitValue | undefined | Error {
  const s = text.trim();
  if (s === '') return undefined;
  if (def.kind === 'bool') return s === 'true';
  if (def.kind === 'time') return s;
  const n = Number(s.replace(/,/g, ''));
  if (!Number.isInteger(n)) return new Error(`${def.key}: "${s}"`);
  return n;
}

/** A stored value as input text (money with separators). */
export function formatLimit(def: LimitDef, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (def.kind === 'won' && typeof v === 'number') return v.toLocaleString('ko-KR');
  return String(v);
}
