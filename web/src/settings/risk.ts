// settings/risk.ts - the risk limits of one account (GET/PUT /accounts/{account}/risk):
// every documented limit with its Korean name and unit (empty = not set), per-strategy
// overrides as a small table, and the engine parser's error marked on its input.

import { api, ApiError } from '../api';
import { field, h, replace } from '../dom';
import { dec, kst, won } from '../format';
import { strings, t } from '../i18n';
import { errorNotice, loading, notice } from '../ui';
import {
  formatLimit,
  LIMITS,
  limitDef,
  limitLabel,
  parseLimit,
  unitLabel,
  type LimitDef,
  type LimitValue,
} from './limits';

strings({
  ko: {
    'settings.risk.account': '계좌',
    'settings.risk.none': '이 계좌에는 한도가 없습니다: 엔진이 모든 주문을 막습니다. 아래에서 설정하세요.',
    'settings.risk.updated': '마지막 저장: {at}',
    'settings.risk.empty_hint': '비워 두면 설정하지 않습니다',
    'settings.risk.overrides': '전략별 한도 (계좌 한도보다 좁게)',
    'settings.risk.override.strategy': '전략 인스턴스',
    'settings.risk.override.key': '한도',
    'settings.risk.override.value': '값',
    'settings.risk.override.strategy.label': '{n}번째 재정의의 전략 인스턴스',
    'settings.risk.override.key.label': '{n}번째 재정의의 한도',
    'settings.risk.override.value.label': '{n}번째 재정의의 값',
    'settings.risk.override.remove': '{n}번째 재정의 삭제',
    'settings.risk.override.add': '전략별 한도 추가',
    'settings.risk.override.none': '전략별 한도가 없습니다',
    'settings.risk.save': '한도 저장',
    'settings.risk.saving': '저장 중…',
    'settings.risk.applied': '저장했고 엔진에 적용했습니다 ({message})',
    'settings.risk.stored': '저장했습니다. 엔진이 실행 중이 아니어서 시작할 때 읽습니다 ({message})',
    'settings.risk.not_integer': '{field}: 정수를 입력하세요 ("{text}")',
    'settings.risk.need_strategy': '전략별 한도에 전략 인스턴스 이름이 필요합니다',
    'settings.risk.no_accounts': '연결된 증권 계좌가 없습니다.',
    'settings.risk.pct': '= {pct}%',
  },
  en: {
    'settings.risk.account': 'Account',
    'settings.risk.none': 'This account has no limits: the engine blocks all its orders. Set them below.',
    'settings.risk.updated': 'Last saved: {at}',
    'settings.risk.empty_hint': 'Empty means not set',
    'settings.risk.overrides': 'Per-strategy limits (narrower than the account)',
    'settings.risk.override.strategy': 'Strategy instance',
    'settings.risk.override.key': 'Limit',
    'settings.risk.override.value': 'Value',
    'settings.risk.override.strategy.label': 'Strategy instance of override {n}',
    'settings.risk.override.key.label': 'Limit of override {n}',
    'settings.risk.override.value.label': 'Value of override {n}',
    'settings.risk.override.remove': 'Remove override {n}',
    'settings.risk.override.add': 'Add a per-strategy limit',
    'settings.risk.override.none': 'No per-strategy limits',
    'settings.risk.save': 'Save limits',
    'settings.risk.saving': 'Saving…',
    'settings.risk.applied': 'Saved and applied by the engine ({message})',
    'settings.risk.stored': 'Saved; the engine is not running and reads them when it starts ({message})',
    'settings.risk.not_integer': '{field}: enter a whole number ("{text}")',
    'settings.risk.need_strategy': 'A per-strategy limit needs a strategy instance name',
    'settings.risk.no_accounts': 'No broker account.',
    'settings.risk.pct': '= {pct}%',
  },
});

type Limits = Record<string, unknown> & { strategies?: Record<string, Record<string, unknown>> };
interface RiskAnswer {
  account: string;
  limits: Limits | null;
  updated_at?: string | null;
  applied?: boolean;
  message?: string;
}

function limitInput(def: LimitDef, id: string, label?: string): HTMLInputElement | HTMLSelectElement {
  const aria = label ? { 'aria-label': label } : {};
  if (def.kind === 'bool')
    return h(
      'select',
      { id, ...aria },
      h('option', { value: '' }, t('settings.bool.unset')),
      h('option', { value: 'true' }, t('settings.bool.true')),
      h('option', { value: 'false' }, t('settings.bool.false')),
    );
  return h('input', {
    id,
    type: 'text',
    inputmode: def.kind === 'time' ? 'text' : 'numeric',
    placeholder: def.kind === 'time' ? '15:10' : '',
    autocomplete: 'off',
    ...aria,
  });
}

/** What a value means, under its input: "3.00%" for bp, "1,000,000원" for won. */
function meaning(def: LimitDef, text: string): string {
  const v = parseLimit(def, text);
  if (typeof v !== 'number') return '';
  if (def.kind === 'bp') return t('settings.risk.pct', { pct: dec(v / 100, 2) });
  if (def.kind === 'won') return won(v);
  return '';
}

interface OverrideRow {
  tr: HTMLTableRowElement;
  strategy: HTMLInputElement;
  key: HTMLSelectElement;
  value: () => HTMLInputElement | HTMLSelectElement;
}

export function riskForm(account: string, signal: AbortSignal): HTMLElement {
  const el = h('div', { id: 'risk-panel' }, loading());
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const overrides: OverrideRow[] = [];
  const overrideBody = h('tbody');
  const overrideTable = h(
    'div',
    { class: 'scroll-x' },
    h(
      'table',
      { class: 'data', id: 'risk-overrides' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('settings.risk.override.strategy')),
          h('th', { scope: 'col' }, t('settings.risk.override.key')),
          h('th', { scope: 'col' }, t('settings.risk.override.value')),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, '✕')),
        ),
      ),
      overrideBody,
    ),
  );
  const overrideEmpty = h('p', { class: 'muted' }, t('settings.risk.override.none'));
  const result = h('div', { id: 'risk-result', 'aria-live': 'polite' });
  const status = h('div');
  const save = h('button', { type: 'submit', class: 'primary', id: 'risk-save' }, t('settings.risk.save'));

  const renumber = () => {
    overrides.forEach((o, i) => {
      const n = i + 1;
      o.strategy.setAttribute('aria-label', t('settings.risk.override.strategy.label', { n }));
      o.key.setAttribute('aria-label', t('settings.risk.override.key.label', { n }));
      o.value().setAttribute('aria-label', t('settings.risk.override.value.label', { n }));
      o.tr.querySelector('button')?.setAttribute('aria-label', t('settings.risk.override.remove', { n }));
    });
    overrideEmpty.hidden = overrides.length > 0;
    overrideTable.hidden = overrides.length === 0;
  };

  const addOverride = (strategy = '', key = 'max_order_value', value?: unknown) => {
    const strat = h('input', {
      type: 'text',
      class: 'risk-ov-strategy',
      autocomplete: 'off',
      value: strategy,
      placeholder: 'instance_id',
    });
    const keySel = h(
      'select',
      { class: 'risk-ov-key' },
      LIMITS.map((l) => h('option', { value: l.key }, limitLabel(l.key))),
    );
    keySel.value = key;
    const valueCell = h('td');
    let valueInput: HTMLInputElement | HTMLSelectElement;
    const makeValue = (v?: unknown) => {
      const def = limitDef(keySel.value)!;
      valueInput = limitInput(def, '', '');
      valueInput.removeAttribute('id');
      valueInput.classList.add('risk-ov-value');
      valueInput.value = formatLimit(def, v);
      replace(
        valueCell,
        h('span', { class: 'unit-input' }, valueInput, h('span', { class: 'unit' }, unitLabel(def.kind))),
      );
    };
    makeValue(value);
    keySel.addEventListener('change', () => {
      makeValue();
      renumber();
    });
    const row: OverrideRow = { tr: h('tr'), strategy: strat, key: keySel, value: () => valueInput };
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'risk-ov-remove',
        onclick: () => {
          overrides.splice(overrides.indexOf(row), 1);
          row.tr.remove();
          renumber();
        },
      },
      '✕',
    );
    row.tr.append(h('td', null, strat), h('td', null, keySel), valueCell, h('td', null, remove));
    overrides.push(row);
    overrideBody.appendChild(row.tr);
    renumber();
  };

  const clearMarks = () => {
    el.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    el.querySelectorAll('.field.invalid').forEach((c) => c.classList.remove('invalid'));
  };
  const markControl = (c: HTMLElement | undefined) => {
    if (!c) return;
    c.setAttribute('aria-invalid', 'true');
    c.closest('.field')?.classList.add('invalid');
  };
  /** Marks the input a parser message names: risk.accounts.A.key or risk.accounts.A.strategies.S.key. */
  const markFromMessage = (msg: string) => {
    const path = msg.split(':')[0];
    const prefix = `risk.accounts.${account}.`;
    if (!path.startsWith(prefix)) return;
    const rest = path.slice(prefix.length);
    const key = rest.slice(rest.lastIndexOf('.') + 1);
    if (rest.startsWith('strategies.')) {
      const strategy = rest.slice('strategies.'.length, rest.lastIndexOf('.'));
      const row =
        overrides.find((o) => o.strategy.value.trim() === strategy && o.key.value === key) ??
        overrides.find((o) => o.strategy.value.trim() === strategy);
      markControl(row ? row.value() : undefined);
    } else markControl(inputs.get(key));
  };

  const collect = (): Limits | string => {
    const limits: Limits = {};
    for (const def of LIMITS) {
      const input = inputs.get(def.key)!;
      const v = parseLimit(def, input.value);
      if (v instanceof Error) {
        markControl(input);
        return t('settings.risk.not_integer', { field: def.key, text: input.value.trim() });
      }
      if (v !== undefined) limits[def.key] = v;
    }
    const strategies: Record<string, Record<string, LimitValue>> = {};
    for (const o of overrides) {
      const def = limitDef(o.key.value)!;
      const v = parseLimit(def, o.value().value);
      const name = o.strategy.value.trim();
      if (v instanceof Error) {
        markControl(o.value());
        return t('settings.risk.not_integer', { field: `strategies.${name}.${def.key}`, text: o.value().value.trim() });
      }
      if (v === undefined) continue;
      if (!name) {
        markControl(o.strategy);
        return t('settings.risk.need_strategy');
      }
      (strategies[name] ??= {})[def.key] = v;
    }
    if (Object.keys(strategies).length) limits.strategies = strategies;
    return limits;
  };

  const fill = (r: RiskAnswer) => {
    const limits = r.limits ?? {};
    for (const def of LIMITS) {
      const input = inputs.get(def.key)!;
      input.value =
        def.kind === 'bool'
          ? limits[def.key] === undefined || limits[def.key] === null
            ? ''
            : String(limits[def.key])
          : formatLimit(def, limits[def.key]);
      input.dispatchEvent(new Event('input'));
    }
    overrides.splice(0).forEach((o) => o.tr.remove());
    for (const [name, set] of Object.entries(limits.strategies ?? {}))
      for (const [k, v] of Object.entries(set)) if (limitDef(k)) addOverride(name, k, v);
    renumber();
    replace(
      status,
      r.limits ? null : notice('warn', t('settings.risk.none')),
      r.updated_at
        ? h('p', { class: 'muted', id: 'risk-updated' }, t('settings.risk.updated', { at: kst(r.updated_at) }))
        : null,
    );
  };

  const form = h(
    'form',
    {
      id: 'risk-form',
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        clearMarks();
        const limits = collect();
        if (typeof limits === 'string') {
          replace(result, notice('error', limits));
          return;
        }
        save.disabled = true;
        replace(result, notice('info', t('settings.risk.saving')));
        try {
          const r = await api.put<RiskAnswer>(`/accounts/${encodeURIComponent(account)}/risk`, limits);
          fill({ ...r, updated_at: new Date().toISOString() });
          const n = notice(
            'ok',
            t(r.applied ? 'settings.risk.applied' : 'settings.risk.stored', { message: r.message ?? '' }),
          );
          n.id = 'risk-saved';
          replace(result, n);
        } catch (e) {
          if (e instanceof ApiError) markFromMessage(e.fields.limits ?? e.message);
          const n = errorNotice(e);
          n.id = 'risk-error';
          replace(result, n);
        } finally {
          save.disabled = false;
        }
      },
    },
    status,
    h(
      'div',
      { class: 'form-grid' },
      LIMITS.map((def) => {
        const input = limitInput(def, `risk-${def.key}`);
        inputs.set(def.key, input);
        const hint = h('small', { class: 'hint risk-meaning' });
        input.addEventListener('input', () => (hint.textContent = meaning(def, input.value)));
        const f = field(
          limitLabel(def.key),
          h('span', { class: 'unit-input' }, input, h('span', { class: 'unit' }, unitLabel(def.kind))),
        );
        // field() labels the wrapper; point the label at the control itself.
        f.querySelector('label')!.setAttribute('for', input.id);
        f.appendChild(hint);
        return f;
      }),
    ),
    h('small', { class: 'hint muted' }, t('settings.risk.empty_hint')),
    h('h3', null, t('settings.risk.overrides')),
    overrideTable,
    overrideEmpty,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', id: 'risk-add-override', onclick: () => addOverride() },
        t('settings.risk.override.add'),
      ),
    ),
    h('div', { class: 'actions' }, save),
    result,
  );

  void (async () => {
    try {
      const r = await api.get<RiskAnswer>(`/accounts/${encodeURIComponent(account)}/risk`, signal);
      replace(el, form);
      fill(r);
    } catch (e) {
      if (!signal.aborted) replace(el, errorNotice(e));
    }
  })();
  return el;
}
