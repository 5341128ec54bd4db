// report/trades.ts - the trades table: sortable, CSV export, KST times.

import { dec, kst, num, pct, signClass, won } from '../format';
import { lang, strings, t } from '../i18n';
import { dataTable, type Column } from '../ui';
import type { Trade } from './types';

strings({
  ko: {
    'report.tr.entry': '진입 시각',
    'report.tr.exit': '청산 시각',
    'report.tr.symbol': '종목',
    'report.tr.side': '방향',
    'report.tr.qty': '수량',
    'report.tr.entry_price': '진입가',
    'report.tr.exit_price': '청산가',
    'report.tr.pnl': '손익(원)',
    'report.tr.ret': '수익률',
    'report.tr.hold': '보유기간',
    'report.tr.fees': '수수료',
    'report.tr.taxes': '세금',
    'report.tr.reason': '청산 사유',
    'report.tr.long': '매수',
    'report.tr.short': '매도',
    'report.tr.open_at_end': '기간 종료 청산',
    'report.tr.caption': '거래 내역',
  },
  en: {
    'report.tr.entry': 'Entry (KST)',
    'report.tr.exit': 'Exit (KST)',
    'report.tr.symbol': 'Symbol',
    'report.tr.side': 'Side',
    'report.tr.qty': 'Qty',
    'report.tr.entry_price': 'Entry price',
    'report.tr.exit_price': 'Exit price',
    'report.tr.pnl': 'P&L (₩)',
    'report.tr.ret': 'Return',
    'report.tr.hold': 'Holding',
    'report.tr.fees': 'Fees',
    'report.tr.taxes': 'Taxes',
    'report.tr.reason': 'Exit reason',
    'report.tr.long': 'Long',
    'report.tr.short': 'Short',
    'report.tr.open_at_end': 'closed at end',
    'report.tr.caption': 'Trades',
  },
});

function holdingDays(tr: Trade): number {
  return (Date.parse(tr.exit_time) - Date.parse(tr.entry_time)) / 86400000;
}

function holdingText(d: number): string {
  if (d >= 1) return lang() === 'en' ? `${dec(d, 1)} d` : `${dec(d, 1)}일`;
  const mins = Math.round(d * 1440);
  if (mins >= 60)
    return lang() === 'en'
      ? `${Math.floor(mins / 60)} h ${mins % 60} m`
      : `${Math.floor(mins / 60)}시간 ${mins % 60}분`;
  return lang() === 'en' ? `${mins} m` : `${mins}분`;
}

function reason(tr: Trade): string {
  return tr.exit_reason ?? tr.reason ?? (tr.open_at_end ? t('report.tr.open_at_end') : '');
}

export function tradesTable(trades: Trade[], runId: string): HTMLElement {
  const cols: Column<Trade>[] = [
    { key: 'entry_time', label: t('report.tr.entry'), cell: (r) => kst(r.entry_time), value: (r) => kst(r.entry_time) },
    { key: 'exit_time', label: t('report.tr.exit'), cell: (r) => kst(r.exit_time), value: (r) => kst(r.exit_time) },
    { key: 'symbol', label: t('report.tr.symbol') },
    {
      key: 'side',
      label: t('report.tr.side'),
      value: (r) => t(r.side === 'short' ? 'report.tr.short' : 'report.tr.long'),
    },
    { key: 'qty', label: t('report.tr.qty'), num: true, cell: (r) => num(r.qty) },
    { key: 'entry_price', label: t('report.tr.entry_price'), num: true, cell: (r) => num(r.entry_price) },
    { key: 'exit_price', label: t('report.tr.exit_price'), num: true, cell: (r) => num(r.exit_price) },
    { key: 'pnl', label: t('report.tr.pnl'), num: true, cell: (r) => won(r.pnl), cls: (r) => signClass(r.pnl) },
    {
      key: 'return_pct',
      label: t('report.tr.ret'),
      num: true,
      cell: (r) => pct(r.return_pct, 2, true),
      value: (r) => Number(r.return_pct.toFixed(4)),
      cls: (r) => signClass(r.return_pct),
    },
    {
      key: 'hold',
      label: t('report.tr.hold'),
      num: true,
      cell: (r) => holdingText(holdingDays(r)),
      value: (r) => Number(holdingDays(r).toFixed(4)),
    },
    { key: 'fees', label: t('report.tr.fees'), num: true, cell: (r) => num(r.fees ?? null) },
    { key: 'taxes', label: t('report.tr.taxes'), num: true, cell: (r) => num(r.taxes ?? null) },
    { key: 'reason', label: t('report.tr.reason'), value: (r) => reason(r) },
  ];
  return dataTable(cols, trades, { csv: `trades-${runId}.csv`, id: 'report-trades', caption: t('report.tr.caption') });
}
