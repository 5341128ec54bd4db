// strategy/problems.ts - the check's errors and warnings as a list under the editor; each
// item names its line and moves the cursor there.

import { h } from '../dom';
import { strings, t } from '../i18n';
import { notice } from '../ui';
import type { Problem } from './editor';

strings({
  ko: {
    'strategy_edit.problems': '검사 결과',
    'strategy_edit.line': '{line}행',
    'strategy_edit.file': '파일 전체',
    'strategy_edit.error': '오류',
    'strategy_edit.warning': '경고',
    'strategy_edit.check_ok': '검사 통과: 문제가 없습니다',
    'strategy_edit.check_ok_warn': '검사 통과 (경고 {n}건)',
    'strategy_edit.check_fail': '오류 {e}건, 경고 {w}건',
    'strategy_edit.goto': '{line}행으로 이동',
  },
  en: {
    'strategy_edit.problems': 'Check result',
    'strategy_edit.line': 'line {line}',
    'strategy_edit.file': 'whole file',
    'strategy_edit.error': 'error',
    'strategy_edit.warning': 'warning',
    'strategy_edit.check_ok': 'Check passed: no problems',
    'strategy_edit.check_ok_warn': 'Check passed ({n} warnings)',
    'strategy_edit.check_fail': '{e} errors, {w} warnings',
    'strategy_edit.goto': 'Go to line {line}',
  },
});

/** Fills `box` with the summary and the clickable list; `goto` moves the editor's cursor. */
export function renderProblems(
  box: HTMLElement,
  errors: Problem[],
  warnings: Problem[],
  goto: (line: number) => void,
): void {
  const item = (p: Problem, kind: 'error' | 'warning') => {
    const where = p.line > 0 ? t('strategy_edit.line', { line: p.line }) : t('strategy_edit.file');
    return h(
      'li',
      { class: `problem ${kind}`, 'data-line': p.line, 'data-severity': kind },
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          title: t('strategy_edit.goto', { line: Math.max(p.line, 1) }),
          onclick: () => goto(p.line),
        },
        h('span', { class: 'problem-kind' }, t(`strategy_edit.${kind}`)),
        ' ',
        h('span', { class: 'problem-line' }, where),
        ': ',
        p.message,
      ),
    );
  };
  const summary =
    errors.length === 0
      ? notice(
          'ok',
          warnings.length ? t('strategy_edit.check_ok_warn', { n: warnings.length }) : t('strategy_edit.check_ok'),
        )
      : notice('error', t('strategy_edit.check_fail', { e: errors.length, w: warnings.length }));
  summary.id = 'strategy-check-result';
  summary.dataset.ok = String(errors.length === 0);
  box.replaceChildren(summary);
  if (errors.length || warnings.length)
    box.appendChild(
      h(
        'ul',
        { class: 'problems', id: 'strategy-problems', 'aria-label': t('strategy_edit.problems') },
        errors.map((p) => item(p, 'error')),
        warnings.map((p) => item(p, 'warning')),
      ),
    );
}
