// dashboard/labels.ts - Korean (and English) names of the engine's risk-event kinds and
// actions and of surge-alert kinds, as the /risk/events and /surge rows spell them.

import { strings, t } from '../i18n';

strings({
  ko: {
    'dashboard.kind.order_size': '주문금액 초과',
    'dashboard.kind.position_limit': '보유 한도',
    'dashboard.kind.daily_loss': '손실중지',
    'dashboard.kind.order_rate': '주문 속도 제한',
    'dashboard.kind.price_band': '가격 범위 이탈',
    'dashboard.kind.market_closed': '장 마감',
    'dashboard.kind.reconcile_mismatch': '잔고 불일치',
    'dashboard.kind.broker_disconnected': '증권사 연결 끊김',
    'dashboard.kind.kill_switch': '매매 중지',
    'dashboard.kind.daily_profit': '수익중지',
    'dashboard.kind.drawdown': '최대 낙폭 중지',
    'dashboard.kind.session': '장 운영 규칙',
    'dashboard.kind.journal': '주문기록 실패',
    'dashboard.action.warn': '경고',
    'dashboard.action.block_order': '주문 차단',
    'dashboard.action.halt_strategy': '전략 중지',
    'dashboard.action.halt_trading': '전체 매매 중지',
    'dashboard.surge.price': '가격 급등락',
    'dashboard.surge.value': '거래대금 급증',
    'dashboard.surge.strength': '체결강도 급등',
    'dashboard.surge.volume': '거래량 급증',
  },
  en: {
    'dashboard.kind.order_size': 'Order size',
    'dashboard.kind.position_limit': 'Position limit',
    'dashboard.kind.daily_loss': 'Daily loss stop',
    'dashboard.kind.order_rate': 'Order rate',
    'dashboard.kind.price_band': 'Price band',
    'dashboard.kind.market_closed': 'Market closed',
    'dashboard.kind.reconcile_mismatch': 'Reconciliation mismatch',
    'dashboard.kind.broker_disconnected': 'Broker disconnected',
    'dashboard.kind.kill_switch': 'Kill switch',
    'dashboard.kind.daily_profit': 'Daily profit stop',
    'dashboard.kind.drawdown': 'Drawdown stop',
    'dashboard.kind.session': 'Session rule',
    'dashboard.kind.journal': 'Journal failure',
    'dashboard.action.warn': 'Warning',
    'dashboard.action.block_order': 'Order blocked',
    'dashboard.action.halt_strategy': 'Strategy halted',
    'dashboard.action.halt_trading': 'All trading halted',
    'dashboard.surge.price': 'Price jump',
    'dashboard.surge.value': 'Traded value surge',
    'dashboard.surge.strength': 'Buying strength surge',
    'dashboard.surge.volume': 'Volume surge',
  },
});

function lookup(prefix: string, v: string): string {
  const key = `${prefix}${v.toLowerCase()}`;
  const s = t(key);
  return s === key ? v : s;
}

export const riskKindLabel = (kind: string): string => lookup('dashboard.kind.', kind);
export const riskActionLabel = (action: string): string => lookup('dashboard.action.', action);
export const surgeKindLabel = (kind: string): string => lookup('dashboard.surge.', kind);
