// strategy/params.ts - a strategy's parameter schema (from the check or the built-ins'
// list) as a form of inputs with the defaults; values are checked in the browser against
// the schema (whole numbers for int, min..max) with a message that names the field.

import { h } from '../dom';
import { strings, t } from '../i18n';
import { num } from '../format';

strings({
  ko: {
    'params.name': '이름',
    'params.type': '형식',
    'params.value': '값',
    'params.range': '범위',
    'params.help': '설명',
    'params.none': '이 전략에는 매개변수가 없습니다',
    'params.reset': '기본값으로',
    'params.err.required': '{name}: 값을 입력하세요',
    'params.err.whole': '{name}: 정수여야 합니다',
    'params.err.number': '{name}: 숫자가 아닙니다',
    'params.err.range': '{name}: {min} 이상 {max} 이하여야 합니다',
    'params.input': '매개변수 {name} 값',
  },
  en: {
    'params.name': 'Name',
    'params.type': 'Type',
    'params.value': 'Value',
    'params.range': 'Range',
    'params.help': 'Description',
    'params.none': 'This strategy has no parameters',
    'params.reset': 'Reset to defaults',
    'params.err.required': '{name}: enter a value',
    'params.err.whole': '{name}: must be a whole number',
    'params.err.number': '{name}: not a number',
    'params.err.range': '{name}: must be between {min} and {max}',
    'params.input': 'Value of parameter {name}',
  },
});

export interface ParamSpec {
  name: string;
  type: 'int' | 'float' | 'bool' | string;
  default: number | boolean;
  min?: number;
  max?: number;
  step?: number;
  help?: string;
}

export type ParamValues = Record<string, number | boolean>;

/** A value the browser refused, naming its field (a request field like "params.fast"). */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Floats from the gateway (0.10000000000000001) shown short. */
export function shortNum(v: number | undefined): string {
  if (v === undefined || v === null) return '';
  return String(Number(v.toPrecision(12)));
}

/** Checks one typed number against a parameter's schema; returns the value or throws. */
export function checkNumber(p: ParamSpec, text: string, field: string, label = p.name): number {
  if (text.trim() === '') throw new FieldError(field, t('params.err.required', { name: label }));
  const v = Number(text);
  if (!Number.isFinite(v)) throw new FieldError(field, t('params.err.number', { name: label }));
  if (p.type === 'int' && !Number.isInteger(v)) throw new FieldError(field, t('params.err.whole', { name: label }));
  if ((p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) {
    throw new FieldError(field, t('params.err.range', { name: label, min: shortNum(p.min), max: shortNum(p.max) }));
  }
  return v;
}

export interface ParamForm {
  el: HTMLElement;
  /** The values, checked; throws FieldError naming `params.<name>`. */
  read(): ParamValues;
  /** The input of a parameter (to mark it invalid). */
  input(name: string): HTMLInputElement | undefined;
}

export function paramForm(schema: ParamSpec[], values: ParamValues = {}, idPrefix = 'param'): ParamForm {
  const inputs = new Map<string, HTMLInputElement>();
  if (!schema.length) {
    return { el: h('p', { class: 'hint params-none' }, t('params.none')), read: () => ({}), input: () => undefined };
  }
  const rows = schema.map((p) => {
    const v = p.name in values ? values[p.name] : p.default;
    const input =
      p.type === 'bool'
        ? h('input', { type: 'checkbox', checked: Boolean(v) })
        : h('input', {
            type: 'number',
            inputmode: p.type === 'int' ? 'numeric' : 'decimal',
            step: p.type === 'int' ? '1' : 'any',
            min: p.min,
            max: p.max,
            value: typeof v === 'number' ? shortNum(v) : '',
          });
    input.id = `${idPrefix}-${p.name}`;
    input.dataset.param = p.name;
    input.setAttribute('aria-label', t('params.input', { name: p.name }));
    input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
    inputs.set(p.name, input);
    const range = p.type === 'bool' ? '' : `${shortNum(p.min)} ~ ${shortNum(p.max)}`;
    return h(
      'tr',
      null,
      h('th', { scope: 'row' }, h('label', { for: input.id }, p.name)),
      h('td', null, p.type),
      h('td', null, input),
      h('td', { class: 'num' }, range),
      h('td', { class: 'hint' }, p.help ?? ''),
    );
  });
  const table = h(
    'table',
    { class: 'data params-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['params.name', 'params.type', 'params.value', 'params.range', 'params.help'].map((k) =>
          h('th', { scope: 'col' }, t(k)),
        ),
      ),
    ),
    h('tbody', null, rows),
  );
  const reset = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        for (const p of schema) {
          const input = inputs.get(p.name)!;
          if (p.type === 'bool') input.checked = Boolean(p.default);
          else input.value = shortNum(p.default as number);
          input.removeAttribute('aria-invalid');
        }
      },
    },
    t('params.reset'),
  );
  return {
    el: h(
      'div',
      { class: 'params-form' },
      h('div', { class: 'scroll-x' }, table),
      h('div', { class: 'actions' }, reset),
    ),
    read() {
      const out: ParamValues = {};
      for (const p of schema) {
        const input = inputs.get(p.name)!;
        out[p.name] = p.type === 'bool' ? input.checked : checkNumber(p, input.value, `params.${p.name}`);
      }
      return out;
    },
    input: (name) => inputs.get(name),
  };
}

/** "1,234" for a count of combinations. */
export function count(n: number): string {
  return Number.isFinite(n) ? num(n) : '∞';
}
