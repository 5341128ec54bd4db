// strategy/versions.ts - a stored strategy's versions (version, message, KST time), a diff
// of any two ("from"/"to", default the previous against the latest) and a button that
// loads an old version's code into the editor.

import { api, qs } from '../api';
import { field, h } from '../dom';
import { kst } from '../format';
import { strings, t } from '../i18n';
import { dataTable, errorNotice, loading, notice } from '../ui';
import { renderDiff } from './diff';
import type { ParamValues } from './params';

strings({
  ko: {
    'versions.title': '버전',
    'versions.version': '버전',
    'versions.message': '메시지',
    'versions.time': '저장 시각 (KST)',
    'versions.load': '편집기로 불러오기',
    'versions.load_label': '버전 {v} 코드를 편집기로 불러오기',
    'versions.from': '비교 기준 (이전)',
    'versions.to': '비교 대상 (이후)',
    'versions.show': '비교',
    'versions.diff': '변경 내용',
    'versions.one': '비교하려면 버전이 2개 이상 필요합니다',
    'versions.same': '두 버전의 코드가 같습니다',
  },
  en: {
    'versions.title': 'Versions',
    'versions.version': 'Version',
    'versions.message': 'Message',
    'versions.time': 'Saved (KST)',
    'versions.load': 'Load into editor',
    'versions.load_label': 'Load the code of version {v} into the editor',
    'versions.from': 'From (older)',
    'versions.to': 'To (newer)',
    'versions.show': 'Compare',
    'versions.diff': 'Changes',
    'versions.one': 'Comparing needs at least 2 versions',
    'versions.same': 'The two versions have the same code',
  },
});

interface Version {
  version: number;
  message: string;
  created_at: string;
}
interface VersionFull extends Version {
  code: string;
  params: ParamValues | null;
}

export interface VersionsPanel {
  el: HTMLElement;
  refresh(): Promise<void>;
}

export function versionsPanel(id: string, onLoad: (v: VersionFull) => void, signal: AbortSignal): VersionsPanel {
  const list = h('div', null, loading());
  const from = h('select', { id: 'diff-from' });
  const to = h('select', { id: 'diff-to' });
  const out = h('div', { id: 'strategy-diff-box', 'aria-live': 'polite' });
  const controls = h(
    'div',
    { class: 'row' },
    field(t('versions.from'), from),
    field(t('versions.to'), to),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'diff-show', onclick: () => void showDiff() }, t('versions.show')),
    ),
  );
  const el = h(
    'section',
    { class: 'panel', id: 'strategy-versions' },
    h('h2', null, t('versions.title')),
    list,
    h('h3', null, t('versions.diff')),
    controls,
    out,
  );
  from.addEventListener('change', () => void showDiff());
  to.addEventListener('change', () => void showDiff());

  async function showDiff(): Promise<void> {
    if (!from.value || !to.value) return;
    out.replaceChildren(loading());
    try {
      const d = await api.get<{ diff: string }>(
        `/strategies/${id}/diff${qs({ from: from.value, to: to.value })}`,
        signal,
      );
      out.replaceChildren(d.diff.trim() ? renderDiff(d.diff) : notice('info', t('versions.same')));
    } catch (e) {
      out.replaceChildren(errorNotice(e));
    }
  }

  async function load(v: number): Promise<void> {
    try {
      onLoad(await api.get<VersionFull>(`/strategies/${id}/versions/${v}`, signal));
    } catch (e) {
      list.prepend(errorNotice(e));
    }
  }

  async function refresh(): Promise<void> {
    try {
      const { versions } = await api.get<{ versions: Version[] }>(`/strategies/${id}/versions`, signal);
      const sorted = [...versions].sort((a, b) => a.version - b.version);
      list.replaceChildren(
        dataTable<Version>(
          [
            { key: 'version', label: t('versions.version'), num: true },
            { key: 'message', label: t('versions.message') },
            { key: 'created_at', label: t('versions.time'), cell: (r) => kst(r.created_at) },
            {
              key: 'load',
              label: t('versions.load'),
              value: () => '',
              cell: (r) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'small',
                    'data-version': r.version,
                    'aria-label': t('versions.load_label', { v: r.version }),
                    onclick: () => void load(r.version),
                  },
                  t('versions.load'),
                ),
            },
          ],
          sorted,
          { id: 'versions-table', sort: { key: 'version', desc: true } },
        ),
      );
      const opts = () =>
        sorted.map((v) => h('option', { value: v.version }, `v${v.version}${v.message ? ` · ${v.message}` : ''}`));
      from.replaceChildren(...opts());
      to.replaceChildren(...opts());
      if (sorted.length < 2) {
        controls.hidden = true;
        out.replaceChildren(notice('info', t('versions.one')));
        return;
      }
      controls.hidden = false;
      from.value = String(sorted[sorted.length - 2].version);
      to.value = String(sorted[sorted.length - 1].version);
      await showDiff();
    } catch (e) {
      list.replaceChildren(errorNotice(e));
    }
  }

  return { el, refresh };
}
