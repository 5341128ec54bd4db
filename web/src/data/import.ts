// data/import.ts - the CSV import form: a file, its symbol, timeframe and market, sent as
// text/csv to POST /data/import. The gateway refuses a malformed file whole and names
// the line; that message is shown as it is.

import { request, qs, ApiError } from '../api';
import { field, h, replace } from '../dom';
import { num } from '../format';
import { strings, t } from '../i18n';
import { errorNotice, notice } from '../ui';

strings({
  ko: {
    'data.import': 'CSV 가져오기',
    'data.import.file': 'CSV 파일',
    'data.import.symbol': '종목 코드',
    'data.import.timeframe': '봉 주기',
    'data.import.market': '시장',
    'data.import.submit': '가져오기',
    'data.import.busy': '가져오는 중…',
    'data.import.need_file': 'CSV 파일을 고르세요',
    'data.import.need_symbol': '종목 코드를 입력하세요 (영문, 숫자, . _ / -)',
    'data.import.done': '{symbol} {timeframe}: {rows}행 읽음, {added}개 추가, {existing}개는 이미 있음',
    'data.import.hint_title': '받는 형식',
    'data.import.hint':
      '첫 줄은 머리글입니다. 필수 열: Date(일자/날짜), Open(시가), High(고가), Low(저가), Close(종가), Volume(거래량); 선택: Time(시간). 다른 열은 무시합니다.\n날짜는 YYYY-MM-DD 또는 YYYYMMDD(KST 자정), 분봉은 "2024-01-02 09:00" 또는 별도 Time 열. 시간은 위에서 아래로 증가해야 합니다.\n예: Date,Open,High,Low,Close,Volume\n2024-01-02,78200,79800,78200,79600,17142847\n잘못된 파일은 통째로 거부되고 몇 번째 줄이 틀렸는지 알려 줍니다.',
  },
  en: {
    'data.import': 'Import CSV',
    'data.import.file': 'CSV file',
    'data.import.symbol': 'Symbol',
    'data.import.timeframe': 'Timeframe',
    'data.import.market': 'Market',
    'data.import.submit': 'Import',
    'data.import.busy': 'Importing…',
    'data.import.need_file': 'Choose a CSV file',
    'data.import.need_symbol': 'Enter a symbol (letters, digits, . _ / -)',
    'data.import.done': '{symbol} {timeframe}: {rows} rows read, {added} added, {existing} already stored',
    'data.import.hint_title': 'Accepted layout',
    'data.import.hint':
      'The first line is the header. Required columns: Date (일자/날짜), Open, High, Low, Close, Volume; optional: Time. Other columns are ignored.\nDates as YYYY-MM-DD or YYYYMMDD (KST midnight); intraday as "2024-01-02 09:00" or a separate Time column. Times must increase down the file.\nExample: Date,Open,High,Low,Close,Volume\n2024-01-02,78200,79800,78200,79600,17142847\nA malformed file is refused whole, naming the line at fault.',
  },
});

export const TIMEFRAMES = ['1d', '1m', '1s'];
export const MARKETS = ['KOSPI', 'KOSDAQ', 'KONEX', 'ETF', 'ETN', 'US', 'CRYPTO'];

interface ImportResult {
  symbol: string;
  timeframe: string;
  rows: number;
  added: number;
  existing?: number;
}

/** The form; `onImported` runs after a successful import (to reload the list). */
export function importForm(onImported: (symbol: string, timeframe: string) => void): HTMLElement {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', id: 'data-import-file' });
  const symbol = h('input', {
    type: 'text',
    id: 'data-import-symbol',
    maxlength: 32,
    autocomplete: 'off',
    placeholder: '005930',
    pattern: '[A-Za-z0-9._/\\-]+',
  });
  const timeframe = h(
    'select',
    { id: 'data-import-timeframe' },
    TIMEFRAMES.map((tf) => h('option', { value: tf }, tf)),
  );
  const market = h(
    'select',
    { id: 'data-import-market' },
    MARKETS.map((m) => h('option', { value: m }, m)),
  );
  const submit = h('button', { type: 'submit', class: 'primary', id: 'data-import-submit' }, t('data.import.submit'));
  const result = h('div', { id: 'data-import-result', 'aria-live': 'polite' });

  file.addEventListener('change', () => {
    // A file named like a symbol ("005930.csv", "005930_D.csv") fills the symbol.
    const name = file.files?.[0]?.name ?? '';
    const guess = name.replace(/\.csv$/i, '').replace(/_[A-Za-z]$/, '');
    if (!symbol.value && /^[A-Za-z0-9._-]{1,32}$/.test(guess)) symbol.value = guess.toUpperCase();
  });

  const form = h(
    'form',
    {
      id: 'data-import-form',
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const f = file.files?.[0];
        symbol.removeAttribute('aria-invalid');
        file.removeAttribute('aria-invalid');
        if (!f) {
          file.setAttribute('aria-invalid', 'true');
          replace(result, notice('error', t('data.import.need_file')));
          return;
        }
        const sym = symbol.value.trim();
        if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$/.test(sym)) {
          symbol.setAttribute('aria-invalid', 'true');
          replace(result, notice('error', t('data.import.need_symbol')));
          return;
        }
        submit.disabled = true;
        replace(result, notice('info', t('data.import.busy')));
        try {
          const r = await request<ImportResult>(
            'POST',
            `/data/import${qs({ symbol: sym, timeframe: timeframe.value, market: market.value })}`,
            {
              raw: { data: f, type: 'text/csv' },
            },
          );
          replace(
            result,
            notice(
              'ok',
              t('data.import.done', {
                symbol: r.symbol,
                timeframe: r.timeframe,
                rows: num(r.rows),
                added: num(r.added),
                existing: num(r.existing ?? r.rows - r.added),
              }),
            ),
          );
          onImported(r.symbol, r.timeframe);
        } catch (e) {
          if (e instanceof ApiError && e.fields.symbol) symbol.setAttribute('aria-invalid', 'true');
          if (e instanceof ApiError && e.fields.file) file.setAttribute('aria-invalid', 'true');
          const n = errorNotice(e);
          n.id = 'data-import-error';
          replace(result, n);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field(t('data.import.file'), file),
      field(t('data.import.symbol'), symbol),
      field(t('data.import.timeframe'), timeframe),
      field(t('data.import.market'), market),
    ),
    h('div', { class: 'actions' }, submit),
    result,
    h(
      'details',
      null,
      h('summary', null, t('data.import.hint_title')),
      h('p', { class: 'csv-hint' }, t('data.import.hint')),
    ),
  );
  return form;
}
