// data/preview.ts - a candlestick preview of one stored data set (the last few thousand
// bars): lightweight-charts with the app's KST axis and theme colours.

import type { CandlestickData, HistogramData, UTCTimestamp } from 'lightweight-charts';
import { api, qs } from '../api';
import { h, replace } from '../dom';
import { epochSeconds, num } from '../format';
import { strings, t } from '../i18n';
import { candles, themedChart, volume, type ThemedChart, candleColors } from '../lwc';
import { onThemeChange, themeColors } from '../theme';
import { errorNotice, loading, notice } from '../ui';
import type { StoredBar, StoredSymbol } from '../api_types';

strings({
  ko: {
    'data.preview': '{symbol} {timeframe} 미리보기',
    'data.preview.count': '저장된 {rows}개 중 {shown}개 봉 (KST)',
    'data.preview.empty': '저장된 봉이 없습니다',
    'data.preview.title': '차트 미리보기',
    'data.preview.hint': '목록에서 데이터를 골라 차트로 보세요.',
    'data.preview.chart': '{symbol} 캔들 차트',
  },
  en: {
    'data.preview': '{symbol} {timeframe} preview',
    'data.preview.count': '{shown} of {rows} stored bars (KST)',
    'data.preview.empty': 'No stored bars',
    'data.preview.title': 'Chart preview',
    'data.preview.hint': 'Pick a data set in the list to chart it.',
    'data.preview.chart': '{symbol} candlestick chart',
  },
});

const MAX_BARS = 5000;
/** Calendar time that holds about MAX_BARS bars of each timeframe (a trading day has 381 1m bars). */
const SPAN_MS: Record<string, number> = { '1d': MAX_BARS * 1.5 * 86400e3, '1m': 20 * 86400e3, '1s': 86400e3 };

function fromFor(set: StoredSymbol): string | undefined {
  if (set.rows <= MAX_BARS) return undefined;
  const span = SPAN_MS[set.timeframe];
  if (!span) return undefined;
  const start = Math.max(Date.parse(set.last) - span, Date.parse(set.first));
  return `${new Date(start).toISOString().slice(0, 19)}+00:00`;
}

function hexAlpha(color: string, alpha: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${alpha}` : color;
}

/** The preview panel's body; returns its cleanup (the chart and its listeners). */
export class Preview {
  readonly el = h('div', { class: 'data-preview', id: 'data-preview' }, notice('info', t('data.preview.hint')));
  private chart: ThemedChart | null = null;
  private offTheme: (() => void) | null = null;
  private seq = 0;

  async show(set: StoredSymbol, signal: AbortSignal): Promise<void> {
    const seq = ++this.seq;
    this.dispose();
    replace(this.el, h('h3', null, t('data.preview', { symbol: set.symbol, timeframe: set.timeframe })), loading());
    let bars: StoredBar[];
    try {
      const page = await api.get<{ bars: StoredBar[] }>(
        `/data/historical${qs({ symbol: set.symbol, timeframe: set.timeframe, from: fromFor(set), limit: MAX_BARS })}`,
        signal,
      );
      bars = page.bars ?? [];
    } catch (e) {
      if (seq === this.seq && !signal.aborted)
        replace(
          this.el,
          h('h3', null, t('data.preview', { symbol: set.symbol, timeframe: set.timeframe })),
          errorNotice(e),
        );
      return;
    }
    if (seq !== this.seq || signal.aborted) return;
    const box = h('div', {
      class: 'data-preview-box',
      id: 'data-preview-chart',
      role: 'img',
      'aria-label': t('data.preview.chart', { symbol: set.symbol }),
    });
    replace(
      this.el,
      h('h3', null, t('data.preview', { symbol: set.symbol, timeframe: set.timeframe })),
      bars.length
        ? h(
            'p',
            { class: 'muted', id: 'data-preview-count' },
            t('data.preview.count', { shown: num(bars.length), rows: num(set.rows) }),
          )
        : notice('info', t('data.preview.empty')),
      bars.length ? box : null,
    );
    if (!bars.length) return;
    const chart = themedChart(box, {
      timeScale: { secondsVisible: set.timeframe === '1s', timeVisible: set.timeframe !== '1d' },
    });
    const price = candles(chart.chart);
    price.applyOptions({ priceFormat: { type: 'price', precision: 0, minMove: 1 } });
    chart.chart.priceScale('right').applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
    const vol = volume(chart.chart);
    const candleData: CandlestickData[] = bars.map((b) => ({
      time: epochSeconds(b.t) as UTCTimestamp,
      open: b.o,
      high: b.h,
      low: b.l,
      close: b.c,
    }));
    const paintVolume = () => {
      const c = themeColors();
      const data: HistogramData[] = bars.map((b) => ({
        time: epochSeconds(b.t) as UTCTimestamp,
        value: b.v,
        color: hexAlpha(b.c >= b.o ? c.up : c.down, '80'),
      }));
      vol.setData(data);
      price.applyOptions(candleColors());
    };
    price.setData(candleData);
    paintVolume();
    chart.chart.timeScale().fitContent();
    this.chart = chart;
    this.offTheme = onThemeChange(paintVolume);
  }

  dispose(): void {
    this.offTheme?.();
    this.offTheme = null;
    this.chart?.remove();
    this.chart = null;
  }
}
