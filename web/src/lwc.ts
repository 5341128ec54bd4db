// lwc.ts - lightweight-charts 5 with the app's settings: KST axis and crosshair times,
// the theme's colours (redrawn on a theme change), Korean candle colours (up red, down
// blue) and TradingView's attribution logo kept on (its licence asks for the link).

import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type CandlestickSeriesPartialOptions,
  type ChartOptions,
  type DeepPartial,
  type IChartApi,
  type ISeriesApi,
  type Time,
} from 'lightweight-charts';
import { chartTime } from './format';
import { onThemeChange, themeColors } from './theme';

function themed(): DeepPartial<ChartOptions> {
  const c = themeColors();
  return {
    layout: { background: { type: ColorType.Solid, color: c.bg }, textColor: c.fg, attributionLogo: true },
    grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
    rightPriceScale: { borderColor: c.grid },
    timeScale: { borderColor: c.grid },
  };
}

export interface ThemedChart {
  chart: IChartApi;
  /** Removes the chart and its theme listener. */
  remove: () => void;
}

/** A chart in el (autoSize) with the app's settings; `options` are merged on top. */
export function themedChart(el: HTMLElement, options: DeepPartial<ChartOptions> = {}): ThemedChart {
  const chart = createChart(el, {
    autoSize: true,
    localization: { locale: 'ko-KR', timeFormatter: (t: Time) => chartTime.timeFormatter(t as number) },
    ...themed(),
    ...options,
    timeScale: {
      timeVisible: true,
      secondsVisible: false,
      tickMarkFormatter: (t: Time) => chartTime.tickMarkFormatter(t as number),
      ...themed().timeScale,
      ...(options.timeScale ?? {}),
    },
  });
  const off = onThemeChange(() => {
    chart.applyOptions(themed());
  });
  return {
    chart,
    remove: () => {
      off();
      chart.remove();
    },
  };
}

/** The theme's candle colours, Korean style (up red, down blue): for addSeries and after a theme change. */
export function candleColors(): CandlestickSeriesPartialOptions {
  const c = themeColors();
  return {
    upColor: c.up,
    downColor: c.down,
    borderUpColor: c.up,
    borderDownColor: c.down,
    wickUpColor: c.up,
    wickDownColor: c.down,
  };
}

/** Candles in Korean colours (up red, down blue). */
export function candles(chart: IChartApi): ISeriesApi<'Candlestick'> {
  return chart.addSeries(CandlestickSeries, candleColors());
}

/** Volume bars on their own scale at the bottom fifth of the pane. */
export function volume(chart: IChartApi): ISeriesApi<'Histogram'> {
  const s = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceScaleId: 'vol' });
  chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  return s;
}
