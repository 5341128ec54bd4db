#!/usr/bin/env node
// bench/web_grid.mjs - how the browser UI's live grid (#/live, 16 lightweight-charts
// tiles) holds up in Chromium: frames per second and the share of long frames (> 50 ms)
// while the market feed runs, chart updates applied per second, then the JS heap (after a
// forced GC), DOM nodes and documents sampled over a longer window to catch leaks.
//
//   node bench/web_grid.mjs --url http://127.0.0.1:8080 --user demo --password-file FILE
//        [--seconds 30] [--memory-minutes 10] [--sample-seconds 30]
//        [--width 1280] [--height 800] [--chromium /usr/bin/chromium] [--cap BARS]
//        [--symbols CODE,CODE,...]
//
// The grid shows --symbols (16 codes; default: the sim broker's, scripts/paper-symbols.txt),
// set through the page's saved grid (localStorage) before it opens.
// --cap opens #/live?cap=BARS (bars kept per tile, 500 by default; 5-second bars reach
// 500 after 42 minutes): with a small cap the memory window shows whether the heap
// levels off once the history is full, i.e. whether anything but the bars grows.
//
// Environment: STOM_URL, STOM_USER, STOM_PASSWORD, CHROMIUM. Needs playwright-core from
// web/node_modules (make build installs it) and a Chromium (Debian's by default). The platform
// must be running with the broker publishing the 16 symbols.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

import { paperSymbols } from '../tests/web/lib.mjs';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

function args(argv) {
  const o = {
    url: process.env.STOM_URL ?? 'http://127.0.0.1:8080',
    user: process.env.STOM_USER ?? 'demo',
    password: process.env.STOM_PASSWORD ?? '',
    seconds: 30,
    memoryMinutes: 10,
    sampleSeconds: 30,
    width: 1280,
    height: 800,
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
    cap: 0,
    symbols: paperSymbols(),
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') o.url = v();
    else if (a === '--user') o.user = v();
    else if (a === '--password') o.password = v();
    else if (a === '--password-file') o.password = readFileSync(v(), 'utf8').trim();
    else if (a === '--seconds') o.seconds = Number(v());
    else if (a === '--memory-minutes') o.memoryMinutes = Number(v());
    else if (a === '--sample-seconds') o.sampleSeconds = Number(v());
    else if (a === '--width') o.width = Number(v());
    else if (a === '--height') o.height = Number(v());
    else if (a === '--chromium') o.chromium = v();
    else if (a === '--cap') o.cap = Number(v());
    else if (a === '--symbols')
      o.symbols = v()
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    else if (a === '--help' || a === '-h') {
      console.log(
        readFileSync(new URL(import.meta.url), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('//'))
          .map((l) => l.slice(3))
          .join('\n'),
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  if (o.symbols.length !== 16) throw new Error(`--symbols needs 16 codes, not ${o.symbols.length}`);
  if (!o.password) throw new Error('no password: --password, --password-file or STOM_PASSWORD');
  return o;
}

const MB = 1024 * 1024;
const fmt = (v, d = 1) => v.toFixed(d);

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

async function main() {
  const o = args(process.argv);
  const browser = await chromium.launch({ executablePath: o.chromium, args: ['--no-sandbox'] });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: o.width, height: o.height } });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${o.url}/#/login`);
    await page.fill('#login-username', o.user);
    await page.fill('#login-password', o.password);
    await page.click('#login-submit');
    await page.waitForURL(/#\/dashboard/, { timeout: 30000 });
    await page.evaluate((list) => localStorage.setItem('stom.live.grid', JSON.stringify(list)), o.symbols);
    await page.goto(`${o.url}/#/live${o.cap ? `?cap=${o.cap}` : ''}`);
    await page.waitForSelector('.live-tile canvas', { timeout: 30000 });

    // All 16 tiles on screen? If not, grow the viewport until they are (and say so).
    const bottom = await page.evaluate(() =>
      Math.max(...[...document.querySelectorAll('.live-tile')].map((e) => e.getBoundingClientRect().bottom)),
    );
    let viewport = `${o.width}x${o.height}`;
    if (bottom > o.height) {
      const h = Math.ceil(bottom) + 8;
      await page.setViewportSize({ width: o.width, height: h });
      viewport = `${o.width}x${h} (the 16 tiles do not fit in ${o.width}x${o.height})`;
    }
    const t0 = Date.now();
    await page.waitForFunction(
      () => {
        const tiles = [...document.querySelectorAll('.live-tile')];
        return tiles.length === 16 && tiles.every((e) => Number(e.dataset.updates) >= 2);
      },
      null,
      { timeout: 60000, polling: 250 },
    );
    console.log(`${o.url}/#/live${o.cap ? `?cap=${o.cap}` : ''} as ${o.user}: ${o.symbols.join(' ')}`);
    console.log(`viewport ${viewport}; all 16 tiles updating after ${fmt((Date.now() - t0) / 1000)} s`);

    // Frames: count requestAnimationFrame callbacks over the window.
    const fr = await page.evaluate(async (seconds) => {
      const sum = () =>
        [...document.querySelectorAll('.live-tile')].reduce((a, e) => a + Number(e.dataset.updates || 0), 0);
      const u0 = sum();
      const deltas = [];
      let last = 0;
      const start = performance.now();
      await new Promise((done) => {
        const f = (ts) => {
          if (last) deltas.push(ts - last);
          last = ts;
          if (ts - start < seconds * 1000) requestAnimationFrame(f);
          else done();
        };
        requestAnimationFrame(f);
      });
      const elapsed = (performance.now() - start) / 1000;
      return {
        frames: deltas.length + 1,
        elapsed,
        long: deltas.filter((d) => d > 50).length,
        maxMs: Math.max(...deltas),
        updates: sum() - u0,
      };
    }, o.seconds);
    const fps = fr.frames / fr.elapsed;
    const longPct = (100 * fr.long) / Math.max(1, fr.frames - 1);
    console.log(
      `\nframes over ${fmt(fr.elapsed)} s: ${fr.frames} → ${fmt(fps)} fps; frames > 50 ms: ${fr.long} (${fmt(longPct, 2)}%), longest ${fmt(fr.maxMs)} ms`,
    );
    console.log(`chart updates applied: ${fr.updates} → ${fmt(fr.updates / fr.elapsed)} /s across 16 tiles`);

    // Memory: JS heap after a forced GC, DOM nodes and documents, every sample interval.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const samples = [];
    const total = o.memoryMinutes * 60;
    const n = Math.max(2, Math.floor(total / o.sampleSeconds) + 1);
    console.log(`\nmemory: ${n} samples, every ${o.sampleSeconds} s over ${o.memoryMinutes} min`);
    console.log('  min    heap MB   nodes  documents  listeners  updates');
    const tStart = Date.now();
    for (let i = 0; i < n; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, Math.max(0, tStart + i * o.sampleSeconds * 1000 - Date.now())));
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const updates = await page.evaluate(() =>
        [...document.querySelectorAll('.live-tile')].reduce((a, e) => a + Number(e.dataset.updates || 0), 0),
      );
      const s = {
        min: (Date.now() - tStart) / 60000,
        heap: m.JSHeapUsedSize / MB,
        nodes: m.Nodes,
        docs: m.Documents,
        listeners: m.JSEventListeners,
        updates,
      };
      samples.push(s);
      console.log(
        `  ${fmt(s.min, 2).padStart(5)}  ${fmt(s.heap, 2).padStart(8)}  ${String(s.nodes).padStart(6)}  ${String(s.docs).padStart(9)}  ${String(s.listeners).padStart(9)}  ${String(s.updates).padStart(7)}`,
      );
    }
    const first = samples[0];
    const last = samples[samples.length - 1];
    const growth = last.heap - first.heap;
    const growthPct = (100 * growth) / first.heap;
    const k = slope(
      samples.map((s) => s.min),
      samples.map((s) => s.heap),
    );
    const ok = fps >= 30;
    console.log(
      `\nverdict: ${fmt(fps)} fps (${ok ? '≥ 30: OK' : '< 30: TOO SLOW'}), ${fmt(longPct, 2)}% frames > 50 ms; ` +
        `heap ${fmt(first.heap, 2)} → ${fmt(last.heap, 2)} MB (${growth >= 0 ? '+' : ''}${fmt(growth, 2)} MB, ${growthPct >= 0 ? '+' : ''}${fmt(growthPct, 1)}%), ` +
        `slope ${k >= 0 ? '+' : ''}${fmt(k, 3)} MB/min over ${fmt(last.min, 1)} min; nodes ${first.nodes} → ${last.nodes}; ` +
        `console errors: ${errors.length}`,
    );
    if (errors.length) console.log(errors.slice(0, 5).join('\n'));
    process.exitCode = ok && errors.length === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`web_grid: ${e.message}`);
  process.exit(2);
});
