// format.ts - how numbers, money and times read: thousands separators, integer won,
// KST (Asia/Seoul) whatever the browser's zone, and Korean colours (up red, down blue).

const intFmt = new Intl.NumberFormat('ko-KR', { maximumFractionDigits: 0 });
const kstDateTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const kstDate = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const kstTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Seoul',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Integer with thousands separators ("1,234,567"); '–' for null/undefined/NaN. */
export function num(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : intFmt.format(v);
}

/** Won: "1,234,567원" (ko) / "₩1,234,567" is not used: traders read 원. */
export function won(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : `${intFmt.format(v)}원`;
}

/** A number with `digits` decimals and separators. */
export function dec(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  return v.toLocaleString('ko-KR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Percent from a percent value (12.345 → "12.35%"), signed when `signed`. */
export function pct(v: number | null | undefined, digits = 2, signed = false): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const s = dec(v, digits);
  return `${signed && v > 0 ? '+' : ''}${s}%`;
}

function toDate(v: string | number | Date): Date {
  return v instanceof Date ? v : new Date(v);
}

/** "2024-01-03 09:05:00" in KST, from an RFC 3339 string, epoch ms or a Date. */
export function kst(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '–';
  const d = toDate(v);
  return Number.isNaN(d.getTime()) ? String(v) : kstDateTime.format(d);
}

export function kstDay(v: string | number | Date | null | undefined): string {
  if (v === null || v === undefined || v === '') return '–';
  const d = toDate(v);
  return Number.isNaN(d.getTime()) ? String(v) : kstDate.format(d);
}

export function kstClock(v: string | number | Date): string {
  return kstTime.format(toDate(v));
}

/** 'up' (red), 'down' (blue) or '' by sign: a class for coloured figures. */
export function signClass(v: number | null | undefined): string {
  if (!v) return '';
  return v > 0 ? 'up' : 'down';
}

/** Seconds since the epoch for lightweight-charts, from an RFC 3339 string or ms. */
export function epochSeconds(v: string | number): number {
  return Math.floor((typeof v === 'number' ? v : Date.parse(v)) / 1000);
}

/** KST formatters for lightweight-charts (it has no time-zone option). */
export const chartTime = {
  timeFormatter: (t: number) => kst(t * 1000),
  tickMarkFormatter: (t: number) => {
    const s = kst(t * 1000);
    return s.endsWith('00:00:00') ? s.slice(5, 10) : s.slice(11, 16);
  },
};
