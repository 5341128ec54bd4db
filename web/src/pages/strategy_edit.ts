// Strategy editor (#/strategies/new, #/strategies/:id): Lua code in CodeMirror, 검사
// (POST /strategies/check) with errors at their lines, 저장 (checked first; POST or PUT
// with a version message), the parameter form from the check's schema, and for a stored
// strategy its versions with a diff.

import { ApiError, api } from '../api';
import { field, h } from '../dom';
import { strings, t } from '../i18n';
import { navigate, type PageContext } from '../router';
import { luaEditor, type LuaEditor, type Problem } from '../strategy/editor';
import { FieldError, paramForm, type ParamForm, type ParamSpec, type ParamValues } from '../strategy/params';
import { renderProblems } from '../strategy/problems';
import { TEMPLATE } from '../strategy/template';
import type { CheckResult, Strategy } from '../strategy/types';
import { versionsPanel, type VersionsPanel } from '../strategy/versions';
import { errorNotice, errorText, loading, notice } from '../ui';

strings({
  ko: {
    'strategy_edit.new_title': '새 전략',
    'strategy_edit.title': '전략: {name}',
    'strategy_edit.version': '현재 버전 {v}',
    'strategy_edit.code': '코드 (Lua)',
    'strategy_edit.editor_label': '전략 코드 편집기 (Lua)',
    'strategy_edit.name': '이름',
    'strategy_edit.description': '설명',
    'strategy_edit.message': '버전 메시지',
    'strategy_edit.message_hint': '이번 변경을 한 줄로 (선택)',
    'strategy_edit.check': '검사',
    'strategy_edit.save': '저장',
    'strategy_edit.save_hint': 'Ctrl+S / ⌘S로도 저장됩니다',
    'strategy_edit.backtest': '백테스트',
    'strategy_edit.back': '전략 목록',
    'strategy_edit.checking': '검사 중…',
    'strategy_edit.saving': '저장 중…',
    'strategy_edit.params': '매개변수',
    'strategy_edit.params_hint':
      '코드의 params 선언에서 읽은 값입니다. 여기서 정한 값이 이 전략의 기본값으로 저장됩니다.',
    'strategy_edit.params_stale': '검사를 실행하면 매개변수 표가 나타납니다',
    'strategy_edit.params_old': '코드에 오류가 있어 아래 표는 마지막으로 통과한 검사의 것입니다',
    'strategy_edit.need_name': '이름: 전략 이름을 입력하세요',
    'strategy_edit.not_saved': '저장하지 않았습니다: 검사 오류를 먼저 고치세요',
    'strategy_edit.saved': '버전 {v}으로 저장했습니다',
    'strategy_edit.created': '전략을 만들었습니다 (버전 1)',
    'strategy_edit.loaded': '버전 {v}의 코드를 편집기로 불러왔습니다. 저장하면 새 버전이 됩니다.',
  },
  en: {
    'strategy_edit.new_title': 'New strategy',
    'strategy_edit.title': 'Strategy: {name}',
    'strategy_edit.version': 'current version {v}',
    'strategy_edit.code': 'Code (Lua)',
    'strategy_edit.editor_label': 'Strategy code editor (Lua)',
    'strategy_edit.name': 'Name',
    'strategy_edit.description': 'Description',
    'strategy_edit.message': 'Version message',
    'strategy_edit.message_hint': 'One line about this change (optional)',
    'strategy_edit.check': 'Check',
    'strategy_edit.save': 'Save',
    'strategy_edit.save_hint': 'Ctrl+S / ⌘S saves too',
    'strategy_edit.backtest': 'Backtest',
    'strategy_edit.back': 'All strategies',
    'strategy_edit.checking': 'Checking…',
    'strategy_edit.saving': 'Saving…',
    'strategy_edit.params': 'Parameters',
    'strategy_edit.params_hint':
      'Read from the params declaration in the code. The values set here are saved as this strategy’s defaults.',
    'strategy_edit.params_stale': 'Run the check to see the parameter table',
    'strategy_edit.params_old': 'The code has errors: the table below is from the last check that passed',
    'strategy_edit.need_name': 'Name: enter a name for the strategy',
    'strategy_edit.not_saved': 'Not saved: fix the check’s errors first',
    'strategy_edit.saved': 'Saved as version {v}',
    'strategy_edit.created': 'Strategy created (version 1)',
    'strategy_edit.loaded': 'Loaded the code of version {v} into the editor. Saving makes it a new version.',
  },
});

export default async function strategyEditPage(root: HTMLElement, ctx: PageContext): Promise<() => void> {
  const id = ctx.params.id ?? null;
  let stored: Strategy | null = null;
  if (id) {
    root.appendChild(loading());
    try {
      stored = await api.get<Strategy>(`/strategies/${id}`, ctx.signal);
    } catch (e) {
      root.replaceChildren(errorNotice(e), h('p', null, h('a', { href: '#/strategies' }, t('strategy_edit.back'))));
      return () => {};
    }
    root.replaceChildren();
  }

  const heading = h('h1', null);
  const versionTag = h('span', { class: 'st-version', id: 'strategy-version' });
  const setHeading = () => {
    heading.replaceChildren(stored ? t('strategy_edit.title', { name: stored.name }) : t('strategy_edit.new_title'));
    versionTag.textContent = stored ? t('strategy_edit.version', { v: stored.version }) : '';
  };
  setHeading();

  const name = h('input', { id: 'strategy-name', type: 'text', maxlength: 100, required: true, autocomplete: 'off' });
  const description = h('input', {
    id: 'strategy-description',
    type: 'text',
    maxlength: 500,
    value: stored?.description ?? '',
  });
  const message = h('input', { id: 'strategy-message', type: 'text', maxlength: 200, autocomplete: 'off' });
  const checkBtn = h('button', { type: 'button', id: 'strategy-check' }, t('strategy_edit.check'));
  const saveBtn = h(
    'button',
    { type: 'button', class: 'primary', id: 'strategy-save', title: t('strategy_edit.save_hint') },
    t('strategy_edit.save'),
  );
  const status = h('div', { id: 'strategy-status', 'aria-live': 'polite' });
  const problems = h('div', { id: 'strategy-check-box', 'aria-live': 'polite' });
  const editorHost = h('div', { class: 'st-editor', id: 'strategy-editor' });
  const paramsHost = h('div', { id: 'strategy-params' }, h('p', { class: 'hint' }, t('strategy_edit.params_stale')));
  const paramsOld = h(
    'p',
    { class: 'notice warn', hidden: true, id: 'strategy-params-old' },
    t('strategy_edit.params_old'),
  );

  for (const input of [name, description, message])
    input.addEventListener('input', () => input.removeAttribute('aria-invalid'));

  root.append(
    h(
      'div',
      { class: 'st-head' },
      h('div', null, heading, versionTag),
      h(
        'div',
        { class: 'actions' },
        h('a', { href: '#/strategies', class: 'st-btn' }, t('strategy_edit.back')),
        stored
          ? h(
              'a',
              { href: `#/runs/new?strategy=${stored.id}`, class: 'st-btn', id: 'strategy-backtest' },
              t('strategy_edit.backtest'),
            )
          : null,
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('strategy_edit.code')),
      h(
        'div',
        { class: 'row' },
        stored ? null : field(t('strategy_edit.name'), name),
        field(t('strategy_edit.description'), description),
      ),
      editorHost,
      h(
        'div',
        { class: 'actions st-save-row' },
        checkBtn,
        stored ? field(t('strategy_edit.message'), message, t('strategy_edit.message_hint')) : null,
        saveBtn,
      ),
      status,
      problems,
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('strategy_edit.params')),
      h('p', { class: 'hint' }, t('strategy_edit.params_hint')),
      paramsOld,
      paramsHost,
    ),
  );

  let schema: ParamSpec[] = [];
  let values: ParamValues = { ...(stored?.params ?? {}) };
  let form: ParamForm | null = null;
  let busy = false;

  const editor: LuaEditor = luaEditor(editorHost, stored?.code ?? TEMPLATE, {
    label: t('strategy_edit.editor_label'),
    onSave: () => void save(),
    onChange: () => (dirty = true),
  });
  // Closing the tab with unsaved code asks first.
  let dirty = false;
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', beforeUnload);

  const showProblems = (errors: Problem[], warnings: Problem[]) => {
    editor.showProblems(errors, warnings);
    renderProblems(problems, errors, warnings, (line) => editor.gotoLine(line));
  };

  /** The values typed in the current form, unchecked (kept across a new schema). */
  const currentValues = (): ParamValues => {
    const out: ParamValues = { ...values };
    for (const p of schema) {
      const input = form?.input(p.name);
      if (!input) continue;
      if (p.type === 'bool') out[p.name] = input.checked;
      else if (input.value.trim() !== '' && Number.isFinite(Number(input.value))) out[p.name] = Number(input.value);
    }
    return out;
  };

  const setSchema = (next: ParamSpec[]) => {
    values = currentValues();
    schema = next;
    form = paramForm(schema, values, 'strategy-param');
    paramsHost.replaceChildren(form.el);
  };

  const check = async (): Promise<CheckResult | null> => {
    try {
      const r = await api.post<CheckResult>('/strategies/check', { code: editor.code() });
      if (ctx.signal.aborted) return null;
      showProblems(r.errors ?? [], r.warnings ?? []);
      if (r.ok) setSchema(r.params ?? []);
      paramsOld.hidden = r.ok || !form;
      return r;
    } catch (e) {
      status.replaceChildren(errorNotice(e));
      return null;
    }
  };

  const markField = (input: HTMLElement | undefined, text: string) => {
    status.replaceChildren(notice('error', text));
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  };

  const runCheck = async () => {
    if (busy) return;
    busy = true;
    checkBtn.disabled = true;
    status.replaceChildren(notice('info', t('strategy_edit.checking')));
    const r = await check();
    if (r) status.replaceChildren();
    checkBtn.disabled = false;
    busy = false;
  };

  async function save(): Promise<void> {
    if (busy) return;
    if (!stored && !name.value.trim()) {
      markField(name, t('strategy_edit.need_name'));
      return;
    }
    busy = true;
    saveBtn.disabled = checkBtn.disabled = true;
    status.replaceChildren(notice('info', t('strategy_edit.saving')));
    try {
      const r = await check();
      if (!r) return;
      if (!r.ok) {
        status.replaceChildren(notice('error', t('strategy_edit.not_saved')));
        return;
      }
      let params: ParamValues;
      try {
        params = form ? form.read() : {};
      } catch (e) {
        if (e instanceof FieldError) {
          markField(form?.input(e.field.replace(/^params\./, '')), e.message);
          return;
        }
        throw e;
      }
      const code = editor.code();
      if (!stored) {
        const created = await api.post<Strategy>('/strategies', {
          name: name.value.trim(),
          code,
          description: description.value.trim(),
          params,
        });
        dirty = false;
        navigate(`/strategies/${created.id}?created=1`);
        return;
      }
      const updated = await api.put<Strategy>(`/strategies/${stored.id}`, {
        code,
        description: description.value.trim(),
        params,
        message: message.value.trim(),
      });
      stored = updated;
      dirty = false;
      values = { ...(updated.params ?? params) };
      message.value = '';
      setHeading();
      status.replaceChildren(notice('ok', t('strategy_edit.saved', { v: updated.version })));
      await versions?.refresh();
    } catch (e) {
      const body = e instanceof ApiError ? (e.body as { error?: { errors?: Problem[] } } | null) : null;
      if (body?.error?.errors?.length) showProblems(body.error.errors, []);
      if (e instanceof ApiError) {
        const f = Object.keys(e.fields)[0] ?? '';
        const input =
          f === 'name'
            ? name
            : f === 'description'
              ? description
              : f === 'message'
                ? message
                : f.startsWith('params.')
                  ? form?.input(f.slice(7))
                  : undefined;
        markField(input, errorText(e));
      } else status.replaceChildren(errorNotice(e));
    } finally {
      busy = false;
      saveBtn.disabled = checkBtn.disabled = false;
    }
  }

  checkBtn.addEventListener('click', () => void runCheck());
  saveBtn.addEventListener('click', () => void save());
  const onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && !e.defaultPrevented) {
      e.preventDefault();
      void save();
    }
  };
  document.addEventListener('keydown', onKey);

  let versions: VersionsPanel | null = null;
  if (stored) {
    versions = versionsPanel(
      String(stored.id),
      (v) => {
        editor.setCode(v.code);
        values = { ...(v.params ?? {}) };
        schema = [];
        form = null;
        problems.replaceChildren();
        status.replaceChildren(notice('info', t('strategy_edit.loaded', { v: v.version })));
        void check();
        editor.gotoLine(1);
      },
      ctx.signal,
    );
    root.appendChild(versions.el);
    void versions.refresh();
    if (ctx.query.get('created')) status.replaceChildren(notice('ok', t('strategy_edit.created')));
  } else {
    name.focus();
  }
  // The parameter table from the code as it is (a stored strategy passed its check).
  void check().then((r) => {
    // A quiet first check: only a failing one leaves its list on screen.
    if (r?.ok && !r.warnings?.length) problems.replaceChildren();
  });

  return () => {
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('beforeunload', beforeUnload);
    editor.destroy();
  };
}
