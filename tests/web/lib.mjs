// tests/web/lib.mjs - what every browser spec needs: the platform's address
// and users, Chromium through playwright-core, signing in, screenshots and a
// watch on the console. run.sh sets the environment (see its header).
//
// playwright-core comes from web/node_modules: ES module imports ignore
// NODE_PATH, so it is loaded with a CommonJS require, which honours it.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The platform: {url: "http://127.0.0.1:PORT", users: {alice: PASSWORD, bob: PASSWORD}}. */
export function env() {
  const file = process.env.STOM_WEB_ENV;
  if (!file) throw new Error('STOM_WEB_ENV is not set: run the specs through tests/web/run.sh');
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The sim broker's symbols (scripts/paper-symbols.txt, which make up and platform.sh read too). */
export function paperSymbols() {
  const file = new URL('../../scripts/paper-symbols.txt', import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().split(':')[0])
    .filter(Boolean);
}

/** The backtest most specs start from: sma_cross 5/20 on the seeded SAMPLE daily bars. */
export const SAMPLE_BACKTEST = Object.freeze({
  strategy: 'sma_cross',
  symbols: ['SAMPLE'],
  timeframe: '1d',
  period: { from: '2023-01-01', to: '2024-11-30' },
  params: { fast: 5, slow: 20 },
  initial_cash: 10000000,
  bet_amount: 1000000,
});

const tokens = new Map();
/** An access token of user (alice, bob, admin), signed in through the API once per spec file. */
export async function apiToken(user) {
  if (!tokens.has(user)) {
    const { users } = env();
    const r = await apiAs(null, 'POST', '/auth/login', { username: user, password: users[user] });
    if (r.status !== 200) throw new Error(`${user} cannot sign in through the API: ${r.status}`);
    tokens.set(user, r.body.access_token);
  }
  return tokens.get(user);
}

/** /api/v1 with token (null: none): {status, body} (body parsed JSON, null when empty). */
export async function apiAs(token, method, path, body) {
  const r = await fetch(`${env().url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** /api/v1 as user: {status, body}. */
export async function api(user, method, path, body) {
  return apiAs(await apiToken(user), method, path, body);
}

/** A headless Chromium (the system's, never a downloaded one). Close it when done. */
export async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=ko-KR'],
  });
}

/** Signs user (alice, bob) in on the login page and waits for the dashboard. */
export async function login(page, user) {
  const { url, users } = env();
  if (!(user in users)) throw new Error(`no user ${user} in the platform's env.json`);
  await page.goto(`${url}/#/login`);
  await page.fill('#login-username', user);
  await page.fill('#login-password', users[user]);
  await page.click('#login-submit');
  await page.waitForFunction(() => location.hash.startsWith('#/dashboard'), null, {
    timeout: 15000,
  });
}

/** A full-page screenshot to $STOM_WEB_SCREENSHOTS/name.png; returns its path. */
export async function shot(page, name) {
  const dir = process.env.STOM_WEB_SCREENSHOTS || 'web-screenshots';
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Collects the page's console errors and uncaught exceptions from now on.
 * Returns check(ignore?): throws listing them when any was seen, leaving out
 * those for which ignore({text, url}) is true.
 */
export function watchConsole(page) {
  const seen = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.push({ text: msg.text(), url: msg.location().url || '' });
  });
  page.on('pageerror', (err) => seen.push({ text: `uncaught: ${err.message}`, url: '' }));
  return (ignore = () => false) => {
    const errors = seen.filter((e) => !ignore(e));
    if (errors.length > 0) throw new Error(`console errors:\n${errors.map((e) => `  ${e.text} ${e.url}`).join('\n')}`);
  };
}
