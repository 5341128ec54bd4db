// The new-run form (#/runs/new): a backtest of sma_cross on SAMPLE 1d over its stored
// range lands on its report; a small grid optimization lands on its ranking; the
// browser's checks and the gateway's 400 mark the field they name; a long optimization
// shows its live progress and is cancelled.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { env, launch, login, shot, watchConsole } from '../lib.mjs';

async function token(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('stom.session')).access_token);
}

async function apiGet(page, path) {
  const res = await fetch(`${env().url}/api/v1${path}`, { headers: { Authorization: `Bearer ${await token(page)}` } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

/** Opens the form for sma_cross with only SAMPLE (1d) checked. */
async function openForm(page) {
  await page.goto(`${env().url}/#/runs/new?builtin=sma_cross`);
  await page.waitForSelector('#run-param-fast');
  assert.equal(await page.inputValue('#run-strategy'), 'b:sma_cross');
  for (const box of await page.locator('#run-symbols input[type=checkbox]').all()) {
    if ((await box.isChecked()) && (await box.getAttribute('id')) !== 'run-symbol-SAMPLE-1d') await box.uncheck();
  }
  await page.check('#run-symbol-SAMPLE-1d');
  // The period defaults to what is stored.
  assert.equal(await page.inputValue('#run-timeframe'), '1d');
  assert.equal(await page.inputValue('#run-from'), '2023-01-02');
  assert.equal(await page.inputValue('#run-to'), '2024-11-29');
}

/** Notes whether the progress bar was ever on the page (a short run ends within a second). */
async function watchProgress(page) {
  await page.evaluate(() => {
    window.__sawProgress = false;
    const seen = () => {
      if (document.querySelector('#run-progress-bar')) window.__sawProgress = true;
    };
    new MutationObserver(seen).observe(document.body, { childList: true, subtree: true });
  });
}

test('a backtest of sma_cross on SAMPLE: progress, then its report', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    await openForm(page);
    await page.fill('#run-param-fast', '5');
    await page.fill('#run-param-slow', '20');
    await page.fill('#run-cash', '10000000');
    await page.fill('#run-bet', '1000000');
    await shot(page, 'run-form');

    // The browser's checks name the field and mark it.
    await page.fill('#run-to', '2022-12-31');
    await page.click('#run-submit');
    await page.waitForSelector('#run-to[aria-invalid="true"]');
    assert.match(await page.innerText('#run-status'), /종료일|To/);
    await page.fill('#run-to', '2024-11-29');
    await page.fill('#run-param-slow', '0');
    await page.click('#run-submit');
    await page.waitForSelector('#run-param-slow[aria-invalid="true"]');
    assert.match(await page.innerText('#run-status'), /slow/);
    // A run the strategy refuses (fast must be below slow) ends with its error on the page.
    await page.fill('#run-param-fast', '30');
    await page.fill('#run-param-slow', '10');
    await page.click('#run-submit');
    await page.waitForSelector('#run-progress[data-state="failed"]', { timeout: 30000 });
    assert.match(await page.innerText('#run-error'), /fast < slow/);
    assert.match(await page.evaluate(() => location.hash), /^#\/runs\/new/);
    assert.equal(await page.isEnabled('#run-submit'), true);
    await page.fill('#run-param-fast', '5');
    await page.fill('#run-param-slow', '20');

    await watchProgress(page);
    await page.click('#run-submit');
    await page.waitForFunction(() => /^#\/report\/[\w-]+$/.test(location.hash), null, { timeout: 30000 });
    assert.ok(await page.evaluate(() => window.__sawProgress), 'the progress bar was shown');
    const id = (await page.evaluate(() => location.hash)).slice('#/report/'.length);
    const run = await apiGet(page, `/backtests/${id}`);
    assert.equal(run.state, 'done');
    check();
  } finally {
    await browser.close();
  }
});

test('a small grid optimization lands on its ranking; the gateway 400 marks its field', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    await openForm(page);
    await page.check('#run-kind-optimize');
    await page.waitForSelector('#run-optimize:not([hidden])');
    await page.fill('#run-search-fast-start', '3');
    await page.fill('#run-search-fast-end', '6');
    await page.fill('#run-search-fast-step', '1');
    await page.fill('#run-search-slow-start', '20');
    await page.fill('#run-search-slow-end', '22');
    await page.fill('#run-search-slow-step', '1');
    assert.match(await page.innerText('#run-combos'), /\b12\b/);
    await page.selectOption('#run-method', 'grid');
    await page.selectOption('#run-objective', 'sharpe');

    // A constraint the gateway does not know: its 400 names the field.
    await page.fill('#run-constraints', 'dd<=10');
    await page.click('#run-submit');
    await page.waitForSelector('#run-constraints[aria-invalid="true"]', { timeout: 15000 });
    assert.match(await page.innerText('#run-status'), /dd/);
    await page.fill('#run-constraints', 'mdd<=50');

    await watchProgress(page);
    await page.click('#run-submit');
    await page.waitForFunction(() => /^#\/optimization\/[\w-]+$/.test(location.hash), null, { timeout: 30000 });
    assert.ok(await page.evaluate(() => window.__sawProgress), 'the progress bar was shown');
    const id = (await page.evaluate(() => location.hash)).slice('#/optimization/'.length);
    const status = await apiGet(page, `/optimizations/${id}/status`);
    assert.equal(status.state, 'done');
    assert.equal(status.total, 12);
    // The browser logs the refused POST (the deliberate 400 above); nothing else.
    check((e) => /status of 400/.test(e.text) && e.url.endsWith('/api/v1/optimizations'));
  } finally {
    await browser.close();
  }
});

test('a long optimization shows live progress and is cancelled', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    await openForm(page);
    await page.check('#run-kind-optimize');
    await page.fill('#run-search-fast-start', '2');
    await page.fill('#run-search-fast-end', '60');
    await page.fill('#run-search-slow-start', '61');
    await page.fill('#run-search-slow-end', '400');
    assert.match(await page.innerText('#run-combos'), /20,060/);
    await page.click('#run-submit');
    await page.waitForSelector('#run-progress-bar');
    // The status poll and the socket's events fill in the total and the work done.
    await page.waitForFunction(
      () => /\/ 20,060/.test(document.querySelector('#run-progress-done')?.textContent ?? ''),
      null,
      { timeout: 15000 },
    );
    await page.waitForFunction(() => document.querySelector('#run-progress-bar').value > 0, null, { timeout: 15000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'run-progress');
    await page.click('#run-cancel');
    await page.waitForSelector('#run-progress[data-state="cancelled"]', { timeout: 30000 });
    // The form is usable again.
    assert.equal(await page.isEnabled('#run-submit'), true);
    const id = await page.getAttribute('#run-progress', 'data-run-id');
    const status = await apiGet(page, `/optimizations/${id}/status`);
    assert.equal(status.state, 'cancelled');
    check();
  } finally {
    await browser.close();
  }
});
