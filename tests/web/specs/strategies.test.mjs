// Strategies: the list, the Lua editor's check with errors at their lines (the lint
// marker in the gutter and the list under the editor), the parameter form's range check,
// saving (button and Ctrl-S) into versions 1 and 2, and the versions' diff.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { env, launch, login, shot, watchConsole } from '../lib.mjs';

const code = (fastDefault, nameOnLine9) => `params = {
  fast = {type = "int", default = ${fastDefault}, min = 2, max = 50, help = "moving-average length"},
}

function on_bar()
  local avg = sma(params.fast)
  if position_qty == 0 and close > avg then
    buy()
  elseif position_qty > 0 and ${nameOnLine9} < avg then
    sell()
  end
end
`;

/** Replaces the editor's whole text (typed as one insertion: no auto-indent or brackets). */
async function setCode(page, text) {
  await page.click('#strategy-editor .cm-content');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
  await page.waitForFunction(
    (want) => document.querySelector('#strategy-editor .cm-content').innerText.trim().split('\n').length >= want,
    text.trim().split('\n').length,
  );
}

/** The line numbers whose gutter holds a lint marker of this severity. */
function markedLines(page, severity) {
  return page.evaluate((sev) => {
    const numbers = [...document.querySelectorAll('#strategy-editor .cm-lineNumbers .cm-gutterElement')];
    const out = [];
    for (const m of document.querySelectorAll(`#strategy-editor .cm-lint-marker-${sev}`)) {
      const top = Math.round(m.closest('.cm-gutterElement').getBoundingClientRect().top);
      const n = numbers.find((g) => Math.round(g.getBoundingClientRect().top) === top && g.textContent.trim());
      out.push(n ? Number(n.textContent) : -1);
    }
    return out;
  }, severity);
}

test('a strategy: check errors at their line, fix, save, version 2 and its diff', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const check = watchConsole(page);
    await login(page, 'alice');
    const { url } = env();
    const name = `spec-sma-${Date.now()}`;

    await page.goto(`${url}/#/strategies`);
    await page.waitForSelector('#builtins-table');
    assert.ok(await page.locator('#builtins-table tbody tr', { hasText: 'sma_cross' }).count());
    await page.click('#strategy-new');
    await page.waitForFunction(() => location.hash === '#/strategies/new');
    await page.waitForSelector('#strategy-editor .cm-content');
    // The template passes the check and has its parameter table.
    await page.waitForSelector('#strategy-params table');
    await page.fill('#strategy-name', name);
    await page.fill('#strategy-description', 'spec: moving average');

    // An unknown name on line 9.
    await setCode(page, code(5, 'clse'));
    await page.click('#strategy-check');
    const item = page.locator('#strategy-problems li.error').first();
    await item.waitFor({ timeout: 15000 });
    assert.equal(await item.getAttribute('data-line'), '9');
    assert.match(await item.innerText(), /9/);
    assert.match(await item.innerText(), /clse/);
    assert.equal(await page.getAttribute('#strategy-check-result', 'data-ok'), 'false');
    await page.waitForSelector('#strategy-editor .cm-lint-marker-error');
    assert.deepEqual(await markedLines(page, 'error'), [9]);
    assert.ok(
      await page.isVisible('#strategy-params-old'),
      'the parameter table says it is from the last passing check',
    );
    // The list item moves the cursor to its line.
    await item.locator('button').click();
    await page.waitForFunction(
      () => document.querySelector('#strategy-editor .cm-activeLineGutter')?.textContent.trim() === '9',
    );
    await shot(page, 'strategy-editor-error');

    // Saving refuses the code with the same errors.
    await page.click('#strategy-save');
    await page.waitForSelector('#strategy-status .notice.error');
    assert.equal(await page.evaluate(() => location.hash), '#/strategies/new');

    // Fixed: the check passes, the markers go, and the parameter form follows the code.
    await setCode(page, code(5, 'close'));
    await page.click('#strategy-check');
    await page.waitForSelector('#strategy-check-result[data-ok="true"]');
    assert.equal(await page.locator('#strategy-editor .cm-lint-marker-error').count(), 0);
    assert.equal(await page.inputValue('#strategy-param-fast'), '5');
    assert.equal(await page.isVisible('#strategy-params-old'), false);

    // The parameter form checks the schema's range and names the field.
    await page.fill('#strategy-param-fast', '99');
    await page.click('#strategy-save');
    await page.waitForSelector('#strategy-param-fast[aria-invalid="true"]');
    assert.match(await page.innerText('#strategy-status'), /fast/);
    await page.fill('#strategy-param-fast', '6');

    // Save: version 1.
    await page.click('#strategy-save');
    await page.waitForFunction(() => /^#\/strategies\/\d+/.test(location.hash), null, { timeout: 15000 });
    const id = (await page.evaluate(() => location.hash)).match(/^#\/strategies\/(\d+)/)[1];
    await page.waitForSelector('#strategy-version');
    assert.match(await page.innerText('#strategy-version'), /1/);
    await page.waitForSelector('#strategy-params table');
    assert.equal(await page.inputValue('#strategy-param-fast'), '6', 'the saved parameter value comes back');

    // Edit line 2 and save with Ctrl-S: version 2.
    await setCode(page, code(7, 'close'));
    await page.fill('#strategy-message', 'default 7');
    await page.click('#strategy-editor .cm-content');
    await page.keyboard.press('ControlOrMeta+s');
    await page.waitForFunction(() => /2/.test(document.querySelector('#strategy-version')?.textContent ?? ''), null, {
      timeout: 15000,
    });
    await page.waitForFunction(() => document.querySelectorAll('#versions-table tbody tr').length === 2);
    assert.match(await page.innerText('#versions-table'), /default 7/);
    const added = page.locator('#strategy-diff tr.diff-add');
    const removed = page.locator('#strategy-diff tr.diff-del');
    await added.first().waitFor();
    assert.equal(await added.count(), 1);
    assert.equal(await removed.count(), 1);
    assert.match(await added.innerText(), /default = 7/);
    assert.match(await removed.innerText(), /default = 5/);
    // Both sides name line 2.
    assert.equal((await added.locator('td.ln').nth(1).innerText()).trim(), '2');
    assert.equal((await removed.locator('td.ln').nth(0).innerText()).trim(), '2');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'strategy-diff');

    // The API agrees: two versions.
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('stom.session')).access_token);
    const versions = await (
      await fetch(`${url}/api/v1/strategies/${id}/versions`, { headers: { Authorization: `Bearer ${token}` } })
    ).json();
    assert.deepEqual(versions.versions.map((v) => v.version).sort(), [1, 2]);

    // Loading version 1 puts its code back in the editor.
    await page.click('#versions-table button[data-version="1"]');
    await page.waitForFunction(() =>
      document.querySelector('#strategy-editor .cm-content').innerText.includes('default = 5'),
    );

    // The list shows it at version 2, with its links.
    await page.goto(`${url}/#/strategies`);
    const row = page.locator('#strategies-table tbody tr', { hasText: name });
    await row.waitFor();
    assert.match(await row.innerText(), /\b2\b/);
    assert.equal(await row.locator(`a[href="#/runs/new?strategy=${id}"]`).count(), 1);
    await shot(page, 'strategies-list');
    check();
  } finally {
    await browser.close();
  }
});
