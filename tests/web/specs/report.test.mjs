// The runs list, the backtest report, optimization results and compare runs, as alice:
// runs created through the API (a backtest of sma_cross on SAMPLE 1d, a second one with
// other parameters, a small grid optimization), then each page read in Chromium. And bob
// cannot see alice's runs, neither in the UI nor through the API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { SAMPLE_BACKTEST, apiAs, apiToken, env, launch, login, shot, watchConsole } from '../lib.mjs';

async function finished(tok, kind, id) {
  const until = Date.now() + 60000;
  while (Date.now() < until) {
    const s = await apiAs(tok, 'GET', `/${kind}/${id}/status`);
    assert.equal(s.status, 200);
    if (['done', 'failed', 'cancelled'].includes(s.body.state)) {
      assert.equal(s.body.state, 'done', `${kind} ${id} finished: ${JSON.stringify(s.body)}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${kind} ${id} did not finish in 60 s`);
}

const runs = {};
let browser;

before(async () => {
  const tok = await apiToken('alice');
  const a = await apiAs(tok, 'POST', '/backtests', SAMPLE_BACKTEST);
  assert.equal(a.status, 202, JSON.stringify(a.body));
  const b = await apiAs(tok, 'POST', '/backtests', { ...SAMPLE_BACKTEST, params: { fast: 3, slow: 15 } });
  assert.equal(b.status, 202, JSON.stringify(b.body));
  const o = await apiAs(tok, 'POST', '/optimizations', {
    ...SAMPLE_BACKTEST,
    search: { fast: { start: 3, end: 6, step: 1 }, slow: { start: 15, end: 25, step: 5 } },
    method: 'grid',
    objective: 'sharpe',
  });
  assert.equal(o.status, 202, JSON.stringify(o.body));
  const w = await apiAs(tok, 'POST', '/optimizations', {
    ...SAMPLE_BACKTEST,
    search: { fast: { start: 3, end: 6, step: 1 }, slow: { start: 15, end: 25, step: 5 } },
    method: 'grid',
    objective: 'sharpe',
    split: { kind: 'walkforward', train_weeks: 26, valid_weeks: 4, test_weeks: 8 },
  });
  assert.equal(w.status, 202, JSON.stringify(w.body));
  runs.wf = w.body.id;
  runs.bt = a.body.id;
  runs.bt2 = b.body.id;
  runs.opt = o.body.id;
  await finished(tok, 'backtests', runs.bt);
  await finished(tok, 'backtests', runs.bt2);
  await finished(tok, 'optimizations', runs.opt);
  await finished(tok, 'optimizations', runs.wf);
  runs.detail = (await apiAs(tok, 'GET', `/backtests/${runs.bt}`)).body;
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

// alice signs in once in the browser; later contexts start from a copy of that
// session (the app keeps it in sessionStorage; the gateway limits sign-ins a minute).
let aliceSession = null;
async function alicePage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...opts });
  if (aliceSession) {
    await context.addInitScript((entries) => {
      for (const [k, v] of entries) if (sessionStorage.getItem(k) === null) sessionStorage.setItem(k, v);
    }, aliceSession);
  }
  const page = await context.newPage();
  const check = watchConsole(page);
  if (aliceSession) await page.goto(`${env().url}/#/dashboard`);
  else {
    await login(page, 'alice');
    aliceSession = await page.evaluate(() => Object.entries(sessionStorage));
  }
  return { context, page, check };
}

/** Waits until every chart box on the page holds a canvas (uPlot or lightweight-charts). */
async function chartsDrawn(page) {
  await page.waitForFunction(
    () => {
      const boxes = [...document.querySelectorAll('[data-testid="chart-box"]')];
      return boxes.length > 0 && boxes.every((b) => b.querySelector('canvas'));
    },
    null,
    { timeout: 30000 },
  );
}

test('the runs list shows alice her backtests and her optimization', async () => {
  const { context, page, check } = await alicePage();
  try {
    await page.goto(`${env().url}/#/runs`);
    await page.waitForSelector('#runs-table tbody tr', { timeout: 30000 });
    const text = await page.textContent('#runs-table');
    for (const id of [runs.bt, runs.bt2, runs.opt]) assert.ok(text.includes(id), `run ${id} is listed`);
    assert.match(text, /최적화/, 'the optimization is labelled as one');
    assert.match(text, /완료/, 'states read in Korean');
    // Picking two backtests enables "compare" and opens it with both ids.
    assert.equal(await page.isDisabled('#runs-compare'), true);
    await page.check(`input.run-pick[data-id="${runs.bt}"]`);
    await page.check(`input.run-pick[data-id="${runs.bt2}"]`);
    assert.equal(await page.isDisabled('#runs-compare'), false);
    await shot(page, 'runs');
    await page.click('#runs-compare');
    await page.waitForFunction(() => location.hash.startsWith('#/compare?ids='), null, { timeout: 10000 });
    const ids = new URLSearchParams(await page.evaluate(() => location.hash.split('?')[1])).get('ids').split(',');
    assert.deepEqual(ids.sort(), [runs.bt, runs.bt2].sort());
    // A row opens its page: the optimization's row opens the optimization results.
    await page.goto(`${env().url}/#/runs`);
    await page.waitForSelector('#runs-table tbody tr', { timeout: 30000 });
    await page.click(`#runs-table tbody tr:has-text("${runs.opt}") >> text=${runs.opt}`);
    await page.waitForFunction((id) => location.hash === `#/optimization/${id}`, runs.opt, { timeout: 10000 });
    check();
  } finally {
    await context.close();
  }
});

test('the report shows metrics with STOM and standard names, every chart, and a sortable trades table with CSV', async () => {
  const { context, page, check } = await alicePage();
  try {
    const detail = runs.detail;
    const nTrades = detail.trades_page?.total ?? detail.trades.length;
    assert.ok(nTrades > 0, 'the sample backtest trades');
    await page.goto(`${env().url}/#/report/${runs.bt}`);
    await page.waitForSelector('#report-metrics', { timeout: 30000 });

    // Metrics table: the STOM name and the standard name in one row, with a value.
    const row = (key) => page.locator(`#report-metrics tr[data-key="${key}"]`);
    assert.match(await row('net_profit').locator('.stom-name').textContent(), /TG.*수익금|수익금.*TG/);
    assert.equal((await row('net_profit').locator('.std-name').textContent()).trim(), 'Net profit');
    assert.match(await row('max_drawdown_pct').textContent(), /MDD/);
    assert.match(await row('max_drawdown_pct').textContent(), /Max drawdown/);
    assert.match(await row('win_rate_pct').textContent(), /WR.*Win rate/);
    const values = await page.$$eval('#report-metrics tbody tr td:last-child', (tds) =>
      tds.map((td) => td.textContent.trim()),
    );
    assert.ok(values.length >= 30, `a full metrics table (${values.length} rows)`);
    for (const v of values) assert.ok(v !== '' && v !== '–', `every metric has a value (got "${v}")`);
    const net = Number(detail.metrics.standard.net_profit);
    assert.equal(
      (await row('net_profit').locator('td.num').textContent()).trim(),
      `${net.toLocaleString('ko-KR')}원`,
      'net profit in won with separators',
    );

    // Every chart drawn, the price chart among them, and a heatmap cell per month.
    await chartsDrawn(page);
    for (const id of [
      'report-equity',
      'report-drawdown',
      'report-tradepnl',
      'report-price',
      'report-hour',
      'report-weekday',
    ])
      assert.ok(await page.$(`#${id} canvas`), `chart #${id} has a canvas`);
    const months = detail.monthly_returns.length;
    assert.equal(
      await page.locator('#report-monthly td.heat-cell').count(),
      months,
      'one heatmap cell per month with a return',
    );

    // Trades table: clicking the P&L header sorts by P&L (descending, then ascending).
    const table = page.locator('#report-trades');
    assert.equal(await table.locator('tbody tr').count(), nTrades);
    const heads = await table.locator('thead th').allTextContents();
    const col = heads.findIndex((h) => h.includes('손익'));
    assert.ok(col >= 0, `a P&L column among ${heads.join(', ')}`);
    const pnl = async () =>
      (await table.locator(`tbody tr td:nth-child(${col + 1})`).allTextContents()).map((s) =>
        Number(s.replace(/[^0-9-]/g, '')),
      );
    await table.locator('thead th').nth(col).locator('button').click();
    const desc = await pnl();
    assert.deepEqual(
      desc,
      [...desc].sort((a, b) => b - a),
      'sorted by P&L, largest first',
    );
    assert.deepEqual(
      [...desc].sort((a, b) => a - b),
      detail.trades.map((t) => t.pnl).sort((a, b) => a - b),
      'the trades of the run',
    );
    await table.locator('thead th').nth(col).locator('button').click();
    const asc = await pnl();
    assert.deepEqual(asc, [...desc].reverse(), 'a second click sorts smallest first');

    // CSV export: the header line, then one line per trade.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10000 }),
      page.locator('.panel:has(#report-trades) .table-tools button').click(),
    ]);
    assert.equal(download.suggestedFilename(), `trades-${runs.bt}.csv`);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], heads.map((h) => (/[",]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(','));
    assert.equal(lines.length - 1, nTrades, 'one CSV row per trade');

    await shot(page, 'report');
    check();
  } finally {
    await context.close();
  }
});

test('the report reads in the light theme, in English and on a phone', async () => {
  const { context, page, check } = await alicePage();
  try {
    await page.evaluate(() => localStorage.setItem('stom.theme', 'light'));
    await page.goto(`${env().url}/#/report/${runs.bt}`);
    await page.reload();
    await page.waitForSelector('#report-metrics', { timeout: 30000 });
    await chartsDrawn(page);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await shot(page, 'report-light');

    await page.evaluate(() => {
      localStorage.setItem('stom.theme', 'dark');
      localStorage.setItem('stom.lang', 'en');
    });
    await page.reload();
    await page.waitForSelector('#report-metrics', { timeout: 30000 });
    await chartsDrawn(page);
    assert.match(await page.textContent('h1'), /Backtest report/);
    assert.match(await page.textContent('#report-trades thead'), /P&L/);
    await shot(page, 'report-en');
    await page.evaluate(() => localStorage.setItem('stom.lang', 'ko'));
    check();
  } finally {
    await context.close();
  }
  const phone = await alicePage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await phone.page.goto(`${env().url}/#/report/${runs.bt}`);
    await phone.page.waitForSelector('#report-metrics', { timeout: 30000 });
    await chartsDrawn(phone.page);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - 390);
    assert.ok(overflow <= 1, `the page fits the phone's width (overflows by ${overflow}px)`);
    await shot(phone.page, 'report-phone');
    phone.check();
  } finally {
    await phone.context.close();
  }
});

test('the optimization page ranks the parameter sets and draws the heatmap', async () => {
  const tok = await apiToken('alice');
  const opt = (await apiAs(tok, 'GET', `/optimizations/${runs.opt}?limit=500`)).body;
  const { context, page, check } = await alicePage();
  try {
    await page.goto(`${env().url}/#/optimization/${runs.opt}`);
    await page.waitForSelector('#opt-ranked tbody tr', { timeout: 30000 });
    assert.equal(await page.locator('#opt-ranked tbody tr').count(), opt.results.length, 'one row per evaluated set');
    // Ranked: objective never increases down the table, rank 1 is the best objective.
    const objectives = await page.$$eval('#opt-ranked tbody tr', (trs) =>
      trs.map((tr) => Number(tr.querySelector('strong')?.textContent.replace(/,/g, '') ?? NaN)),
    );
    for (let i = 1; i < objectives.length; i++) assert.ok(objectives[i] <= objectives[i - 1], 'ranked by objective');
    const best = Math.max(...opt.results.map((r) => r.objective ?? -Infinity));
    assert.ok(Math.abs(objectives[0] - best) < 1e-3, `rank 1 has the best objective ${best}`);
    // Heatmap: fast × slow cells, one per pair (4 × 3), the best one marked.
    assert.equal(await page.locator('#opt-heatmap td.heat-cell').count(), 12);
    assert.equal((await page.locator('#opt-heatmap td.best').count()) >= 1, true);
    const label = await page.locator('#opt-heatmap td.heat-cell').first().getAttribute('aria-label');
    assert.match(label, /fast=\d+, slow=\d+/);
    // Swapping the axes redraws it.
    await page.selectOption('#opt-heat-x', 'slow');
    await page.selectOption('#opt-heat-y', 'fast');
    assert.match(await page.textContent('#opt-heatmap thead'), /fast ↓ \/ slow →/);
    assert.match(await page.getAttribute('#opt-open-best', 'href'), /^#\/runs\/new\?/);
    await shot(page, 'optimization');
    check();
  } finally {
    await context.close();
  }
});

test('a walk-forward optimization shows in-sample against out-of-sample per window', async () => {
  const wf = (await apiAs(await apiToken('alice'), 'GET', `/optimizations/${runs.wf}`)).body.walkforward;
  assert.ok(wf.length >= 2, `walk-forward windows: ${wf.length}`);
  const { context, page, check } = await alicePage();
  try {
    await page.goto(`${env().url}/#/optimization/${runs.wf}`);
    await page.waitForSelector('#opt-wf-chart canvas', { timeout: 30000 });
    assert.equal(await page.locator('#opt-walkforward tbody tr').count(), wf.length, 'one row per window');
    await shot(page, 'optimization-walkforward');
    check();
  } finally {
    await context.close();
  }
});

test('compare overlays two equity curves and puts the metrics side by side', async () => {
  const { context, page, check } = await alicePage();
  try {
    await page.goto(`${env().url}/#/compare?ids=${runs.bt},${runs.bt2}`);
    await page.waitForSelector('#compare-equity canvas', { timeout: 30000 });
    // uPlot's legend: the x series plus one per run.
    const series = await page.locator('#compare-equity .u-legend .u-series').count();
    assert.equal(series - 1, 2, 'two equity series');
    const heads = await page.locator('#compare-metrics thead th').count();
    assert.equal(heads, 3, 'a metric column and one per run');
    const row = page.locator('#compare-metrics tr[data-key="net_profit"]');
    assert.match(await row.textContent(), /TG/);
    assert.equal(await row.locator('td').count(), 2);
    assert.ok((await page.locator('#compare-metrics td.best-cell').count()) > 0, 'best values are marked');
    await shot(page, 'compare');
    check();
  } finally {
    await context.close();
  }
});

test('deleting a run from the list asks first, then it is gone', async () => {
  const tok = await apiToken('alice');
  const r = await apiAs(tok, 'POST', '/backtests', { ...SAMPLE_BACKTEST, params: { fast: 7, slow: 21 } });
  assert.equal(r.status, 202);
  await finished(tok, 'backtests', r.body.id);
  const { context, page, check } = await alicePage();
  try {
    await page.goto(`${env().url}/#/runs`);
    await page.waitForSelector(`#runs-table tbody tr:has-text("${r.body.id}")`, { timeout: 30000 });
    // Dismissing the confirmation keeps the run.
    page.once('dialog', (d) => d.dismiss());
    await page.click(`#runs-table tbody tr:has-text("${r.body.id}") button.run-delete`);
    assert.equal((await apiAs(tok, 'GET', `/backtests/${r.body.id}/status`)).status, 200, 'kept when not confirmed');
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.click(`#runs-table tbody tr:has-text("${r.body.id}") button.run-delete`);
    await page.waitForSelector('.runs-page .notice.ok', { timeout: 10000 });
    assert.ok(asked.includes(r.body.id), 'the confirmation names the run');
    await page.waitForFunction((id) => !document.querySelector('#runs-list')?.textContent.includes(id), r.body.id, {
      timeout: 10000,
    });
    assert.equal((await apiAs(tok, 'GET', `/backtests/${r.body.id}`)).status, 404, 'deleted on the gateway');
    check();
  } finally {
    await context.close();
  }
});

test("bob cannot see alice's runs", async () => {
  const bobTok = await apiToken('bob');
  const api = await apiAs(bobTok, 'GET', `/backtests/${runs.bt}`);
  assert.equal(api.status, 404, 'the API answers 404 for a run bob does not own');
  assert.equal((await apiAs(bobTok, 'GET', `/optimizations/${runs.opt}`)).status, 404);
  assert.equal((await apiAs(bobTok, 'GET', `/analytics/compare?ids=${runs.bt},${runs.bt2}`)).status, 404);
  const list = await apiAs(bobTok, 'GET', '/backtests?limit=500');
  assert.ok(!JSON.stringify(list.body).includes(runs.bt));

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const check = watchConsole(page);
  try {
    await login(page, 'bob');
    await page.goto(`${env().url}/#/runs`);
    await page.waitForSelector('#runs-table, #runs-list .notice', { timeout: 30000 });
    const text = await page.textContent('#runs-list');
    for (const id of [runs.bt, runs.bt2, runs.opt])
      assert.ok(!text.includes(id), `alice's run ${id} is not listed for bob`);

    await page.goto(`${env().url}/#/report/${runs.bt}`);
    await page.waitForSelector('#report .notice.error', { timeout: 30000 });
    assert.match(await page.textContent('#report .notice.error'), /no backtest|not found|찾을 수 없/i);
    assert.equal(await page.$('#report-metrics'), null, "none of alice's metrics");
    assert.equal(await page.$('#report-trades'), null, "none of alice's trades");
    // The only console errors are the browser's notes of the refused requests.
    check(({ text }) => /status of 404/.test(text));
  } finally {
    await context.close();
  }
});
