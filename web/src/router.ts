// router.ts - hash routes ("#/report/12?tab=trades") to lazily loaded pages.
//
// A page module's default export is `(root, ctx) => cleanup?`: it fills root and returns
// what undoes its subscriptions, timers and charts; the router calls that before the next
// page (and on a language change, which re-renders the page).

import { onLangChange } from './i18n';

export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the page is left: pass it to fetches that may outlive the page. */
  signal: AbortSignal;
}
export type Cleanup = () => void;
export type Page = (root: HTMLElement, ctx: PageContext) => Cleanup | void | Promise<Cleanup | void>;

export interface Route {
  path: string; // "/report/:id"
  load: () => Promise<{ default: Page }>;
  /** Signed-in only (default true). */
  auth?: boolean;
  /** i18n key of the page title. */
  title: string;
}

let routes: Route[] = [];
let root: HTMLElement;
let cleanup: Cleanup | void = undefined;
let controller: AbortController | null = null;
let guard: (r: Route) => string | null = () => null;
let afterRender: (r: Route | null) => void = () => {};
let generation = 0;

function match(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    const want = route.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
      else ok = want[i] === got[i];
    }
    if (ok) return { route, params };
  }
  return null;
}

export function current(): { path: string; query: URLSearchParams } {
  const hash = location.hash.replace(/^#/, '') || '/dashboard';
  const [path, q = ''] = hash.split('?');
  return { path, query: new URLSearchParams(q) };
}

export function navigate(to: string): void {
  if (location.hash === `#${to}`) void render();
  else location.hash = to;
}

async function render(): Promise<void> {
  const gen = ++generation;
  const { path, query } = current();
  const found = match(path);
  if (found) {
    const redirect = guard(found.route);
    if (redirect) {
      navigate(redirect);
      return;
    }
  }
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  controller?.abort();
  controller = new AbortController();
  root.replaceChildren();
  if (!found) {
    const p = document.createElement('p');
    p.className = 'notice error';
    p.textContent = `404: #${path}`;
    root.appendChild(p);
    afterRender(null);
    return;
  }
  afterRender(found.route);
  try {
    const mod = await found.route.load();
    if (gen !== generation) return;
    const result = await mod.default(root, { params: found.params, query, signal: controller.signal });
    if (gen !== generation) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = result;
  } catch (e) {
    if ((e as Error).name === 'AbortError') return;
    console.error(e);
    const p = document.createElement('p');
    p.className = 'notice error';
    p.setAttribute('role', 'alert');
    p.textContent = String((e as Error).message ?? e);
    root.appendChild(p);
  }
}

export function startRouter(
  el: HTMLElement,
  table: Route[],
  opts: { guard: (r: Route) => string | null; afterRender: (r: Route | null) => void },
): void {
  root = el;
  routes = table;
  guard = opts.guard;
  afterRender = opts.afterRender;
  window.addEventListener('hashchange', () => void render());
  onLangChange(() => void render());
  void render();
}

export function rerender(): void {
  void render();
}
