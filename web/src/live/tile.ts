// live/tile.ts - one tile of the live grid: a header (symbol input, Korean name, last
// price, change vs the first price seen) over a small candlestick + volume chart with
// scrolling, scaling and crosshair labels off. The page's frame loop calls `apply`.

import { CrosshairMode, type ISeriesApi, type Time } from 'lightweight-charts';
import { h } from '../dom';
import { t } from '../i18n';
import { chartTime, num, pct, signClass } from '../format';
import { candles, themedChart, volume, type ThemedChart, candleColors } from '../lwc';
import { applyBars, priceText, WON_FORMAT, type Shown } from './apply';
import type { SymbolFeed } from './bars';
import { symbolName, validSymbol } from './symbols';

export class Tile {
  readonly el: HTMLElement;
  private readonly box: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly nameEl: HTMLElement;
  private readonly lastEl: HTMLElement;
  private readonly chgEl: HTMLElement;
  private tc: ThemedChart;
  private candle: ISeriesApi<'Candlestick'>;
  private vol: ISeriesApi<'Histogram'>;
  private shown: Shown = { time: -1, rev: 0, count: 0 };
  private shownVersion = -1;
  private shownTf = 0;
  updates = 0;
  visible = true;

  constructor(
    readonly index: number,
    public symbol: string,
    onSymbol: (tile: Tile, symbol: string) => void,
    open: (symbol: string) => void,
  ) {
    this.input = h('input', {
      class: 'tile-symbol',
      value: symbol,
      list: 'live-symbols',
      maxlength: 16,
      size: 7,
      'aria-label': t('live.tile.symbol', { n: index + 1 }),
      'data-testid': `live-symbol-${index}`,
      onclick: (e: Event) => e.stopPropagation(),
      onkeydown: (e: KeyboardEvent) => e.stopPropagation(),
      onchange: () => {
        const s = this.input.value.trim().toUpperCase();
        if (validSymbol(s) && s !== this.symbol) onSymbol(this, s);
        else this.input.value = this.symbol;
      },
    });
    this.nameEl = h('span', { class: 'tile-name' });
    this.lastEl = h('span', { class: 'tile-last' }, '–');
    this.chgEl = h('span', { class: 'tile-chg' });
    this.box = h('div', { class: 'tile-chart' });
    this.el = h(
      'article',
      {
        class: 'live-tile',
        tabindex: 0,
        role: 'link',
        onclick: () => open(this.symbol),
        onkeydown: (e: KeyboardEvent) => {
          if (e.key === 'Enter') open(this.symbol);
        },
      },
      h(
        'header',
        { class: 'tile-head' },
        this.input,
        this.nameEl,
        h('span', { class: 'tile-price' }, this.lastEl, this.chgEl),
      ),
      this.box,
    );
    this.tc = themedChart(this.box, {
      handleScroll: false,
      handleScale: false,
      crosshair: { mode: CrosshairMode.Magnet, vertLine: { labelVisible: false }, horzLine: { labelVisible: false } },
      localization: {
        locale: 'ko-KR',
        priceFormatter: priceText,
        timeFormatter: (x: Time) => chartTime.timeFormatter(x as number),
      },
      timeScale: { secondsVisible: true, rightOffset: 2, barSpacing: 5 },
    });
    // applyOptions merges deeply (createChart's options would replace the theme's layout).
    this.tc.chart.applyOptions({
      layout: { fontSize: 10, attributionLogo: false },
      rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.22 } },
    });
    this.candle = candles(this.tc.chart);
    this.vol = volume(this.tc.chart);
    this.candle.applyOptions({ priceLineVisible: false, lastValueVisible: true, priceFormat: WON_FORMAT });
    this.vol.applyOptions({ lastValueVisible: false, priceLineVisible: false });
    this.setSymbol(symbol);
  }

  /** Shows another symbol (its chart starts over with that symbol's bars). */
  setSymbol(symbol: string): void {
    this.symbol = symbol;
    this.input.value = symbol;
    this.nameEl.textContent = symbolName(symbol);
    this.el.dataset.symbol = symbol;
    this.el.dataset.updates = String(this.updates);
    this.el.setAttribute('aria-label', t('live.tile.open', { symbol, name: symbolName(symbol) }));
    this.reset();
  }

  /** Forgets what the chart shows: the next apply sets all bars. */
  reset(): void {
    this.shown = { time: -1, rev: 0, count: 0 };
    this.shownVersion = -1;
    this.candle.setData([]);
    this.vol.setData([]);
    this.lastEl.textContent = '–';
    this.chgEl.textContent = '';
  }

  /** Recolours the candles after a theme change (the chart's own colours follow lwc.ts). */
  recolor(): void {
    this.tc.chart.applyOptions({ layout: { attributionLogo: false } }); /* the full chart keeps the logo */
    this.candle.applyOptions(candleColors());
    this.shown.time = -1; /* volume colours: setData on the next frame */
    this.shownVersion = -1;
  }

  /** One frame: at most one update of the chart; true when something was applied. */
  apply(feed: SymbolFeed | undefined, tf: number, colors: { up: string; down: string }): boolean {
    if (!feed || !this.visible) return false;
    if (tf !== this.shownTf) {
      this.shownTf = tf;
      this.shown.time = -1;
      this.shownVersion = -1;
    }
    if (feed.version === this.shownVersion) return false;
    const r = applyBars(feed.tf[tf], this.shown, this.candle, this.vol, colors);
    if (!r.more) this.shownVersion = feed.version;
    if (r.did === 'none') return false;
    this.updates += 1;
    this.header(feed);
    return true;
  }

  private header(feed: SymbolFeed): void {
    const last = feed.last ?? 0;
    const first = feed.first ?? last;
    const chg = last - first;
    const cls = signClass(chg);
    this.lastEl.textContent = num(last);
    this.lastEl.className = `tile-last ${cls}`;
    this.chgEl.textContent = pct(first ? (chg / first) * 100 : 0, 2, true);
    this.chgEl.title = `${chg > 0 ? '+' : ''}${num(chg)}`;
    this.chgEl.className = `tile-chg ${cls}`;
    this.el.dataset.updates = String(this.updates);
    this.el.dataset.last = String(last);
  }

  remove(): void {
    this.tc.remove();
    this.el.remove();
  }
}
