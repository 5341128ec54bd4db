// New backtest / optimization (#/runs/new?strategy=<id> | ?builtin=<name>): the request
// form of docs/gateway-api.md ("Backtests and optimizations"), checked in the browser
// with messages that name the field, then POST /backtests or /optimizations and the
// run's live progress; when it is done the page goes to its report or ranking.

import { ApiError, api } from '../api';
import { field, h } from '../dom';
import { won } from '../format';
import { strings, t } from '../i18n';
import { navigate, type PageContext } from '../router';
import { optimizeForm } from '../runform/optimize';
import { followRun } from '../runform/progress';
import { searchForm, type SearchForm } from '../runform/search';
import type { StoredSymbol } from '../api_types';
import { symbolPicker } from '../runform/symbols';
import { FieldError, paramForm, type ParamForm, type ParamSpec, type ParamValues } from '../strategy/params';
import type { Builtin, CheckResult, StrategySummary } from '../strategy/types';
import { errorNotice, errorText, loading, notice } from '../ui';

strings({
  ko: {
    'run_new.title': '새 백테스트 / 최적화',
    'run_new.kind': '실행 종류',
    'run_new.kind.backtest': '백테스트',
    'run_new.kind.optimize': '최적화',
    'run_new.strategy': '전략',
    'run_new.builtin_group': '기본 제공 전략',
    'run_new.mine_group': '내 전략',
    'run_new.version': '버전',
    'run_new.run_title': '실행 제목 (선택)',
    'run_new.data': '데이터',
    'run_new.timeframe': '봉 주기',
    'run_new.from': '시작일',
    'run_new.to': '종료일',
    'run_new.money': '자금과 비용',
    'run_new.cash': '초기 자금 (원)',
    'run_new.bet': '1회 매수 금액 (원)',
    'run_new.commission': '수수료 (bp, 1.5 = 0.015%)',
    'run_new.slippage': '슬리피지 (호가 틱 수)',
    'run_new.tax_note': '매도 세금은 거래일의 KRX 세율로 자동 적용됩니다',
    'run_new.params': '매개변수',
    'run_new.params_opt': '탐색하지 않는 매개변수는 이 값으로 고정됩니다',
    'run_new.optimize': '최적화 설정',
    'run_new.submit.backtest': '백테스트 실행',
    'run_new.submit.optimize': '최적화 실행',
    'run_new.submitting': '제출 중…',
    'run_new.err.strategy': '전략: 전략을 고르세요',
    'run_new.err.symbols': '종목: 하나 이상 고르세요',
    'run_new.err.from': '시작일: 날짜를 입력하세요',
    'run_new.err.to': '종료일: 날짜를 입력하세요',
    'run_new.err.order': '종료일: 시작일보다 앞설 수 없습니다',
    'run_new.err.money': '{name}: 1 이상의 정수(원)여야 합니다',
    'run_new.err.commission': '수수료: 0에서 1000 사이의 bp여야 합니다',
    'run_new.err.slippage': '슬리피지: 0에서 100 사이의 정수여야 합니다',
    'run_new.loading_params': '매개변수를 읽는 중…',
  },
  en: {
    'run_new.title': 'New backtest / optimization',
    'run_new.kind': 'Kind',
    'run_new.kind.backtest': 'Backtest',
    'run_new.kind.optimize': 'Optimization',
    'run_new.strategy': 'Strategy',
    'run_new.builtin_group': 'Built-in strategies',
    'run_new.mine_group': 'My strategies',
    'run_new.version': 'Version',
    'run_new.run_title': 'Run title (optional)',
    'run_new.data': 'Data',
    'run_new.timeframe': 'Timeframe',
    'run_new.from': 'From',
    'run_new.to': 'To',
    'run_new.money': 'Money and costs',
    'run_new.cash': 'Initial cash (KRW)',
    'run_new.bet': 'Amount per buy (KRW)',
    'run_new.commission': 'Commission (bp, 1.5 = 0.015%)',
    'run_new.slippage': 'Slippage (ticks)',
    'run_new.tax_note': 'The sell tax follows the KRX rate of the trade date automatically',
    'run_new.params': 'Parameters',
    'run_new.params_opt': 'Parameters that are not searched stay at these values',
    'run_new.optimize': 'Optimization',
    'run_new.submit.backtest': 'Run backtest',
    'run_new.submit.optimize': 'Run optimization',
    'run_new.submitting': 'Submitting…',
    'run_new.err.strategy': 'Strategy: pick a strategy',
    'run_new.err.symbols': 'Symbols: pick at least one',
    'run_new.err.from': 'From: enter a date',
    'run_new.err.to': 'To: enter a date',
    'run_new.err.order': 'To: cannot be before From',
    'run_new.err.money': '{name}: must be a whole number of won, 1 or more',
    'run_new.err.commission': 'Commission: must be 0 to 1000 bp',
    'run_new.err.slippage': 'Slippage: must be a whole number from 0 to 100',
    'run_new.loading_params': 'Reading the parameters…',
  },
});

interface Run {
  id: string;
  kind: string;
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );

export default async function runNewPage(root: HTMLElement, ctx: PageContext): Promise<() => void> {
  root.appendChild(loading());
  const [b, m, s] = await Promise.all([
    settle(api.get<{ strategies: Builtin[] }>('/strategies/builtin', ctx.signal)),
    settle(api.get<{ strategies: StrategySummary[] }>('/strategies', ctx.signal)),
    settle(api.get<{ symbols: StoredSymbol[] }>('/data/symbols', ctx.signal)),
  ]);
  root.replaceChildren();
  const loadErrors = [b, m, s].filter((r) => !r.ok).map((r) => errorNotice((r as { e: unknown }).e));
  const builtins = b.ok ? b.v.strategies : [];
  const mine = m.ok ? m.v.strategies : [];
  const symbols = s.ok ? s.v.symbols : [];

  let cleanupRun: (() => void) | null = null;
  let schema: ParamSpec[] = [];
  let params: ParamForm = paramForm([], {}, 'run-param');
  let search: SearchForm = searchForm([], () => {});

  // -- controls ------------------------------------------------------------------------
  const kindBacktest = h('input', {
    type: 'radio',
    name: 'run-kind',
    id: 'run-kind-backtest',
    value: 'backtest',
    checked: true,
  });
  const kindOptimize = h('input', { type: 'radio', name: 'run-kind', id: 'run-kind-optimize', value: 'optimization' });
  const strategy = h(
    'select',
    { id: 'run-strategy' },
    h(
      'optgroup',
      { label: t('run_new.builtin_group') },
      builtins.map((x) => h('option', { value: `b:${x.name}` }, x.name)),
    ),
    mine.length
      ? h(
          'optgroup',
          { label: t('run_new.mine_group') },
          mine.map((x) => h('option', { value: `s:${x.id}` }, `${x.name} (v${x.version})`)),
        )
      : null,
  );
  const version = h('select', { id: 'run-version' });
  const versionField = field(t('run_new.version'), version);
  const title = h('input', { id: 'run-title', type: 'text', maxlength: 200 });
  const timeframe = h(
    'select',
    { id: 'run-timeframe' },
    ['1m', '1d', '1s'].map((x) => h('option', { value: x }, x)),
  );
  const from = h('input', { id: 'run-from', type: 'date' });
  const to = h('input', { id: 'run-to', type: 'date' });
  const cash = h('input', { id: 'run-cash', type: 'number', min: 1, step: 1, value: 10000000, inputmode: 'numeric' });
  const bet = h('input', { id: 'run-bet', type: 'number', min: 1, step: 1, value: 1000000, inputmode: 'numeric' });
  const commission = h('input', { id: 'run-commission', type: 'number', min: 0, max: 1000, step: 'any', value: 1.5 });
  const slippage = h('input', { id: 'run-slippage', type: 'number', min: 0, max: 100, step: 1, value: 1 });
  const cashHint = h('small', { class: 'hint', id: 'run-cash-won' });
  const betHint = h('small', { class: 'hint', id: 'run-bet-won' });
  const showWon = () => {
    cashHint.textContent = won(Number(cash.value) || 0);
    betHint.textContent = won(Number(bet.value) || 0);
  };
  cash.addEventListener('input', showWon);
  bet.addEventListener('input', showWon);
  showWon();

  const picker = symbolPicker(symbols, (picked, changed) => {
    if (!picked.length) return;
    timeframe.value = changed.timeframe;
    const firsts = picked.map((x) => x.first.slice(0, 10)).sort();
    const lasts = picked.map((x) => x.last.slice(0, 10)).sort();
    from.value = firsts[0];
    to.value = lasts[lasts.length - 1];
  });
  timeframe.addEventListener('change', () => picker.setTimeframe(timeframe.value));

  const opt = optimizeForm(() => {});
  const paramsBox = h('div', { id: 'run-params' });
  const searchBox = h('div', { id: 'run-search-box' });
  const paramsNote = h('p', { class: 'hint', hidden: true }, t('run_new.params_opt'));
  const optPanel = h(
    'section',
    { class: 'panel', id: 'run-optimize', hidden: true },
    h('h2', null, t('run_new.optimize')),
    searchBox,
    opt.el,
  );
  const submit = h('button', { type: 'submit', class: 'primary', id: 'run-submit' }, t('run_new.submit.backtest'));
  const status = h('div', { id: 'run-status', 'aria-live': 'polite' });
  const progressBox = h('div', { id: 'run-progress-box' });
  const fields = h(
    'fieldset',
    { class: 'run-fields' },
    h('legend', { class: 'sr-only' }, t('run_new.title')),
    h(
      'section',
      { class: 'panel' },
      h(
        'div',
        { class: 'run-kind', role: 'radiogroup', 'aria-label': t('run_new.kind') },
        h('label', { for: kindBacktest.id }, kindBacktest, t('run_new.kind.backtest')),
        h('label', { for: kindOptimize.id }, kindOptimize, t('run_new.kind.optimize')),
      ),
      h(
        'div',
        { class: 'row' },
        field(t('run_new.strategy'), strategy),
        versionField,
        field(t('run_new.run_title'), title),
      ),
    ),
    h(
      'div',
      { class: 'split' },
      h(
        'section',
        { class: 'panel' },
        h('h2', null, t('run_new.data')),
        picker.el,
        h(
          'div',
          { class: 'row' },
          field(t('run_new.timeframe'), timeframe),
          field(t('run_new.from'), from),
          field(t('run_new.to'), to),
        ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', null, t('run_new.money')),
        h('div', { class: 'row' }, field(t('run_new.cash'), cash), field(t('run_new.bet'), bet)),
        h('div', { class: 'row' }, h('div', { class: 'field' }, cashHint), h('div', { class: 'field' }, betHint)),
        h('div', { class: 'row' }, field(t('run_new.commission'), commission), field(t('run_new.slippage'), slippage)),
        h('p', { class: 'hint' }, t('run_new.tax_note')),
      ),
    ),
    h('section', { class: 'panel' }, h('h2', null, t('run_new.params')), paramsNote, paramsBox),
    optPanel,
  );
  const form = h('form', { id: 'run-form', novalidate: true }, fields, h('div', { class: 'actions' }, submit), status);
  root.append(h('div', { class: 'st-head' }, h('h1', null, t('run_new.title'))), ...loadErrors, progressBox, form);

  for (const c of [strategy, version, title, timeframe, from, to, cash, bet, commission, slippage]) {
    c.addEventListener('input', () => c.removeAttribute('aria-invalid'));
    c.addEventListener('change', () => c.removeAttribute('aria-invalid'));
  }

  const optimizing = () => kindOptimize.checked;
  const syncKind = () => {
    optPanel.hidden = !optimizing();
    paramsNote.hidden = !optimizing();
    submit.textContent = t(optimizing() ? 'run_new.submit.optimize' : 'run_new.submit.backtest');
  };
  kindBacktest.addEventListener('change', syncKind);
  kindOptimize.addEventListener('change', syncKind);

  // -- the strategy's parameters --------------------------------------------------------
  let schemaGen = 0;
  const setSchema = (next: ParamSpec[], values: ParamValues) => {
    schema = next;
    params = paramForm(schema, values, 'run-param');
    paramsBox.replaceChildren(params.el);
    search = searchForm(schema, () => {});
    searchBox.replaceChildren(search.el);
  };
  const loadVersion = async (id: string, v: string, gen: number) => {
    paramsBox.replaceChildren(notice('info', t('run_new.loading_params')));
    try {
      const ver = await api.get<{ code: string; params: ParamValues | null }>(
        `/strategies/${id}/versions/${v}`,
        ctx.signal,
      );
      const check = await api.post<CheckResult>('/strategies/check', { code: ver.code });
      if (gen !== schemaGen) return;
      setSchema(check.params ?? [], ver.params ?? {});
    } catch (e) {
      if (gen === schemaGen) paramsBox.replaceChildren(errorNotice(e));
    }
  };
  const loadStrategy = async () => {
    const gen = ++schemaGen;
    const [kind, key] = [strategy.value.slice(0, 1), strategy.value.slice(2)];
    versionField.hidden = kind !== 's';
    if (kind === 'b') {
      setSchema(builtins.find((x) => x.name === key)?.params ?? [], {});
      return;
    }
    if (kind !== 's') return;
    paramsBox.replaceChildren(notice('info', t('run_new.loading_params')));
    try {
      const { versions } = await api.get<{ versions: { version: number; message: string }[] }>(
        `/strategies/${key}/versions`,
        ctx.signal,
      );
      if (gen !== schemaGen) return;
      const sorted = [...versions].sort((x, y) => y.version - x.version);
      version.replaceChildren(
        ...sorted.map((x) => h('option', { value: x.version }, `v${x.version}${x.message ? ` · ${x.message}` : ''}`)),
      );
      await loadVersion(key, version.value, gen);
    } catch (e) {
      if (gen === schemaGen) paramsBox.replaceChildren(errorNotice(e));
    }
  };
  strategy.addEventListener('change', () => void loadStrategy());
  version.addEventListener('change', () => {
    const gen = ++schemaGen;
    void loadVersion(strategy.value.slice(2), version.value, gen);
  });

  // Prefill from the query, else the first built-in; the first stored symbol (SAMPLE when there).
  const wantStrategy = ctx.query.get('strategy');
  const wantBuiltin = ctx.query.get('builtin');
  if (wantStrategy && mine.some((x) => String(x.id) === wantStrategy)) strategy.value = `s:${wantStrategy}`;
  else if (wantBuiltin && builtins.some((x) => x.name === wantBuiltin)) strategy.value = `b:${wantBuiltin}`;
  if (ctx.query.get('kind') === 'optimization') kindOptimize.checked = true;
  syncKind();
  await loadStrategy();
  const firstSymbol = symbols.find((x) => x.symbol === 'SAMPLE') ?? symbols[0];
  if (firstSymbol) {
    const box = document.getElementById(
      `run-symbol-${firstSymbol.symbol}-${firstSymbol.timeframe}`,
    ) as HTMLInputElement | null;
    if (box) {
      box.checked = true;
      box.dispatchEvent(new Event('change'));
    }
  }

  // -- checking and submitting ------------------------------------------------------------
  const controlOf = (name: string): HTMLElement | undefined => {
    const f = name.replace(/\[\d+\]/g, ''); // "constraints[0]" is the constraints box
    const fixed: Record<string, HTMLElement> = {
      strategy,
      'strategy.id': strategy,
      'strategy.version': version,
      symbols: picker.el,
      timeframe,
      period: from,
      'period.from': from,
      'period.to': to,
      initial_cash: cash,
      bet_amount: bet,
      costs: commission,
      'costs.commission_bp': commission,
      'costs.slippage_ticks': slippage,
      title,
    };
    if (fixed[f]) return fixed[f];
    if (f.startsWith('params.')) return params.input(f.slice(7).split('.')[0]);
    if (f.startsWith('search')) return search.control(f) ?? searchBox;
    return opt.control(f) ?? (f.includes('.') ? controlOf(f.slice(0, f.lastIndexOf('.'))) : undefined);
  };
  const mark = (f: string, text: string) => {
    status.replaceChildren(notice('error', text));
    const c = controlOf(f);
    if (c) {
      c.setAttribute('aria-invalid', 'true');
      if (c === picker.el) picker.focus();
      else c.focus();
    }
  };
  const clearMarks = () =>
    form.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.removeAttribute('aria-invalid'));
  picker.el.addEventListener('change', () => picker.el.removeAttribute('aria-invalid'));

  const wholeWon = (input: HTMLInputElement, name: string, f: string) => {
    const v = Number(input.value);
    if (input.value.trim() === '' || !Number.isInteger(v) || v < 1)
      throw new FieldError(f, t('run_new.err.money', { name }));
    return v;
  };

  const build = (): Record<string, unknown> => {
    const [kind, key] = [strategy.value.slice(0, 1), strategy.value.slice(2)];
    if (!key) throw new FieldError('strategy', t('run_new.err.strategy'));
    const body: Record<string, unknown> = {
      strategy: kind === 'b' ? key : { id: Number(key), version: Number(version.value) },
    };
    const syms = picker.selected();
    if (!syms.length) throw new FieldError('symbols', t('run_new.err.symbols'));
    body.symbols = syms.map((x) => x.symbol);
    body.timeframe = timeframe.value;
    if (!from.value) throw new FieldError('period.from', t('run_new.err.from'));
    if (!to.value) throw new FieldError('period.to', t('run_new.err.to'));
    if (to.value < from.value) throw new FieldError('period.to', t('run_new.err.order'));
    body.period = { from: from.value, to: to.value };
    const values = params.read();
    body.initial_cash = wholeWon(cash, t('run_new.cash'), 'initial_cash');
    body.bet_amount = wholeWon(bet, t('run_new.bet'), 'bet_amount');
    const bp = Number(commission.value);
    if (commission.value.trim() === '' || !(bp >= 0 && bp <= 1000))
      throw new FieldError('costs.commission_bp', t('run_new.err.commission'));
    const ticks = Number(slippage.value);
    if (slippage.value.trim() === '' || !Number.isInteger(ticks) || ticks < 0 || ticks > 100)
      throw new FieldError('costs.slippage_ticks', t('run_new.err.slippage'));
    body.costs = { commission_bp: bp, slippage_ticks: ticks };
    if (title.value.trim()) body.title = title.value.trim();
    if (optimizing()) {
      const ranges = search.read();
      for (const name of Object.keys(ranges)) delete values[name];
      body.search = ranges;
      const o = opt.read();
      Object.assign(body, { method: o.method, objective: o.objective, split: o.split });
      if (o.samples !== undefined) Object.assign(body, { samples: o.samples, seed: o.seed });
      if (o.constraints.length) body.constraints = o.constraints;
    }
    body.params = values;
    return body;
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (cleanupRun) return;
    clearMarks();
    let body: Record<string, unknown>;
    try {
      body = build();
    } catch (err) {
      if (err instanceof FieldError) {
        mark(err.field, err.message);
        return;
      }
      throw err;
    }
    const kind = optimizing() ? 'optimization' : 'backtest';
    fields.disabled = true;
    submit.disabled = true;
    status.replaceChildren(notice('info', t('run_new.submitting')));
    try {
      const run = await api.post<Run>(kind === 'optimization' ? '/optimizations' : '/backtests', body);
      status.replaceChildren();
      cleanupRun = followRun(progressBox, { id: run.id, kind }, (state) => {
        if (state === 'done') {
          navigate(kind === 'optimization' ? `/optimization/${run.id}` : `/report/${run.id}`);
          return;
        }
        cleanupRun?.();
        cleanupRun = null;
        fields.disabled = false;
        submit.disabled = false;
      });
      window.scrollTo({ top: 0 });
    } catch (err) {
      fields.disabled = false;
      submit.disabled = false;
      if (err instanceof ApiError && Object.keys(err.fields).length) mark(Object.keys(err.fields)[0], errorText(err));
      else status.replaceChildren(errorNotice(err));
    }
  });

  return () => cleanupRun?.();
}
