// pages/chart.ts - #/live/:symbol: one live chart with panes (lightweight-charts 5):
// candles with SMA 5/20 in pane 0, volume in pane 1, 체결강도 in pane 2, built from the
// market.<symbol> trades like the grid (one frame loop, at most one update per series a
// frame), a timeframe select, a back link and a small order ticket for the user's first
// paper account.

import '../live/strings';
import '../trading/labels';
import { HistogramSeries, LineSeries, type Time } from 'lightweight-charts';
import { api } from '../api';
import { canTrade } from '../auth';
import { field, h } from '../dom';
import { chartTime, num, pct, signClass } from '../format';
import { t } from '../i18n';
import { candles, themedChart, candleColors } from '../lwc';
import { onThemeChange, themeColors } from '../theme';
import { errorNotice, panel } from '../ui';
import { applyBars, colorsNow, priceText, WON_FORMAT, type Shown } from '../live/apply';
import { Feeds } from '../live/feeds';
import { savedTf, saveTf } from '../live/layouts';
import { series, smaAt, strengthAt } from '../live/indicators';
import { statusLine } from '../live/status';
import { symbolName } from '../live/symbols';
import { orderForm } from '../trading/order_form';
import type { Account } from '../api_types';

const STRENGTH_WINDOW = 12;

export default function page(root: HTMLElement, ctx: { params: Record<string, string> }): () => void {
  const symbol = ctx.params.symbol;
  let tf = savedTf();
  let showSma = true;
  const status = statusLine();
  const feeds = new Feeds((ns) => status.seen(ns));
  feeds.want([symbol]);
  const feed = feeds.map.get(symbol)!;

  const lastEl = h('span', { class: 'big', id: 'chart-last' }, '–');
  const chgEl = h('span', { id: 'chart-change' });
  const tfSel = h(
    'select',
    { id: 'chart-tf' },
    h('option', { value: 5 }, t('live.tf.5')),
    h('option', { value: 60 }, t('live.tf.60')),
  );
  tfSel.value = String(tf);
  const smaBox = h('input', { type: 'checkbox', id: 'chart-sma', checked: true });
  const box = h('div', { class: 'live-chart-box', id: 'live-chart', 'data-symbol': symbol, 'data-updates': 0 });
  const hint = h('p', { class: 'hint muted' }, t('live.chart.strength_hint', { n: STRENGTH_WINDOW }));

  let account: string | null = null;
  const ticketWrap = h('div');
  const side = panel(t('trading.order.title'), ticketWrap);
  if (canTrade()) {
    api
      .get<{ accounts: Account[] }>('/accounts')
      .then((r) => {
        account = (r.accounts.find((a) => a.paper) ?? null)?.account ?? null;
      })
      .catch((e) => ticketWrap.prepend(errorNotice(e)));
    ticketWrap.appendChild(orderForm({ account: () => account, symbol, lastPrice: () => feed.last }));
  } else side.hidden = true;

  root.append(
    h('p', null, h('a', { href: '#/live', id: 'chart-back' }, t('live.chart.back'))),
    h('div', { class: 'live-chart-head' }, h('h1', null, `${symbol} ${symbolName(symbol)}`), lastEl, chgEl, status.el),
    h(
      'div',
      { class: 'row live-controls' },
      field(t('live.tf'), tfSel),
      h('div', { class: 'field check' }, h('label', { for: 'chart-sma' }, smaBox, ' ', t('live.chart.sma'))),
    ),
    h('div', { class: 'live-chart-layout' }, h('div', { class: 'panel' }, box, hint), side),
  );

  const tc = themedChart(box, {
    localization: {
      locale: 'ko-KR',
      priceFormatter: priceText,
      timeFormatter: (x: Time) => chartTime.timeFormatter(x as number),
    },
    timeScale: { secondsVisible: true, rightOffset: 4 },
  });
  const chart = tc.chart;
  const c = themeColors();
  const candle = candles(chart);
  candle.applyOptions({ priceFormat: WON_FORMAT });
  const sma5 = chart.addSeries(
    LineSeries,
    { color: c.accent, lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: 'SMA5' },
    0,
  );
  const sma20 = chart.addSeries(
    LineSeries,
    { color: c.accent2, lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: 'SMA20' },
    0,
  );
  const vol = chart.addSeries(
    HistogramSeries,
    { priceFormat: { type: 'volume' }, priceLineVisible: false, title: t('live.chart.volume') },
    1,
  );
  const strength = chart.addSeries(
    LineSeries,
    {
      color: c.accent,
      lineWidth: 2,
      priceLineVisible: false,
      title: t('live.chart.strength'),
      priceFormat: { type: 'price', precision: 1, minMove: 0.1 },
    },
    2,
  );
  strength.createPriceLine({
    price: 100,
    color: c.muted,
    lineWidth: 1,
    lineStyle: 2,
    axisLabelVisible: false,
    title: '',
  });
  const paneLook = () =>
    chart.applyOptions({
      layout: { panes: { separatorColor: themeColors().grid, separatorHoverColor: themeColors().muted } },
    });
  paneLook();
  const panes = chart.panes();
  panes[0]?.setStretchFactor(3);
  panes[1]?.setStretchFactor(1);
  panes[2]?.setStretchFactor(1.2);

  let shown: Shown = { time: -1, rev: 0, count: 0 };
  let shownVersion = -1;
  let updates = 0;
  const lines = (full: boolean) => {
    const bars = feed.tf[tf].bars;
    if (!bars.length) return;
    if (full) {
      sma5.setData(showSma ? series(bars, (b, i) => smaAt(b, i, 5)) : []);
      sma20.setData(showSma ? series(bars, (b, i) => smaAt(b, i, 20)) : []);
      strength.setData(series(bars, (b, i) => strengthAt(b, i, STRENGTH_WINDOW)));
    } else {
      const i = bars.length - 1;
      if (showSma) {
        sma5.update(smaAt(bars, i, 5));
        sma20.update(smaAt(bars, i, 20));
      }
      strength.update(strengthAt(bars, i, STRENGTH_WINDOW));
    }
  };
  const header = () => {
    const last = feed.last ?? 0;
    const chg = last - (feed.first ?? last);
    lastEl.textContent = num(last);
    lastEl.className = `big ${signClass(chg)}`;
    chgEl.textContent = `${chg > 0 ? '+' : ''}${num(chg)} (${pct(feed.first ? (chg / feed.first) * 100 : 0, 2, true)})`;
    chgEl.className = signClass(chg);
  };
  let colors = colorsNow();
  let raf = 0;
  const frame = () => {
    raf = 0;
    if (document.hidden) return;
    if (feed.version !== shownVersion) {
      const r = applyBars(feed.tf[tf], shown, candle, vol, colors);
      if (!r.more) shownVersion = feed.version;
      if (r.did !== 'none') {
        // The lines follow the candles: the previous bar's final point, then the new one.
        if (r.did === 'full' || r.more) lines(true);
        else lines(false);
        updates += 1;
        box.dataset.updates = String(updates);
        box.dataset.last = String(feed.last);
        header();
      }
    }
    raf = requestAnimationFrame(frame);
  };
  const restart = () => {
    shown = { time: -1, rev: 0, count: 0 };
    shownVersion = -1;
  };
  tfSel.addEventListener('change', () => {
    tf = Number(tfSel.value);
    saveTf(tf);
    restart();
  });
  smaBox.addEventListener('change', () => {
    showSma = smaBox.checked;
    restart();
  });
  const onVisibility = () => {
    if (!document.hidden && !raf) raf = requestAnimationFrame(frame);
  };
  document.addEventListener('visibilitychange', onVisibility);
  raf = requestAnimationFrame(frame);
  const offTheme = onThemeChange(() => {
    const k = themeColors();
    colors = { up: k.up, down: k.down };
    candle.applyOptions(candleColors());
    sma5.applyOptions({ color: k.accent });
    sma20.applyOptions({ color: k.accent2 });
    strength.applyOptions({ color: k.accent });
    paneLook();
    restart();
  });

  return () => {
    if (raf) cancelAnimationFrame(raf);
    raf = 0;
    document.removeEventListener('visibilitychange', onVisibility);
    offTheme();
    feeds.close();
    status.remove();
    tc.remove();
  };
}
