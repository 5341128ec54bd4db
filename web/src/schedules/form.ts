// schedules/form.ts - the new-job form: name, when (HH:MM or an anchor with an offset),
// weekdays, action, args (JSON, checked in the browser with the error's line and column;
// a template for each action) and enabled. Errors from the gateway name the field and
// mark that control.

import { api, ApiError } from '../api';
import { field, h, replace } from '../dom';
import { strings, t } from '../i18n';
import { errorNotice, notice } from '../ui';
import { parseJson } from './json';

strings({
  ko: {
    'schedules.new': '새 스케줄',
    'schedules.name': '이름',
    'schedules.when': '실행 시각 (KST)',
    'schedules.when.hint': 'HH:MM 또는 pre_open, open, close, after_close (+/- 분), 예: close-10',
    'schedules.days': '요일 (비우면 매 거래일)',
    'schedules.action': '동작',
    'schedules.args': '인자 (JSON)',
    'schedules.args.hint': '동작을 고르면 예시가 채워집니다',
    'schedules.enabled': '사용',
    'schedules.create': '추가',
    'schedules.created': '스케줄 "{name}"을(를) 추가했습니다',
    'schedules.err.name': '이름을 입력하세요 (1–64바이트)',
    'schedules.err.when': 'when: HH:MM 또는 기준 시각(open+5 등)을 입력하세요',
    'schedules.err.json': 'args: {line}행 {column}열의 JSON 오류: {message}',
    'schedules.err.object': 'args: JSON 객체({…})여야 합니다',
    'schedules.action.start_strategy': '전략 시작',
    'schedules.action.stop_strategy': '전략 중지',
    'schedules.action.liquidate': '청산',
    'schedules.action.record_bars': '봉 기록',
    'schedules.action.run_backtest': '백테스트 재실행',
    'schedules.day.mon': '월',
    'schedules.day.tue': '화',
    'schedules.day.wed': '수',
    'schedules.day.thu': '목',
    'schedules.day.fri': '금',
  },
  en: {
    'schedules.new': 'New schedule',
    'schedules.name': 'Name',
    'schedules.when': 'When (KST)',
    'schedules.when.hint': 'HH:MM or pre_open, open, close, after_close (+/- minutes), e.g. close-10',
    'schedules.days': 'Weekdays (none: every trading day)',
    'schedules.action': 'Action',
    'schedules.args': 'Arguments (JSON)',
    'schedules.args.hint': 'Choosing an action fills in an example',
    'schedules.enabled': 'Enabled',
    'schedules.create': 'Add',
    'schedules.created': 'Added the schedule "{name}"',
    'schedules.err.name': 'Enter a name (1–64 bytes)',
    'schedules.err.when': 'when: enter HH:MM or an anchor (open+5 and so on)',
    'schedules.err.json': 'args: JSON error at line {line}, column {column}: {message}',
    'schedules.err.object': 'args: must be a JSON object ({…})',
    'schedules.action.start_strategy': 'Start strategy',
    'schedules.action.stop_strategy': 'Stop strategy',
    'schedules.action.liquidate': 'Liquidate',
    'schedules.action.record_bars': 'Record bars',
    'schedules.action.run_backtest': 'Re-run backtest',
    'schedules.day.mon': 'Mon',
    'schedules.day.tue': 'Tue',
    'schedules.day.wed': 'Wed',
    'schedules.day.thu': 'Thu',
    'schedules.day.fri': 'Fri',
  },
});

export const ACTIONS = ['start_strategy', 'stop_strategy', 'liquidate', 'record_bars', 'run_backtest'];
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
export const ANCHORS = ['pre_open', 'open', 'close', 'after_close', 'open+5', 'close-10'];

const TEMPLATES: Record<string, unknown> = {
  start_strategy: {
    instance_id: 'morning-sma',
    strategy: 'sma_cross',
    params: { fast: 5, slow: 20 },
    symbols: ['005930'],
    timeframe: '1m',
    account: 'paper',
    order_qty: 10,
  },
  stop_strategy: { strategy: 'sma_cross', instance_id: 'morning-sma', liquidate: false },
  liquidate: { instance_id: 'morning-sma' },
  record_bars: { symbols: ['005930', '000660'], timeframe: '1m', until: 'close' },
  run_backtest: { run: '' },
};

const template = (action: string) => JSON.stringify(TEMPLATES[action] ?? {}, null, 2);

/** Gives a field's hint an id (for aria-describedby). */
function withHintId(f: HTMLElement, id: string): HTMLElement {
  const hint = f.querySelector('small.hint');
  if (hint) hint.id = id;
  return f;
}

/** A job's `when`, checked loosely in the browser; the gateway checks it exactly. */
function whenLooksValid(s: string): boolean {
  return /^\d{1,2}:\d{2}$/.test(s) || /^(pre_open|open|close|after_close)([+-]\d{1,3})?$/.test(s);
}

export function scheduleForm(onCreated: () => void): HTMLElement {
  const name = h('input', { type: 'text', id: 'sched-name', maxlength: 64, autocomplete: 'off' });
  const whenList = h(
    'datalist',
    { id: 'sched-when-list' },
    ANCHORS.map((a) => h('option', { value: a })),
  );
  const when = h('input', {
    type: 'text',
    id: 'sched-when',
    list: 'sched-when-list',
    placeholder: '08:50',
    autocomplete: 'off',
    'aria-describedby': 'sched-when-hint',
  });
  const dayBoxes = DAYS.map((d) => h('input', { type: 'checkbox', value: d, id: `sched-day-${d}` }));
  const days = h(
    'fieldset',
    { class: 'field sched-days', id: 'sched-days' },
    h('legend', null, t('schedules.days')),
    h(
      'div',
      { class: 'row' },
      dayBoxes.map((b, i) => h('label', { class: 'check', for: b.id }, b, ` ${t(`schedules.day.${DAYS[i]}`)}`)),
    ),
  );
  const action = h(
    'select',
    { id: 'sched-action' },
    ACTIONS.map((a) => h('option', { value: a }, `${t(`schedules.action.${a}`)} (${a})`)),
  );
  const args = h('textarea', { id: 'sched-args', class: 'json', rows: 9, spellcheck: 'false' });
  args.value = template(action.value);
  const enabled = h('input', { type: 'checkbox', id: 'sched-enabled', checked: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'sched-submit' }, t('schedules.create'));
  const result = h('div', { id: 'sched-result', 'aria-live': 'polite' });

  let lastTemplate = args.value;
  action.addEventListener('change', () => {
    if (args.value.trim() === '' || args.value === lastTemplate) {
      args.value = template(action.value);
      lastTemplate = args.value;
    }
  });

  const controls: Record<string, HTMLElement> = { name, when, days, action, args, enabled };
  const errs: Record<string, HTMLElement> = {};
  const wrap = (key: string, el: HTMLElement) => {
    errs[key] = h('small', { class: 'field-error', id: `sched-${key}-error`, 'aria-live': 'polite' });
    el.appendChild(errs[key]);
    return el;
  };
  const clear = () => {
    for (const [k, c] of Object.entries(controls)) {
      c.removeAttribute('aria-invalid');
      c.closest('.field')?.classList.remove('invalid');
      errs[k] && (errs[k].textContent = '');
    }
  };
  const mark = (key: string, msg: string) => {
    const top = key.split('.')[0];
    const c = controls[top];
    if (!c) return false;
    c.setAttribute('aria-invalid', 'true');
    c.closest('.field')?.classList.add('invalid');
    if (errs[top]) errs[top].textContent = msg;
    return true;
  };

  const form = h(
    'form',
    {
      id: 'sched-form',
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        clear();
        replace(result);
        const problems: [string, string][] = [];
        const nm = name.value.trim();
        if (!nm || new TextEncoder().encode(nm).length > 64) problems.push(['name', t('schedules.err.name')]);
        const wh = when.value.trim();
        if (!whenLooksValid(wh)) problems.push(['when', t('schedules.err.when')]);
        let argValue: unknown;
        if (args.value.trim()) {
          const parsed = parseJson(args.value);
          if (!parsed.ok) {
            problems.push([
              'args',
              t('schedules.err.json', { line: parsed.line, column: parsed.column, message: parsed.message }),
            ]);
            args.focus();
            args.setSelectionRange(parsed.position, Math.min(parsed.position + 1, args.value.length));
          } else if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
            problems.push(['args', t('schedules.err.object')]);
          } else argValue = parsed.value;
        }
        if (problems.length) {
          for (const [k, m] of problems) mark(k, m);
          replace(result, notice('error', problems.map(([, m]) => m).join(' · ')));
          return;
        }
        const chosen = dayBoxes.filter((b) => b.checked).map((b) => b.value);
        const body: Record<string, unknown> = { name: nm, when: wh, action: action.value, enabled: enabled.checked };
        if (chosen.length) body.days = chosen;
        if (argValue !== undefined) body.args = argValue;
        submit.disabled = true;
        try {
          await api.post('/schedules', body);
          replace(result, notice('ok', t('schedules.created', { name: nm })));
          name.value = '';
          onCreated();
        } catch (e) {
          if (e instanceof ApiError) {
            for (const [k, m] of Object.entries(e.fields)) mark(k, m);
          }
          const n = errorNotice(e);
          n.id = 'sched-error';
          replace(result, n);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'form-grid' },
      wrap('name', field(t('schedules.name'), name)),
      wrap('when', withHintId(field(t('schedules.when'), when, t('schedules.when.hint')), 'sched-when-hint')),
      wrap('action', field(t('schedules.action'), action)),
      h(
        'div',
        { class: 'field' },
        h('label', { class: 'check', for: enabled.id }, enabled, ` ${t('schedules.enabled')}`),
      ),
    ),
    whenList,
    wrap('days', days),
    wrap('args', field(t('schedules.args'), args, t('schedules.args.hint'))),
    h('div', { class: 'actions' }, submit),
    result,
  );
  return form;
}
