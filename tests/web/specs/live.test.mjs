// The live chart grid (#/live) and the full chart (#/live/:symbol): 16 tiles with a
// canvas each, every symbol updating from the sim broker through the gateway's
// market.<symbol> topics, off-screen tiles paused, the grid collapsing on a phone, a
// tile opening its full chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { env, launch, login, paperSymbols, shot, watchConsole } from '../lib.mjs';

// The grid's default 16 are the symbols the sim broker publishes.
const SYMBOLS = paperSymbols();
const columns = () => getComputedStyle(document.querySelector('#live-grid')).gridTemplateColumns.split(' ').length;

test('the live grid has 16 chart tiles, collapses on a phone and opens a full chart', async () => {
  const { url } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    await page.goto(`${url}/#/live`);
    await page.waitForSelector('#live-grid .live-tile canvas', { timeout: 15000 });
    const tiles = await page.$$eval('.live-tile', (els) =>
      els.map((e) => ({
        symbol: e.dataset.symbol,
        canvas: e.querySelectorAll('canvas').length,
        label: e.getAttribute('aria-label'),
      })),
    );
    assert.equal(tiles.length, 16);
    assert.deepEqual(tiles.map((x) => x.symbol).sort(), [...SYMBOLS].sort());
    for (const x of tiles) {
      assert.ok(x.canvas > 0, `tile ${x.symbol} has no canvas`);
      assert.ok(x.label?.includes(x.symbol), `tile ${x.symbol} has no aria-label`);
    }
    assert.equal(await page.evaluate(columns), 4);
    await page.waitForSelector('#live-status[data-state="open"]', { timeout: 15000 });

    // A tile's symbol is editable and a layout is saved by name (localStorage).
    await page.fill('[data-testid="live-symbol-15"]', '005930');
    await page.press('[data-testid="live-symbol-15"]', 'Enter');
    await page.waitForSelector('.live-tile:nth-child(16)[data-symbol="005930"]');
    await page.fill('#live-layout-name', 'spec');
    await page.click('#live-layout-save');
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('stom.live.layouts')).spec[15]), '005930');
    await page.selectOption('#live-layout', '__default');
    await page.waitForSelector('.live-tile:nth-child(16)[data-symbol="017670"]');

    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .waitForFunction(
        () => getComputedStyle(document.querySelector('#live-grid')).gridTemplateColumns.split(' ').length < 4,
        null,
        { timeout: 5000 },
      )
      .catch(() => {});
    const cols = await page.evaluate(columns);
    assert.ok(cols < 4, `the phone grid has ${cols} columns`);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.focus('.live-tile[data-symbol="005930"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/live/005930');
    await page.waitForSelector('#live-chart canvas');
    assert.match(await page.textContent('h1'), /005930 삼성전자/);
    await page.click('#chart-back');
    await page.waitForFunction(() => location.hash === '#/live');
    check();
  } finally {
    await browser.close();
  }
});

test('every tile updates from the broker; off-screen tiles are paused; the full chart updates', async () => {
  const { url } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    await page.goto(`${url}/#/live`);
    await page.waitForSelector('#live-grid .live-tile canvas', { timeout: 15000 });
    assert.deepEqual(await page.$$eval('.live-tile', (els) => els.map((e) => e.dataset.symbol)), SYMBOLS);
    await page.waitForFunction(
      () => {
        const els = [...document.querySelectorAll('.live-tile')];
        return els.length === 16 && els.every((e) => Number(e.dataset.updates) >= 2 && Number(e.dataset.last) > 0);
      },
      null,
      { timeout: 30000, polling: 250 },
    );
    const last = await page.$$eval('.live-tile .tile-last', (els) => els.map((e) => e.textContent));
    for (const s of last) assert.match(s, /^\d{1,3}(,\d{3})*$/, `last price "${s}" with thousands separators`);
    await shot(page, 'live-grid');

    // A phone: one column; the last tile is off-screen and gets no chart updates.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector('#live-grid')).gridTemplateColumns.split(' ').length < 4,
    );
    const lastTile = '.live-tile:nth-child(16)';
    const firstTile = '.live-tile:nth-child(1)';
    await page.waitForTimeout(300); // the IntersectionObserver's callback
    const before = Number(await page.getAttribute(lastTile, 'data-updates'));
    const firstBefore = Number(await page.getAttribute(firstTile, 'data-updates'));
    await page.waitForFunction(
      (n) => Number(document.querySelector('.live-tile:nth-child(1)').dataset.updates) >= n + 3,
      firstBefore,
      { timeout: 10000 },
    );
    assert.equal(Number(await page.getAttribute(lastTile, 'data-updates')), before, 'an off-screen tile was updated');
    await shot(page, 'live-grid-phone');
    await page.evaluate(() => document.querySelector('.live-tile:nth-child(16)').scrollIntoView());
    await page.waitForFunction(
      (n) => Number(document.querySelector('.live-tile:nth-child(16)').dataset.updates) > n,
      before,
      { timeout: 10000 },
    );

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${url}/#/live/005930`);
    await page.waitForFunction(() => Number(document.querySelector('#live-chart')?.dataset.updates) >= 2, null, {
      timeout: 30000,
    });
    assert.match(await page.textContent('#chart-last'), /^\d{1,3}(,\d{3})*$/);
    await shot(page, 'live-chart');
    check();
  } finally {
    await browser.close();
  }
});
