// The gateway serves the built UI: the page with its security headers, its
// hashed assets, and a page Chromium loads without the browser refusing or
// failing to fetch anything the gateway serves. Nothing here depends on the
// app's own pages (their specs sit beside this one).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { env, launch, shot, watchConsole } from '../lib.mjs';

test('/ is the page with its security policy, revalidated on every load', async () => {
  const { url } = env();
  const res = await fetch(`${url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  const html = await res.text();
  const script = html.match(/src="(\/assets\/[^"]+\.js)"/);
  assert.ok(script, 'the page loads a script from /assets/');
  const asset = await fetch(`${url}${script[1]}`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type'), /^text\/javascript/);
  assert.match(asset.headers.get('cache-control'), /immutable/);
});

// What the gateway answers for: the policy refusing something, a wrong MIME type, or the page
// or an asset failing to load. Errors of the app itself (an API call it makes) are its specs'.
function servingError({ text, url }) {
  if (/Content Security Policy|MIME type/.test(text)) return true;
  if (!/Failed to load resource/.test(text)) return false;
  const p = url ? new URL(url).pathname : '/';
  return p === '/' || p.startsWith('/assets/');
}

test('Chromium opens the UI without the gateway getting in its way', async () => {
  const { url } = env();
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const check = watchConsole(page);
    const failed = [];
    page.on('response', (r) => {
      const p = new URL(r.url()).pathname;
      if ((p === '/' || p.startsWith('/assets/')) && r.status() >= 400) failed.push(`${p} ${r.status()}`);
    });
    await page.goto(`${url}/`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle').catch(() => {});
    assert.notEqual((await page.title()).trim(), '', 'the page has a title');
    await shot(page, 'serve-first-load');
    assert.deepEqual(failed, []);
    check((e) => !servingError(e));
  } finally {
    await browser.close();
  }
});
