// Every page in English and the light theme, at 1280×800 and on a 390×844 phone: no
// console errors, and every button, input, select and textarea has an accessible name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_BACKTEST, apiAs, apiToken, launch, env, login, shot, watchConsole } from '../lib.mjs';

const E = env();

/** A finished backtest and (when the gateway takes it) an optimization of alice's. */
async function runs() {
  const tok = await apiToken('alice');
  const bt = await apiAs(tok, 'POST', '/backtests', SAMPLE_BACKTEST);
  assert.equal(bt.status, 202, JSON.stringify(bt.body));
  const opt = await apiAs(tok, 'POST', '/optimizations', {
    ...SAMPLE_BACKTEST,
    search: { fast: { start: 3, end: 5, step: 1 } },
    method: 'grid',
  });
  const deadline = Date.now() + 30000;
  for (;;) {
    const s = await apiAs(tok, 'GET', `/backtests/${bt.body.id}/status`);
    if (!['queued', 'running', 'pending'].includes(s.body?.state) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { backtest: bt.body.id, optimization: opt.status === 202 ? opt.body.id : null };
}

const MINE = ['/dashboard', '/data', '/schedules', '/settings', '/admin'];

function routes(ids) {
  return [
    '/dashboard',
    '/strategies',
    '/strategies/new',
    '/runs',
    '/runs/new',
    `/report/${ids.backtest}`,
    ids.optimization ? `/optimization/${ids.optimization}` : null,
    '/compare',
    '/live',
    '/live/005930',
    '/trading',
    '/data',
    '/schedules',
    '/settings',
    '/admin',
    '/about',
  ].filter(Boolean);
}

/** Controls without an accessible name: aria-label, aria-labelledby, a <label>, text or title. */
function unnamed() {
  const out = [];
  for (const el of document.querySelectorAll('button, input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const by = (el.getAttribute('aria-labelledby') || '')
      .split(/\s+/)
      .map((id) => (id && document.getElementById(id)?.textContent) || '')
      .join(' ');
    const name = [
      el.getAttribute('aria-label'),
      by,
      [...(el.labels || [])].map((l) => l.textContent).join(' '),
      el.tagName === 'BUTTON' ? el.textContent : '',
      ['submit', 'button', 'reset'].includes(el.type) ? el.value : '',
      el.getAttribute('title'),
    ]
      .map((s) => (s || '').trim())
      .find((s) => s);
    if (!name)
      out.push(
        `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}${el.type ? `[type=${el.type}]` : ''}`,
      );
  }
  return out;
}

async function settle(page) {
  await page
    .waitForFunction(
      () => document.querySelector('#page')?.children.length > 0 && !document.querySelector('[aria-busy="true"]'),
      null,
      { timeout: 15000 },
    )
    .catch(() => {});
  await page.waitForTimeout(400);
}

async function sweep(user, viewport, label, paths, shots) {
  const browser = await launch();
  try {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.setDefaultTimeout(30000);
    const check = watchConsole(page);
    const errors = [];
    let at = 'login';
    page.on('console', (m) => m.type() === 'error' && errors.push(`${at}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${at}: ${e.message}`));
    await login(page, user);
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await settle(page);
    if (shots.en) await shot(page, shots.en);
    await page.click('#theme-toggle');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    const problems = [];
    for (const path of paths) {
      at = `${label} #${path}`;
      await page.goto(`${E.url}/#${path}`);
      await settle(page);
      const missing = await page.evaluate(unnamed);
      if (missing.length) problems.push(`${at}: no accessible name: ${missing.join(', ')}`);
      if (viewport.width < 500 && MINE.includes(path)) {
        const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        if (scroll > width + 1) problems.push(`${at}: the page is ${scroll}px wide on a ${width}px screen`);
      }
      if (path === '/dashboard' && shots.dashboard) await shot(page, shots.dashboard);
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.deepEqual(problems, []);
    assert.deepEqual(errors, []);
    check();
  } finally {
    await browser.close();
  }
}

test('every page in English, light theme, 1280×800 and 390×844: named controls, no console errors', async () => {
  const ids = await runs();
  const all = routes(ids);
  await sweep('alice', { width: 1280, height: 800 }, 'desktop', all, { en: 'dashboard-en' });
  await sweep('alice', { width: 390, height: 844 }, 'phone', all, { dashboard: 'dashboard-light-phone' });
  await sweep('admin', { width: 1280, height: 800 }, 'admin desktop', ['/admin', '/schedules', '/dashboard'], {});
  await sweep('admin', { width: 390, height: 844 }, 'admin phone', ['/admin'], {});
});
