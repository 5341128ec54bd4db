// report/heat.ts - heatmap cell colours: losses toward the theme's --down (blue), gains
// toward --up (red), by CSS color-mix, so a theme change recolours them with no code.

/** Background for a value v where |v| ≤ max: transparent at 0, full colour at ±max. */
export function heatBg(v: number | null | undefined, max: number): string {
  if (v === null || v === undefined || !Number.isFinite(v) || max <= 0 || v === 0) return '';
  const share = Math.min(1, Math.abs(v) / max);
  const p = Math.round(12 + share * 68);
  return `background: color-mix(in srgb, var(${v > 0 ? '--up' : '--down'}) ${p}%, var(--bg-panel))`;
}

/** A legend strip: "−max … 0 … +max". */
export function heatLegend(low: string, high: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'heat-legend';
  const a = document.createElement('span');
  a.textContent = low;
  const bar = document.createElement('span');
  bar.className = 'heat-legend-bar';
  bar.setAttribute('aria-hidden', 'true');
  const b = document.createElement('span');
  b.textContent = high;
  el.append(a, bar, b);
  return el;
}
