// runform/optimize.ts - an optimization's options: method (grid/random/genetic with
// samples and seed), objective (docs/optimization.md's names), constraints (one per
// line) and the validation split with its weeks.

import { field, h } from '../dom';
import { strings, t } from '../i18n';
import { FieldError } from '../strategy/params';

strings({
  ko: {
    'run_new.opt.method': '탐색 방법',
    'run_new.obj.TG': '수익금',
    'run_new.obj.TP': '수익률 합계',
    'run_new.obj.CAGR': '연평균 수익률 (STOM 방식)',
    'run_new.obj.GM': '수익금 / 최대낙폭(원)',
    'run_new.obj.PM': '수익률 합계 / 최대낙폭(%)',
    'run_new.obj.G2M': '수익금 × |수익금| / 최대낙폭(원)',
    'run_new.obj.P2M': '수익률 × |수익률| / 최대낙폭(%)',
    'run_new.obj.GAM': '수익금 × |평균 수익률| / 최대낙폭(원)',
    'run_new.obj.PAM': '수익률 × |평균 수익률| / 최대낙폭(%)',
    'run_new.obj.GWM': '수익금 × 승률 / 최대낙폭(원)',
    'run_new.obj.PWM': '수익률 × 승률 / 최대낙폭(%)',
    'run_new.obj.sharpe': '샤프 지수',
    'run_new.obj.sortino': '소르티노 지수',
    'run_new.obj.sqn': 'SQN',
    'run_new.obj.return': '총수익률 %',
    'run_new.opt.grid': '그리드 (모든 조합)',
    'run_new.opt.random': '무작위',
    'run_new.opt.genetic': '유전 알고리즘',
    'run_new.opt.samples': '표본 수',
    'run_new.opt.seed': '시드',
    'run_new.opt.objective': '기준값 (목적 함수)',
    'run_new.opt.constraints': '제약 조건 (한 줄에 하나)',
    'run_new.opt.constraints_hint': '예: mdd<=10, wr>=50, tc>20 (mdd, wr, atc, ap, cagr, tpi, mh, tc)',
    'run_new.opt.split': '검증 방식',
    'run_new.opt.split.none': '없음 (전체 기간)',
    'run_new.opt.split.holdout': '검증 (holdout)',
    'run_new.opt.split.cv': '교차검증 (cv)',
    'run_new.opt.split.test': '최적화 테스트 (test)',
    'run_new.opt.split.walkforward': '전진분석 (walkforward)',
    'run_new.opt.train_weeks': '학습 주 수',
    'run_new.opt.valid_weeks': '검증 주 수',
    'run_new.opt.test_weeks': '테스트 주 수',
    'run_new.opt.folds': '폴드 수',
    'run_new.opt.err.whole': '{name}: 0 이상의 정수여야 합니다',
    'run_new.opt.err.samples': '표본 수: 1 이상의 정수여야 합니다',
    'run_new.opt.err.constraint':
      '제약 조건 {n}행: "{text}"은(는) 이름, 비교(<=, >=, <, >, =) 그리고 숫자로 써야 합니다',
  },
  en: {
    'run_new.opt.method': 'Search method',
    'run_new.obj.TG': 'net profit',
    'run_new.obj.TP': 'sum of trade returns',
    'run_new.obj.CAGR': 'linear CAGR (STOM)',
    'run_new.obj.GM': 'profit / max drawdown (KRW)',
    'run_new.obj.PM': 'returns / max drawdown (%)',
    'run_new.obj.G2M': 'profit × |profit| / MDD (KRW)',
    'run_new.obj.P2M': 'returns × |returns| / MDD (%)',
    'run_new.obj.GAM': 'profit × |avg trade| / MDD (KRW)',
    'run_new.obj.PAM': 'returns × |avg trade| / MDD (%)',
    'run_new.obj.GWM': 'profit × win rate / MDD (KRW)',
    'run_new.obj.PWM': 'returns × win rate / MDD (%)',
    'run_new.obj.sharpe': 'Sharpe ratio',
    'run_new.obj.sortino': 'Sortino ratio',
    'run_new.obj.sqn': 'system quality number',
    'run_new.obj.return': 'total return %',
    'run_new.opt.grid': 'Grid (every combination)',
    'run_new.opt.random': 'Random',
    'run_new.opt.genetic': 'Genetic',
    'run_new.opt.samples': 'Samples',
    'run_new.opt.seed': 'Seed',
    'run_new.opt.objective': 'Objective',
    'run_new.opt.constraints': 'Constraints (one per line)',
    'run_new.opt.constraints_hint': 'e.g. mdd<=10, wr>=50, tc>20 (mdd, wr, atc, ap, cagr, tpi, mh, tc)',
    'run_new.opt.split': 'Validation',
    'run_new.opt.split.none': 'None (whole period)',
    'run_new.opt.split.holdout': 'Holdout',
    'run_new.opt.split.cv': 'Cross-validation (cv)',
    'run_new.opt.split.test': 'Optimization test (test)',
    'run_new.opt.split.walkforward': 'Walk-forward',
    'run_new.opt.train_weeks': 'Train weeks',
    'run_new.opt.valid_weeks': 'Validation weeks',
    'run_new.opt.test_weeks': 'Test weeks',
    'run_new.opt.folds': 'Folds',
    'run_new.opt.err.whole': '{name}: must be a whole number, 0 or more',
    'run_new.opt.err.samples': 'Samples: must be a whole number, 1 or more',
    'run_new.opt.err.constraint':
      'Constraint line {n}: "{text}" must be a name, a comparison (<=, >=, <, >, =) and a number',
  },
});

/** docs/optimization.md, "Objectives": STOM's names, then the standard ones. */
const OBJECTIVES = [
  'TG',
  'TP',
  'CAGR',
  'GM',
  'PM',
  'G2M',
  'P2M',
  'GAM',
  'PAM',
  'GWM',
  'PWM',
  'sharpe',
  'sortino',
  'sqn',
  'return',
];
const SPLITS = ['none', 'holdout', 'cv', 'test', 'walkforward'];
const CONSTRAINT = /^\s*[A-Za-z_]+\s*(<=|>=|<|>|=)\s*(-?[\d.]*\s*:?\s*-?[\d.]*)\s*$/;

export interface OptimizeOptions {
  method: string;
  samples?: number;
  seed?: number;
  objective: string;
  constraints: string[];
  split: Record<string, string | number>;
}

export interface OptimizeForm {
  el: HTMLElement;
  read(): OptimizeOptions;
  control(field: string): HTMLElement | undefined;
  method(): string;
}

export function optimizeForm(onChange: () => void): OptimizeForm {
  const method = h(
    'select',
    { id: 'run-method' },
    ['grid', 'random', 'genetic'].map((m) => h('option', { value: m }, t(`run_new.opt.${m}`))),
  );
  const samples = h('input', { id: 'run-samples', type: 'number', min: 1, step: 1, value: 50 });
  const seed = h('input', { id: 'run-seed', type: 'number', step: 1, value: 1 });
  const objective = h(
    'select',
    { id: 'run-objective' },
    OBJECTIVES.map((v) => h('option', { value: v }, `${v} · ${t(`run_new.obj.${v}`)}`)),
  );
  objective.value = 'sharpe';
  const constraints = h('textarea', { id: 'run-constraints', rows: 3, spellcheck: 'false', placeholder: 'mdd<=10' });
  const split = h(
    'select',
    { id: 'run-split' },
    SPLITS.map((s) => h('option', { value: s }, t(`run_new.opt.split.${s}`))),
  );
  const weeks = (id: string, value: number) => h('input', { id, type: 'number', min: 0, step: 1, value });
  const train = weeks('run-train-weeks', 8);
  const valid = weeks('run-valid-weeks', 2);
  const test = weeks('run-test-weeks', 2);
  const folds = weeks('run-folds', 3);
  const sampleFields = h(
    'div',
    { class: 'row' },
    field(t('run_new.opt.samples'), samples),
    field(t('run_new.opt.seed'), seed),
  );
  const weekFields = {
    train: field(t('run_new.opt.train_weeks'), train),
    valid: field(t('run_new.opt.valid_weeks'), valid),
    test: field(t('run_new.opt.test_weeks'), test),
    folds: field(t('run_new.opt.folds'), folds),
  };
  const sync = () => {
    sampleFields.hidden = method.value === 'grid';
    const s = split.value;
    weekFields.train.hidden = s === 'none';
    weekFields.valid.hidden = !['holdout', 'cv', 'test', 'walkforward'].includes(s);
    weekFields.test.hidden = !['test', 'walkforward'].includes(s);
    weekFields.folds.hidden = s !== 'cv';
    onChange();
  };
  method.addEventListener('change', sync);
  split.addEventListener('change', sync);
  for (const c of [samples, seed, constraints, train, valid, test, folds])
    c.addEventListener('input', () => c.removeAttribute('aria-invalid'));

  const el = h(
    'div',
    { class: 'run-opt' },
    h('div', { class: 'row' }, field(t('run_new.opt.method'), method), field(t('run_new.opt.objective'), objective)),
    sampleFields,
    field(t('run_new.opt.constraints'), constraints, t('run_new.opt.constraints_hint')),
    h(
      'div',
      { class: 'row' },
      field(t('run_new.opt.split'), split),
      weekFields.train,
      weekFields.valid,
      weekFields.test,
      weekFields.folds,
    ),
  );
  sync();

  const whole = (input: HTMLInputElement, name: string, fieldName: string, min = 0): number => {
    const v = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(v) || v < min)
      throw new FieldError(fieldName, t('run_new.opt.err.whole', { name }));
    return v;
  };
  const controls: Record<string, HTMLElement> = {
    method,
    samples,
    seed,
    objective,
    constraints,
    split,
    'split.kind': split,
    'split.train_weeks': train,
    'split.valid_weeks': valid,
    'split.test_weeks': test,
    'split.folds': folds,
  };

  return {
    el,
    method: () => method.value,
    control: (f) => controls[f],
    read() {
      const out: OptimizeOptions = {
        method: method.value,
        objective: objective.value,
        constraints: [],
        split: { kind: split.value },
      };
      if (method.value !== 'grid') {
        const n = Number(samples.value);
        if (!Number.isInteger(n) || n < 1) throw new FieldError('samples', t('run_new.opt.err.samples'));
        out.samples = n;
        out.seed = whole(seed, t('run_new.opt.seed'), 'seed');
      }
      const lines = constraints.value.split('\n');
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        if (!CONSTRAINT.test(line))
          throw new FieldError('constraints', t('run_new.opt.err.constraint', { n: i + 1, text: line.trim() }));
        out.constraints.push(line.trim());
      });
      const s = split.value;
      if (s !== 'none') out.split.train_weeks = whole(train, t('run_new.opt.train_weeks'), 'split.train_weeks');
      if (!weekFields.valid.hidden)
        out.split.valid_weeks = whole(valid, t('run_new.opt.valid_weeks'), 'split.valid_weeks');
      if (!weekFields.test.hidden) out.split.test_weeks = whole(test, t('run_new.opt.test_weeks'), 'split.test_weeks');
      if (s === 'cv') out.split.folds = whole(folds, t('run_new.opt.folds'), 'split.folds', 2);
      return out;
    },
  };
}
