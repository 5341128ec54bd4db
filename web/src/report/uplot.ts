// report/uplot.ts - a uPlot chart that fills its box's width (ResizeObserver), takes the
// theme's colours and is rebuilt with the new ones on a theme change; times in KST.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { kst } from '../format';
import { lang, strings, t } from '../i18n';

strings({ ko: { 'report.time': '시각' }, en: { 'report.time': 'Time' } });
import { onThemeChange, themeColors } from '../theme';

export type Colors = ReturnType<typeof themeColors>;
export type PlotOptions = Omit<uPlot.Options, 'width' | 'height'>;

/** KST dates on time axes, whatever the browser's zone. */
export const kstTz = (ts: number): Date => uPlot.tzDate(new Date(ts * 1000), 'Asia/Seoul');

const KO_NAMES = {
  MMMM: Array.from({ length: 12 }, (_, i) => `${i + 1}월`),
  MMM: Array.from({ length: 12 }, (_, i) => `${i + 1}월`),
  WWWW: ['일요일', '월요일', '화요일', '수요일', '목요일', '금요일', '토요일'],
  WWW: ['일', '월', '화', '수', '목', '금', '토'],
};

/** Short money for axes: "1,020만" (ko) / "10.2M" (en). */
export function compactWon(v: number): string {
  return new Intl.NumberFormat(lang() === 'en' ? 'en-US' : 'ko-KR', {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(v);
}

/** The x series of a time chart: its legend reads the KST time. */
export function timeX(): uPlot.Series {
  return { label: t('report.time'), value: (_u, v) => (v === null || v === undefined ? '–' : kst(v * 1000)) };
}

/** Axis colours from the theme. */
export function axis(c: Colors, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: c.muted,
    grid: { stroke: c.grid, width: 1 },
    ticks: { stroke: c.grid, width: 1 },
    ...extra,
  };
}

/** Bars for a bar series. */
export function bars(): uPlot.Series.PathBuilder {
  return uPlot.paths.bars!({ size: [0.7, 48], align: 0 });
}

/** A colour with alpha from a #rrggbb theme colour. */
export function alpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function plotHeight(box: HTMLElement): number {
  const h = Number(box.dataset.height || 0);
  if (h) return h;
  return window.innerWidth < 760 ? 200 : 260;
}

/**
 * Draws `build(colors)` with `data` into box; returns the cleanup (observer, theme
 * listener, the chart).
 */
export function plot(box: HTMLElement, build: (c: Colors) => PlotOptions, data: uPlot.AlignedData): () => void {
  let u: uPlot | null = null;
  const make = () => {
    u?.destroy();
    const width = Math.max(box.clientWidth, 200);
    const opts: uPlot.Options = { ...build(themeColors()), width, height: plotHeight(box) };
    if (lang() === 'ko') opts.fmtDate = (tpl: string) => uPlot.fmtDate(tpl, KO_NAMES);
    u = new uPlot(opts, data, box);
  };
  make();
  let lastWidth = box.clientWidth;
  const ro = new ResizeObserver(() => {
    const w = box.clientWidth;
    if (!u || w === lastWidth || w < 50) return;
    lastWidth = w;
    u.setSize({ width: w, height: plotHeight(box) });
  });
  ro.observe(box);
  const off = onThemeChange(make);
  return () => {
    ro.disconnect();
    off();
    u?.destroy();
    u = null;
  };
}
