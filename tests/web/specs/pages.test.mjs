// Browser tests of the dashboard, data, schedules, settings and admin pages: each test
// sets up what it needs through the API, then works the page as a user would and checks
// what the page shows against the gateway.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_BACKTEST, api, launch, env, login, shot, watchConsole } from '../lib.mjs';

const E = env();

/** Chromium logs the failed requests a test provokes on purpose (a 400, a 422) as errors. */
const refused =
  (...statuses) =>
  (e) =>
    new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})`).test(e.text);

async function withPage(user, f, viewport = { width: 1280, height: 800 }) {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    await f(page);
  } finally {
    await browser.close();
  }
}

const rowOf = (page, table, text) => page.locator(`${table} tbody tr`, { hasText: text });

test('dashboard: recent runs and the paper account', async () => {
  const run = await api('alice', 'POST', '/backtests', SAMPLE_BACKTEST);
  assert.equal(run.status, 202, JSON.stringify(run.body));
  await withPage('alice', async (page) => {
    const check = watchConsole(page);
    await login(page, 'alice');
    const link = page.locator(`#dash-runs a[href="#/report/${run.body.id}"]`);
    await link.waitFor();
    assert.equal(await link.textContent(), 'sma_cross');
    const account = page.locator('#dash-accounts [data-account="paper"]');
    await account.waitFor();
    assert.match(await account.textContent(), /[\d,]+원/);
    // Every panel has loaded; none shows an error.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.dash-section[data-state]')].every((s) => s.dataset.state !== 'loading'),
    );
    const failed = await page.$$eval('.dash-section[data-state="error"]', (els) =>
      els.map((e) => `${e.id}: ${e.textContent}`),
    );
    assert.deepEqual(failed, []);
    await page.locator('#dash-engine-state').waitFor();
    await shot(page, 'dashboard');
    check();
  });
});

test('data: list, preview chart, CSV import and a malformed CSV naming its line', async () => {
  const stamp = Date.now().toString(36).toUpperCase();
  const good = `PT${stamp}`;
  const bad = `PB${stamp}`;
  const csv = [
    'Date,Open,High,Low,Close,Volume',
    '2024-01-02,1000,1100,990,1050,12000',
    '2024-01-03,1050,1080,1000,1010,9000',
    '2024-01-04,1010,1020,950,960,15000',
    '2024-01-05,960,1000,955,990,11000',
    '2024-01-08,990,1040,985,1030,13000',
  ].join('\n');
  const malformed = [
    'Date,Open,High,Low,Close,Volume',
    '2024-01-02,1000,1100,990,1050,12000',
    '2024-01-03,1050,1x80,1000,1010,9000',
    '2024-01-04,1010,1020,950,960,15000',
  ].join('\n');
  await withPage('alice', async (page) => {
    const check = watchConsole(page);
    await login(page, 'alice');
    await page.goto(`${E.url}/#/data`);
    const sample = rowOf(page, '#data-symbols-table', 'SAMPLE');
    await sample.waitFor();
    assert.match(await sample.textContent(), /500/);
    await sample.click();
    await page.locator('#data-preview-chart canvas').first().waitFor();
    assert.match(await page.textContent('#data-preview-count'), /500/);

    // A valid file: five daily bars under a new symbol.
    await page.setInputFiles('#data-import-file', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.fill('#data-import-symbol', good);
    await page.selectOption('#data-import-timeframe', '1d');
    await page.selectOption('#data-import-market', 'KOSDAQ');
    await page.click('#data-import-submit');
    await page.locator('#data-import-result .notice.ok').waitFor();
    assert.match(await page.textContent('#data-import-result'), /5/);
    const added = rowOf(page, '#data-symbols-table', good);
    await added.waitFor();
    assert.match(await added.textContent(), /KOSDAQ/);
    // The imported set is charted at once.
    await page.waitForFunction(
      (s) =>
        document.querySelector('#data-preview h3')?.textContent.includes(s) &&
        document.querySelector('#data-preview-chart canvas'),
      good,
    );
    assert.match(await page.textContent('#data-preview-count'), /^\D*5\D+5\D*$/);

    // A malformed file: the gateway's error names line 3 and nothing is stored.
    await page.setInputFiles('#data-import-file', {
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(malformed),
    });
    await page.fill('#data-import-symbol', bad);
    await page.click('#data-import-submit');
    await page.locator('#data-import-error').waitFor();
    assert.match(await page.textContent('#data-import-error'), /line 3/);
    assert.equal(await page.getAttribute('#data-import-file', 'aria-invalid'), 'true');
    await page.click('#data-reload');
    await rowOf(page, '#data-symbols-table', good).waitFor();
    assert.equal(await rowOf(page, '#data-symbols-table', bad).count(), 0);
    const { body } = await api('alice', 'GET', '/data/symbols');
    assert.ok(
      body.symbols.some((s) => s.symbol === good && s.rows === 5),
      'the good file is stored',
    );
    assert.ok(!body.symbols.some((s) => s.symbol === bad), 'the malformed file stored nothing');
    await shot(page, 'data');
    check(refused(400));
  });
});

test('schedules: field errors, create, disable, delete', async () => {
  const name = `pages-test ${Date.now()}`;
  await withPage('alice', async (page) => {
    const check = watchConsole(page);
    await login(page, 'alice');
    await page.goto(`${E.url}/#/schedules`);
    await page.locator('#sched-form').waitFor();
    await page.fill('#sched-name', name);
    await page.selectOption('#sched-action', 'stop_strategy');
    await page.fill('#sched-args', '{"instance_id": "pages-test-none"}');

    // An impossible time: the gateway names the field.
    await page.fill('#sched-when', '25:00');
    await page.click('#sched-submit');
    await page.locator('#sched-error').waitFor();
    assert.match(await page.textContent('#sched-error'), /when: 25:00/);
    assert.equal(await page.getAttribute('#sched-when', 'aria-invalid'), 'true');

    // Arguments that are not JSON: caught in the browser with the position.
    await page.fill('#sched-when', '08:50');
    await page.fill('#sched-args', '{"instance_id": }');
    await page.click('#sched-submit');
    assert.match(await page.textContent('#sched-args-error'), /args: \D*1\D+17\D/);
    assert.equal(await page.getAttribute('#sched-args', 'aria-invalid'), 'true');

    await page.fill('#sched-args', '{"strategy": "sma_cross", "instance_id": "pages-test-none"}');
    await page.check('#sched-day-mon');
    await page.check('#sched-day-wed');
    await page.click('#sched-submit');
    await page.locator('#sched-result .notice:not(.info)').waitFor();
    assert.equal(await page.locator('#sched-result .notice.ok').count(), 1, await page.textContent('#sched-result'));
    const row = rowOf(page, '#sched-table', name);
    await row.waitFor();
    assert.match(await row.locator('.sched-next').textContent(), /^\d{4}-\d{2}-\d{2} 08:50:00$/);
    const listed = (await api('alice', 'GET', '/schedules')).body.schedules.find((s) => s.name === name);
    assert.ok(listed, 'stored');
    assert.deepEqual(listed.days, ['mon', 'wed']);
    assert.equal(listed.action, 'stop_strategy');
    await shot(page, 'schedules');

    // Disable: the switch PATCHes and the next fire goes away.
    await row.locator('.sched-toggle').uncheck();
    await page.waitForFunction((n) => {
      const tr = [...document.querySelectorAll('#sched-table tbody tr')].find((r) => r.textContent.includes(n));
      return tr && !tr.querySelector('.sched-toggle').checked && tr.querySelector('.sched-next').textContent === '–';
    }, name);
    assert.equal((await api('alice', 'GET', '/schedules')).body.schedules.find((s) => s.name === name).enabled, false);

    // Delete, after the confirmation.
    page.once('dialog', (d) => d.accept());
    await rowOf(page, '#sched-table', name).locator('.sched-delete').click();
    await page.waitForFunction(
      (n) => ![...document.querySelectorAll('#sched-table tbody tr')].some((r) => r.textContent.includes(n)),
      name,
    );
    assert.ok(!(await api('alice', 'GET', '/schedules')).body.schedules.some((s) => s.name === name), 'deleted');
    check(refused(400));
  });
});

test('settings: save a risk limit, a negative value names its field', async () => {
  const before = (await api('alice', 'GET', '/accounts/paper/risk')).body.limits;
  try {
    await withPage('alice', async (page) => {
      const check = watchConsole(page);
      await login(page, 'alice');
      await page.goto(`${E.url}/#/settings`);
      await page.locator('#risk-form').waitFor();
      assert.equal(await page.inputValue('#risk-account'), 'paper');
      await page.fill('#risk-max_orders_per_second', '900');
      await page.click('#risk-save');
      await page.locator('#risk-saved').waitFor();
      assert.match(await page.textContent('#risk-saved'), /\(.+\)/);
      const after = (await api('alice', 'GET', '/accounts/paper/risk')).body.limits;
      assert.equal(after.max_orders_per_second, 900);

      await page.fill('#risk-max_order_value', '-5');
      await page.click('#risk-save');
      await page.locator('#risk-error').waitFor();
      assert.match(await page.textContent('#risk-error'), /max_order_value/);
      assert.equal(await page.getAttribute('#risk-max_order_value', 'aria-invalid'), 'true');
      const unchanged = (await api('alice', 'GET', '/accounts/paper/risk')).body.limits;
      assert.notEqual(unchanged.max_order_value, -5);
      await shot(page, 'settings');
      check(refused(422));
    });
  } finally {
    if (before) await api('alice', 'PUT', '/accounts/paper/risk', before);
  }
});

test('admin: the users list, and a role changed and back', async () => {
  const bob = 'bob';
  const roleOf = async () =>
    (await api('admin', 'GET', '/admin/users?limit=1000')).body.users.find((u) => u.username === bob).role;
  const original = await roleOf();
  try {
    await withPage('admin', async (page) => {
      const check = watchConsole(page);
      await login(page, 'admin');
      await page.goto(`${E.url}/#/admin`);
      await rowOf(page, '#admin-users-table', 'alice').waitFor();
      await rowOf(page, '#admin-users-table', bob).waitFor();
      const select = page.locator(`select.admin-role[data-user="${bob}"]`);
      assert.equal(await select.inputValue(), original);

      await select.selectOption('user');
      await page.locator('#admin-status .notice.ok').waitFor();
      assert.equal(await roleOf(), 'user');
      await shot(page, 'admin');

      await select.selectOption(original);
      await page.waitForFunction(
        (b) =>
          document.querySelector('#admin-status')?.textContent.includes(b) &&
          !document.querySelector(`select.admin-role[data-user="${b}"]`).disabled,
        bob,
      );
      assert.equal(await roleOf(), original);
      check();
    });
  } finally {
    if ((await roleOf()) !== original)
      await api(
        'admin',
        'PATCH',
        `/admin/users/${(await api('admin', 'GET', '/admin/users?limit=1000')).body.users.find((u) => u.username === bob).id}`,
        { role: original },
      );
  }
});

test('admin: a trader gets the 403 notice', async () => {
  await withPage('bob', async (page) => {
    const check = watchConsole(page);
    await login(page, 'bob');
    assert.equal(await page.locator('#main-nav a[href="#/admin"]').count(), 0);
    await page.goto(`${E.url}/#/admin`);
    const n = page.locator('#admin-forbidden');
    await n.waitFor();
    assert.match(await n.textContent(), /403/);
    assert.equal(await page.locator('#admin-users-table').count(), 0);
    check();
  });
});
