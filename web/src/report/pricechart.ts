// report/pricechart.ts - the first symbol's price (candles from /data/historical, else
// the run's close series as a line) with the trades as markers: a buy ▲ red below the
// bar, a sell ▼ blue above it (Korean colours).

import {
  createSeriesMarkers,
  LineSeries,
  type ISeriesApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { api, qs } from '../api';
import { chartTime, num } from '../format';
import { candles, themedChart, candleColors } from '../lwc';
import { strings, t } from '../i18n';
import { onThemeChange, themeColors } from '../theme';
import { sec, type Point, type Trade } from './types';
import type { StoredBar } from '../api_types';

strings({
  ko: { 'report.px.buy': '매수', 'report.px.sell': '매도' },
  en: { 'report.px.buy': 'Buy', 'report.px.sell': 'Sell' },
});

function markersFor(trades: Trade[], symbol: string): SeriesMarker<Time>[] {
  const c = themeColors();
  const out: SeriesMarker<Time>[] = [];
  const few = trades.filter((tr) => tr.symbol === symbol).length <= 10;
  const mark = (ts: string, buy: boolean) =>
    out.push({
      time: sec(ts) as UTCTimestamp,
      position: buy ? 'belowBar' : 'aboveBar',
      shape: buy ? 'arrowUp' : 'arrowDown',
      color: buy ? c.up : c.down,
      text: few ? t(buy ? 'report.px.buy' : 'report.px.sell') : undefined,
      size: 1,
    });
  for (const tr of trades) {
    if (tr.symbol !== symbol) continue;
    const long = tr.side !== 'short';
    mark(tr.entry_time, long);
    mark(tr.exit_time, !long);
  }
  return out.sort((a, b) => (a.time as number) - (b.time as number));
}

/** Draws into box; returns the cleanup. Candles load asynchronously; the line shows first. */
export function priceChart(
  box: HTMLElement,
  price: Point[],
  trades: Trade[],
  req: { symbol: string; timeframe: string; from: string; to: string },
  signal: AbortSignal,
): () => void {
  const { chart, remove } = themedChart(box, {
    localization: {
      locale: 'ko-KR',
      priceFormatter: (p: number) => num(Math.round(p)),
      timeFormatter: (x: Time) => chartTime.timeFormatter(x as number),
    },
  });
  const c = themeColors();
  let series: ISeriesApi<'Line'> | ISeriesApi<'Candlestick'> = chart.addSeries(LineSeries, {
    color: c.accent,
    lineWidth: 2,
  });
  series.setData(price.map(([ts, v]) => ({ time: sec(ts) as UTCTimestamp, value: v })));
  let markers = createSeriesMarkers(series, markersFor(trades, req.symbol));
  chart.timeScale().fitContent();
  let alive = true;
  const offTheme = onThemeChange(() => {
    markers.setMarkers(markersFor(trades, req.symbol));
    if (series.seriesType() === 'Line') series.applyOptions({ color: themeColors().accent });
    else series.applyOptions(candleColors());
  });
  void api
    .get<{ bars: StoredBar[]; next_cursor: string | null }>(
      `/data/historical${qs({ symbol: req.symbol, timeframe: req.timeframe, from: req.from, to: req.to, limit: 10000 })}`,
      signal,
    )
    .then((r) => {
      if (!alive || !r.bars?.length || r.next_cursor) return;
      markers.detach();
      chart.removeSeries(series);
      const cs = candles(chart);
      cs.setData(r.bars.map((b) => ({ time: sec(b.t) as UTCTimestamp, open: b.o, high: b.h, low: b.l, close: b.c })));
      series = cs;
      markers = createSeriesMarkers(cs, markersFor(trades, req.symbol));
      chart.timeScale().fitContent();
      box.dataset.kind = 'candles';
    })
    .catch(() => {
      /* the line stays */
    });
  return () => {
    alive = false;
    offTheme();
    remove();
  };
}
