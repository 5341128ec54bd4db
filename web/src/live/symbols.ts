// live/symbols.ts - the 16 KOSPI symbols of the live grid and their Korean names.

export const DEFAULT_SYMBOLS = [
  '005930',
  '000660',
  '035720',
  '005380',
  '035420',
  '051910',
  '006400',
  '068270',
  '005490',
  '105560',
  '055550',
  '012330',
  '028260',
  '066570',
  '003550',
  '017670',
];

const NAMES: Record<string, string> = {
  '005930': '삼성전자',
  '000660': 'SK하이닉스',
  '035720': '카카오',
  '005380': '현대차',
  '035420': 'NAVER',
  '051910': 'LG화학',
  '006400': '삼성SDI',
  '068270': '셀트리온',
  '005490': 'POSCO홀딩스',
  '105560': 'KB금융',
  '055550': '신한지주',
  '012330': '현대모비스',
  '028260': '삼성물산',
  '066570': 'LG전자',
  '003550': 'LG',
  '017670': 'SK텔레콤',
  '000270': '기아',
};

/** The Korean name of a known symbol, or ''. */
export function symbolName(symbol: string): string {
  return NAMES[symbol] ?? '';
}

/** A symbol code the gateway accepts as a topic (letters, digits, _ . -). */
export function validSymbol(s: string): boolean {
  return /^[A-Za-z0-9_.-]{1,16}$/.test(s);
}

/** A <datalist> of the known symbols for symbol inputs. */
export function symbolOptions(): [string, string][] {
  return DEFAULT_SYMBOLS.map((s) => [s, NAMES[s]]);
}
