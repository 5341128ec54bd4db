// i18n.ts - Korean UI text by default, English on the toggle.
//
// Each module registers its own strings next to its code (`strings({ko: {...}, en: {...}})`
// at module top), so pages never edit a shared dictionary. `t(key, vars)` looks the key up
// in the current language, falls back to Korean, then to the key itself; `{name}` in a
// string is replaced by vars.name. The choice is kept in localStorage ('stom.lang').

export type Lang = 'ko' | 'en';
type Dict = Record<string, string>;

const dicts: Record<Lang, Dict> = { ko: {}, en: {} };
const listeners = new Set<() => void>();
let current: Lang = readStored();

function readStored(): Lang {
  try {
    return localStorage.getItem('stom.lang') === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

export function strings(d: { ko: Dict; en: Dict }): void {
  Object.assign(dicts.ko, d.ko);
  Object.assign(dicts.en, d.en);
}

export function t(key: string, vars?: Record<string, string | number>): string {
  let s = dicts[current][key] ?? dicts.ko[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
  return s;
}

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  if (l === current) return;
  current = l;
  try {
    localStorage.setItem('stom.lang', l);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  document.documentElement.lang = l;
  for (const f of listeners) f();
}

/** Called after the language changes (the router re-renders the page). */
export function onLangChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
