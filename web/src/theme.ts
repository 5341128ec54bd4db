// theme.ts - dark (default) and light themes, kept in localStorage ('stom.theme').
// Colours live in CSS variables (style.css); charts read them through `themeColors()`
// and redraw on `onThemeChange`.

export type Theme = 'dark' | 'light';
const listeners = new Set<() => void>();

export function theme(): Theme {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

export function initTheme(): void {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem('stom.theme');
  } catch {
    /* default */
  }
  document.documentElement.dataset.theme = stored === 'light' ? 'light' : 'dark';
}

export function setTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
  try {
    localStorage.setItem('stom.theme', t);
  } catch {
    /* this page only */
  }
  for (const f of listeners) f();
}

export function onThemeChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The current theme's colours for canvas charts. */
export function themeColors(): {
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  up: string;
  down: string;
  accent: string;
  accent2: string;
} {
  const s = getComputedStyle(document.documentElement);
  const v = (name: string) => s.getPropertyValue(name).trim();
  return {
    bg: v('--bg-panel'),
    fg: v('--fg'),
    muted: v('--fg-muted'),
    grid: v('--grid'),
    up: v('--up'),
    down: v('--down'),
    accent: v('--accent'),
    accent2: v('--accent-2'),
  };
}
