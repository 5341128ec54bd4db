// live/layouts.ts - the grid's symbols and named layouts, kept in localStorage
// ('stom.live.grid' the current 16, 'stom.live.layouts' {name: symbols}, 'stom.live.tf').

import { DEFAULT_SYMBOLS, validSymbol } from './symbols';

const GRID = 'stom.live.grid';
const LAYOUTS = 'stom.live.layouts';
const TF = 'stom.live.tf';

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, v: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(v));
  } catch {
    /* storage refused: this page only */
  }
}

function clean(list: unknown): string[] {
  const out = DEFAULT_SYMBOLS.slice();
  if (Array.isArray(list)) list.slice(0, 16).forEach((s, i) => validSymbol(String(s)) && (out[i] = String(s)));
  return out;
}

export function currentGrid(): string[] {
  return clean(read<unknown>(GRID, null));
}

export function saveGrid(symbols: string[]): void {
  write(GRID, symbols);
}

export function layouts(): Record<string, string[]> {
  const raw = read<Record<string, unknown>>(LAYOUTS, {});
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k] = clean(v);
  return out;
}

export function saveLayout(name: string, symbols: string[]): void {
  write(LAYOUTS, { ...layouts(), [name]: symbols.slice() });
}

export function deleteLayout(name: string): void {
  const all = layouts();
  delete all[name];
  write(LAYOUTS, all);
}

export function savedTf(): number {
  const v = read<number>(TF, 5);
  return v === 60 ? 60 : 5;
}

export function saveTf(tf: number): void {
  write(TF, tf);
}
