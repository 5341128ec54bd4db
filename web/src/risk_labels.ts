// risk_labels.ts - Korean (and English) names of the engine's risk-event kinds and
// actions and of surge-alert kinds, as /risk/events, /surge and the WebSocket spell them
// ("kill_switch", "KILL_SWITCH" or "RISK_KIND_KILL_SWITCH"); the CLI's labels are the same.

import { strings, t } from './i18n';

strings({
  ko: {
    'risk.kind.order_size': '주문금액 초과',
    'risk.kind.position_limit': '보유 한도',
    'risk.kind.daily_loss': '손실중지',
    'risk.kind.order_rate': '주문 속도 제한',
    'risk.kind.price_band': '가격 범위 이탈',
    'risk.kind.market_closed': '장 마감',
    'risk.kind.reconcile_mismatch': '잔고 불일치',
    'risk.kind.broker_disconnected': '증권사 연결 끊김',
    'risk.kind.kill_switch': '긴급정지',
    'risk.kind.daily_profit': '수익중지',
    'risk.kind.drawdown': '최대 낙폭 중지',
    'risk.kind.session': '장 운영 규칙',
    'risk.kind.journal': '주문기록 실패',
    'risk.action.warn': '경고',
    'risk.action.block_order': '주문 차단',
    'risk.action.halt_strategy': '전략 중지',
    'risk.action.halt_trading': '전체 매매 중지',
    'risk.surge.price': '가격 급등락',
    'risk.surge.value': '거래대금 급증',
    'risk.surge.strength': '체결강도 급등',
    'risk.surge.volume': '거래량 급증',
  },
  en: {
    'risk.kind.order_size': 'Order size',
    'risk.kind.position_limit': 'Position limit',
    'risk.kind.daily_loss': 'Daily loss stop',
    'risk.kind.order_rate': 'Order rate',
    'risk.kind.price_band': 'Price band',
    'risk.kind.market_closed': 'Market closed',
    'risk.kind.reconcile_mismatch': 'Reconciliation mismatch',
    'risk.kind.broker_disconnected': 'Broker disconnected',
    'risk.kind.kill_switch': 'Kill switch',
    'risk.kind.daily_profit': 'Daily profit stop',
    'risk.kind.drawdown': 'Drawdown stop',
    'risk.kind.session': 'Session rule',
    'risk.kind.journal': 'Journal failure',
    'risk.action.warn': 'Warning',
    'risk.action.block_order': 'Order blocked',
    'risk.action.halt_strategy': 'Strategy halted',
    'risk.action.halt_trading': 'All trading halted',
    'risk.surge.price': 'Price jump',
    'risk.surge.value': 'Traded value surge',
    'risk.surge.strength': 'Buying strength surge',
    'risk.surge.volume': 'Volume surge',
  },
});

function lookup(prefix: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  const word = String(v)
    .toLowerCase()
    .replace(/^risk_(kind|action)_/, '');
  const key = `${prefix}${word}`;
  const s = t(key);
  return s === key ? String(v) : s;
}

export const riskKindLabel = (kind: unknown): string => lookup('risk.kind.', kind);
export const riskActionLabel = (action: unknown): string => lookup('risk.action.', action);
export const surgeKindLabel = (kind: unknown): string => lookup('risk.surge.', kind);
