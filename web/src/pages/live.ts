// pages/live.ts - #/live: a 4×4 grid of live candlestick charts (2 columns on tablets,
// 1 on phones). WebSocket handlers only store trades into bars (live/feeds.ts); one
// requestAnimationFrame loop applies at most one update per tile per frame, only to
// tiles whose symbol changed and that are on screen (IntersectionObserver); nothing is
// drawn while the document is hidden. Tiles' symbols are editable, layouts saved by name.

import '../live/strings';
import { h, field } from '../dom';
import { t } from '../i18n';
import { navigate } from '../router';
import { onThemeChange } from '../theme';
import { notice } from '../ui';
import { colorsNow } from '../live/apply';
import { CAP, Feeds } from '../live/feeds';
import { currentGrid, deleteLayout, layouts, saveGrid, saveLayout, saveTf, savedTf } from '../live/layouts';
import { statusLine } from '../live/status';
import { DEFAULT_SYMBOLS, symbolOptions } from '../live/symbols';
import { Tile } from '../live/tile';

export default function page(root: HTMLElement, ctx: { query: URLSearchParams }): () => void {
  // ?cap=N (50–5000) bars per tile instead of 500: bench/web_grid.mjs --cap shows the heap levelling off.
  const capArg = Number(ctx.query.get('cap'));
  const cap = Number.isInteger(capArg) && capArg >= 50 && capArg <= 5000 ? capArg : CAP;
  let symbols = currentGrid();
  let tf = savedTf();
  let colors = colorsNow();
  const status = statusLine();
  const feeds = new Feeds((ns) => status.seen(ns), cap);
  const msg = h('div', { class: 'live-msg', 'aria-live': 'polite' });
  const grid = h('div', { class: 'live-grid', id: 'live-grid' });

  const tfSel = h(
    'select',
    {
      id: 'live-tf',
      onchange: () => {
        tf = Number(tfSel.value);
        saveTf(tf);
      },
    },
    h('option', { value: 5 }, t('live.tf.5')),
    h('option', { value: 60 }, t('live.tf.60')),
  );
  tfSel.value = String(tf);

  const layoutSel = h('select', { id: 'live-layout' });
  const nameIn = h('input', { id: 'live-layout-name', maxlength: 40, autocomplete: 'off' });
  const fillLayouts = (selected = '') => {
    layoutSel.replaceChildren(
      h('option', { value: '' }, t('live.layout.current')),
      h('option', { value: '__default' }, t('live.layout.default')),
      ...Object.keys(layouts())
        .sort()
        .map((n) => h('option', { value: n }, n)),
    );
    layoutSel.value = selected;
  };
  fillLayouts();

  const setAll = (list: string[]) => {
    symbols = list.slice();
    saveGrid(symbols);
    tiles.forEach((tile, i) => tile.symbol !== symbols[i] && tile.setSymbol(symbols[i]));
    feeds.want(symbols);
  };
  layoutSel.addEventListener('change', () => {
    const v = layoutSel.value;
    if (v === '__default') setAll(DEFAULT_SYMBOLS);
    else if (v) {
      const l = layouts()[v];
      if (l) setAll(l);
      nameIn.value = v;
    }
  });
  const say = (kind: 'ok' | 'warn', text: string) => msg.replaceChildren(notice(kind, text));
  const saveBtn = h(
    'button',
    {
      type: 'button',
      id: 'live-layout-save',
      onclick: () => {
        const name = nameIn.value.trim();
        if (!name) return say('warn', t('live.layout.need_name'));
        saveLayout(name, symbols);
        fillLayouts(name);
        say('ok', t('live.layout.saved', { name }));
      },
    },
    t('live.layout.save'),
  );
  const delBtn = h(
    'button',
    {
      type: 'button',
      id: 'live-layout-delete',
      onclick: () => {
        const name = layoutSel.value;
        if (!name || name === '__default') return;
        deleteLayout(name);
        fillLayouts();
        say('ok', t('live.layout.deleted', { name }));
      },
    },
    t('live.layout.delete'),
  );

  const open = (s: string) => navigate(`/live/${encodeURIComponent(s)}`);
  const onSymbol = (tile: Tile, s: string) => {
    symbols[tile.index] = s;
    saveGrid(symbols);
    tile.setSymbol(s);
    feeds.want(symbols);
  };
  const datalist = h(
    'datalist',
    { id: 'live-symbols' },
    symbolOptions().map(([s, n]) => h('option', { value: s }, n)),
  );

  root.append(
    h(
      'div',
      { class: 'live-top' },
      h('div', null, h('h1', null, t('live.title')), status.el),
      h(
        'div',
        { class: 'row live-controls' },
        field(t('live.tf'), tfSel),
        field(t('live.layout'), layoutSel),
        field(t('live.layout.name'), nameIn),
        h('div', { class: 'actions' }, saveBtn, delBtn),
      ),
    ),
    msg,
    datalist,
    grid,
    h('p', { class: 'hint muted' }, t('live.hint')),
  );

  const tiles = symbols.map((s, i) => new Tile(i, s, onSymbol, open));
  for (const tile of tiles) grid.appendChild(tile.el);
  feeds.want(symbols);

  const byEl = new Map<Element, Tile>(tiles.map((tile) => [tile.el, tile]));
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const tile = byEl.get(e.target);
      if (tile) tile.visible = e.isIntersecting;
    }
  });
  tiles.forEach((tile) => io.observe(tile.el));

  // The frame loop: runs while the document is visible.
  let raf = 0;
  const frame = () => {
    raf = 0;
    if (document.hidden) return;
    for (const tile of tiles) tile.apply(feeds.map.get(tile.symbol), tf, colors);
    raf = requestAnimationFrame(frame);
  };
  const onVisibility = () => {
    if (!document.hidden && !raf) raf = requestAnimationFrame(frame);
  };
  document.addEventListener('visibilitychange', onVisibility);
  raf = requestAnimationFrame(frame);

  const offTheme = onThemeChange(() => {
    colors = colorsNow();
    tiles.forEach((tile) => tile.recolor());
  });

  return () => {
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    document.removeEventListener('visibilitychange', onVisibility);
    offTheme();
    io.disconnect();
    feeds.close();
    status.remove();
    tiles.forEach((tile) => tile.remove());
  };
}
