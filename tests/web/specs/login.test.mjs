// Signing in and out, registering, the language and theme toggles, and the About page
// with Lightweight Charts' attribution.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { env, launch, login, shot, watchConsole } from '../lib.mjs';

// A refused sign-in is a 401 the browser itself logs; nothing else may be.
const refusedLogin = ({ text }) => /Failed to load resource.*401/.test(text);

test('a wrong password is refused with the gateway message; the right one opens the dashboard', async () => {
  const { url, users } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await page.goto(`${url}/#/dashboard`);
    await page.waitForFunction(() => location.hash === '#/login');
    await shot(page, 'login');
    await page.fill('#login-username', 'alice');
    await page.fill('#login-password', `${users.alice}-wrong`);
    await page.click('#login-submit');
    const alert = await page.waitForSelector('.notice.error');
    assert.match(await alert.textContent(), /password|비밀번호|invalid|credentials/i);
    assert.equal(await page.evaluate(() => location.hash), '#/login');
    await login(page, 'alice');
    assert.match(await page.textContent('#current-user'), /alice/);
    await page.waitForSelector('#ws-status.open', { timeout: 15000 });
    await page.click('#logout');
    await page.waitForFunction(() => location.hash === '#/login');
    await page.goto(`${url}/#/strategies`);
    await page.waitForFunction(() => location.hash === '#/login');
    check(refusedLogin);
  } finally {
    await browser.close();
  }
});

test('a new user registers and lands on the dashboard signed in', async () => {
  const { url } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const check = watchConsole(page);
    const name = `carol${Date.now() % 100000}`;
    await page.goto(`${url}/#/register`);
    await page.fill('#register-username', name);
    await page.fill('#register-email', `${name}@example.com`);
    await page.fill('#register-password', 'a long enough password 1');
    await page.click('#register-submit');
    await page.waitForFunction(() => location.hash.startsWith('#/dashboard'), null, { timeout: 15000 });
    assert.match(await page.textContent('#current-user'), new RegExp(name));
    check();
  } finally {
    await browser.close();
  }
});

test('English and light theme are remembered; About credits TradingView', async () => {
  const { url } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const check = watchConsole(page);
    await page.goto(`${url}/#/about`);
    await page.waitForSelector('#licenses');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    await page.click('#lang-toggle');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.click('#theme-toggle');
    await page.reload();
    await page.waitForSelector('#licenses');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    assert.match(await page.textContent('h1'), /About stom/);
    const link = await page.getAttribute('a[href="https://www.tradingview.com/"]', 'href');
    assert.equal(link, 'https://www.tradingview.com/');
    assert.match(await page.textContent('#licenses'), /Apache-2\.0/);
    const notice = await fetch(`${url}/assets/NOTICE.txt`);
    assert.equal(notice.status, 200);
    assert.match(await notice.text(), /TradingView Lightweight Charts/);
    await shot(page, 'about-light-en');
    check();
  } finally {
    await browser.close();
  }
});
