// The live chart grid (#/live) and the full chart (#/live/:symbol): 16 tiles with a
// canvas each, every symbol updating from the sim broker through the gateway's
// market.<symbol> topics, the grid collapsing on a phone, a tile opening its chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { env, launch, login, shot, watchConsole } from '../lib.mjs';

const SYMBOLS = [
  '005930', '000660', '035720', '005380', '035420', '051910', '006400', '068270',
  '005490', '105560', '055550', '012330', '028260', '066570', '003550', '017670',
];

test('the live grid shows 16 updating tiles, collapses on a phone and opens a full chart', async () => {
  const { url } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    await page.goto(`${url}/#/live`);
    await page.waitForSelector('#live-grid .live-tile canvas', { timeout: 15000 });
    const tiles = await page.$$eval('.live-tile', (els) => els.map((e) => ({ symbol: e.dataset.symbol, canvas: e.querySelectorAll('canvas').length })));
    assert.equal(tiles.length, 16);
    assert.deepEqual(tiles.map((x) => x.symbol).sort(), [...SYMBOLS].sort());
    for (const x of tiles) assert.ok(x.canvas > 0, `tile ${x.symbol} has no canvas`);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#live-grid')).gridTemplateColumns.split(' ').length), 4);

    // Every symbol updated at least twice from the broker's trades.
    await page.waitForFunction(
      () => {
        const els = [...document.querySelectorAll('.live-tile')];
        return els.length === 16 && els.every((e) => Number(e.dataset.updates) >= 2 && Number(e.dataset.last) > 0);
      },
      null,
      { timeout: 30000, polling: 250 },
    );
    const last = await page.$$eval('.live-tile', (els) => els.map((e) => e.querySelector('.tile-last').textContent));
    for (const s of last) assert.match(s, /^\d{1,3}(,\d{3})+$|^\d{1,3}$/, `last price "${s}" has thousands separators`);
    await page.waitForSelector('#live-status[data-state="open"]');
    await shot(page, 'live-grid');

    // A phone: fewer columns.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => getComputedStyle(document.querySelector('#live-grid')).gridTemplateColumns.split(' ').length < 4);
    const cols = await page.evaluate(() => getComputedStyle(document.querySelector('#live-grid')).gridTemplateColumns.split(' ').length);
    assert.ok(cols < 4, `phone grid has ${cols} columns`);
    await shot(page, 'live-grid-phone');

    // Off-screen tiles are paused: the last tile (below the fold) gets no updates while hidden.
    const lastTile = '.live-tile[data-symbol="017670"]';
    const before = Number(await page.getAttribute(lastTile, 'data-updates'));
    await page.waitForTimeout(1500);
    assert.equal(Number(await page.getAttribute(lastTile, 'data-updates')), before, 'an off-screen tile was updated');

    // Back to the desktop and open one tile's full chart with Enter.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.focus('.live-tile[data-symbol="005930"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/live/005930');
    await page.waitForSelector('#live-chart canvas');
    await page.waitForFunction(() => Number(document.querySelector('#live-chart').dataset.updates) >= 2, null, { timeout: 30000 });
    assert.match(await page.textContent('h1'), /005930 삼성전자/);
    assert.match(await page.textContent('#chart-last'), /\d/);
    await shot(page, 'live-chart');
    check();
  } finally {
    await browser.close();
  }
});
