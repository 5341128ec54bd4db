// The trading page (#/trading): a paper limit buy far below the market is accepted and
// listed as open, cancelled from the table (the API agrees), then the kill switch halts
// the account and resume lifts the halt.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiToken, env, launch, login, shot, watchConsole } from '../lib.mjs';

// KRX tick size for a price (the grid the engine's tick_grid rule checks).
function tick(p) {
  if (p < 2000) return 1;
  if (p < 5000) return 5;
  if (p < 20000) return 10;
  if (p < 50000) return 50;
  if (p < 200000) return 100;
  if (p < 500000) return 500;
  return 1000;
}
const PREV_CLOSE = 70000; // 005930's reference price (scripts/paper-symbols.txt)

test('a limit order is placed and cancelled; the kill switch halts and resume lifts it', async () => {
  const { url } = env();
  const tok = await apiToken('alice');
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');

    // The last price from the live chart when the feed runs, else the reference price.
    await page.goto(`${url}/#/live/005930`);
    await page.waitForSelector('#live-chart');
    let last = 0;
    try {
      await page.waitForFunction(() => Number(document.querySelector('#live-chart').dataset.last) > 0, null, {
        timeout: 10000,
      });
      last = Number(await page.getAttribute('#live-chart', 'data-last'));
    } catch {
      last = 0;
    }
    let price = last ? last * 0.9 : PREV_CLOSE * 0.8;
    price = Math.max(price, PREV_CLOSE * 0.72); // inside the ±30% band of the reference
    price = Math.floor(price / tick(price)) * tick(price);

    await page.goto(`${url}/#/trading`);
    await page.waitForSelector('#order-form');
    await page.waitForSelector('#risk-halted');
    await page.fill('#order-symbol', '005930');
    await page.click('#order-side-buy');
    await page.selectOption('#order-type', 'limit');
    await page.fill('#order-qty', '1');
    await page.fill('#order-price', String(price));
    // The symbol's first order: the engine asks the broker for its reference price and waits.
    await page.click('#order-submit');
    const answer = await page.waitForSelector(
      '#order-result [data-testid="order-placed"], #order-result .notice.error',
      { timeout: 15000 },
    );
    const id = await answer.getAttribute('data-id');
    assert.ok(id, `the order was refused: ${await answer.textContent()}`);
    assert.match(id, /^m-/);

    // Listed among the open orders as accepted.
    const state = (s) => `[data-testid="order-state"][data-id="${id}"][data-state="${s}"]`;
    await page.waitForSelector(state('accepted'), { timeout: 15000 });
    await page.click(`[data-cancel="${id}"]`);
    // cancel_requested at once; cancelled when the broker confirms (the table follows WS orders).
    await page.selectOption('#orders-filter', 'all');
    await page.waitForSelector(state('cancelled'), { timeout: 20000 });
    const r = await fetch(`${url}/api/v1/orders?account=paper&state=all&limit=50`, {
      headers: { Authorization: `Bearer ${tok}` },
    });
    const order = (await r.json()).orders.find((o) => o.client_order_id === id);
    assert.equal(order?.state, 'cancelled');
    assert.equal(order.price, price);

    // A market buy fills at once and shows among the positions (the table follows WS positions).
    await page.fill('#order-symbol', '035420');
    await page.selectOption('#order-type', 'market');
    await page.fill('#order-qty', '2');
    await page.evaluate(() => document.querySelector('#order-result').replaceChildren());
    await page.click('#order-submit');
    const bought = await page.waitForSelector(
      '#order-result [data-testid="order-placed"], #order-result .notice.error',
      { timeout: 15000 },
    );
    assert.ok(await bought.getAttribute('data-id'), `the market buy was refused: ${await bought.textContent()}`);
    await page.waitForFunction(
      () => [...document.querySelectorAll('#positions-table tbody tr')].some((tr) => tr.textContent.includes('035420')),
      null,
      { timeout: 15000 },
    );
    const row = await page.$eval(
      '#positions-table tbody',
      (tb) => [...tb.querySelectorAll('tr')].find((tr) => tr.textContent.includes('035420')).textContent,
    );
    assert.match(row, /NAVER/);

    // Kill switch: a dialog asks the reason, then the risk state shows the halt.
    await page.click('#kill-btn');
    await page.waitForSelector('#kill-dialog[open]');
    await page.fill('#kill-reason', 'test');
    await page.click('#kill-confirm');
    await page.waitForSelector('#risk-halted[data-halted="true"]', { timeout: 15000 });
    assert.match(await page.textContent('#risk-reason'), /test/);
    await shot(page, 'trading');
    await page.click('#resume-btn');
    await page.waitForSelector('#risk-halted[data-halted="false"]', { timeout: 15000 });
    check();
  } finally {
    await browser.close();
  }
});
