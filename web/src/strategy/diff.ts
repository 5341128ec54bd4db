// strategy/diff.ts - a unified diff (the gateway's text) as a table: old and new line
// numbers, added lines green-ish, removed lines red-ish (CSS variables in style.css).

import { h } from '../dom';

export function renderDiff(text: string): HTMLElement {
  const rows: HTMLElement[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) {
      rows.push(h('tr', { class: 'diff-file' }, h('td', { colspan: 3 }, line)));
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      rows.push(h('tr', { class: 'diff-hunk' }, h('td', { colspan: 3 }, line)));
      continue;
    }
    let cls = 'diff-ctx';
    let a: number | string = '';
    let b: number | string = '';
    if (line.startsWith('+')) {
      cls = 'diff-add';
      b = newNo++;
    } else if (line.startsWith('-')) {
      cls = 'diff-del';
      a = oldNo++;
    } else if (line.startsWith('\\')) {
      cls = 'diff-note';
    } else {
      a = oldNo++;
      b = newNo++;
    }
    rows.push(
      h(
        'tr',
        { class: cls },
        h('td', { class: 'ln' }, a),
        h('td', { class: 'ln' }, b),
        h('td', { class: 'code' }, h('code', null, line || ' ')),
      ),
    );
  }
  return h('div', { class: 'scroll-x' }, h('table', { class: 'diff', id: 'strategy-diff' }, h('tbody', null, rows)));
}
