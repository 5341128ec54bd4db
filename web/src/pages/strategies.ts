// Strategies (#/strategies): the user's own strategies and the built-ins, with links to
// edit and to start a backtest.

import { api } from '../api';
import { h } from '../dom';
import { kst } from '../format';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { shortNum } from '../strategy/params';
import type { Builtin, StrategySummary } from '../strategy/types';
import { dataTable, errorNotice, loading, panel } from '../ui';

strings({
  ko: {
    'strategies.title': '전략',
    'strategies.new': '새 전략',
    'strategies.mine': '내 전략',
    'strategies.builtin': '기본 제공 전략',
    'strategies.name': '이름',
    'strategies.description': '설명',
    'strategies.version': '버전',
    'strategies.updated': '수정 시각 (KST)',
    'strategies.params': '매개변수 (기본값, 범위)',
    'strategies.actions': '작업',
    'strategies.edit': '편집',
    'strategies.backtest': '백테스트',
    'strategies.edit_label': '{name} 편집',
    'strategies.backtest_label': '{name} 백테스트',
    'strategies.empty': '아직 만든 전략이 없습니다. "새 전략"으로 시작하세요.',
  },
  en: {
    'strategies.title': 'Strategies',
    'strategies.new': 'New strategy',
    'strategies.mine': 'My strategies',
    'strategies.builtin': 'Built-in strategies',
    'strategies.name': 'Name',
    'strategies.description': 'Description',
    'strategies.version': 'Version',
    'strategies.updated': 'Updated (KST)',
    'strategies.params': 'Parameters (default, range)',
    'strategies.actions': 'Actions',
    'strategies.edit': 'Edit',
    'strategies.backtest': 'Backtest',
    'strategies.edit_label': 'Edit {name}',
    'strategies.backtest_label': 'Backtest {name}',
    'strategies.empty': 'No strategies yet. Start with "New strategy".',
  },
});

export default async function strategiesPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const mine = h('div', null, loading());
  const builtins = h('div', null, loading());
  root.append(
    h(
      'div',
      { class: 'st-head' },
      h('h1', null, t('strategies.title')),
      h('a', { class: 'st-btn primary', href: '#/strategies/new', id: 'strategy-new' }, t('strategies.new')),
    ),
    panel(t('strategies.mine'), mine),
    panel(t('strategies.builtin'), builtins),
  );

  const link = (href: string, text: string, label: string, cls = '') =>
    h('a', { href, class: `st-btn ${cls}`.trim(), 'aria-label': label }, text);

  const loadMine = async () => {
    try {
      const { strategies } = await api.get<{ strategies: StrategySummary[] }>('/strategies', ctx.signal);
      mine.replaceChildren(
        strategies.length
          ? dataTable<StrategySummary>(
              [
                {
                  key: 'name',
                  label: t('strategies.name'),
                  cell: (r) => h('a', { href: `#/strategies/${r.id}` }, r.name),
                },
                { key: 'description', label: t('strategies.description'), cls: () => 'st-wrap' },
                { key: 'version', label: t('strategies.version'), num: true },
                { key: 'updated_at', label: t('strategies.updated'), cell: (r) => kst(r.updated_at) },
                {
                  key: 'actions',
                  label: t('strategies.actions'),
                  value: () => '',
                  cell: (r) =>
                    h(
                      'span',
                      { class: 'st-actions' },
                      link(`#/strategies/${r.id}`, t('strategies.edit'), t('strategies.edit_label', { name: r.name })),
                      link(
                        `#/runs/new?strategy=${r.id}`,
                        t('strategies.backtest'),
                        t('strategies.backtest_label', { name: r.name }),
                      ),
                    ),
                },
              ],
              strategies,
              { id: 'strategies-table', csv: 'strategies.csv', sort: { key: 'updated_at', desc: true } },
            )
          : h('p', { class: 'notice info' }, t('strategies.empty')),
      );
    } catch (e) {
      mine.replaceChildren(errorNotice(e));
    }
  };

  const loadBuiltins = async () => {
    try {
      const { strategies } = await api.get<{ strategies: Builtin[] }>('/strategies/builtin', ctx.signal);
      builtins.replaceChildren(
        dataTable<Builtin>(
          [
            { key: 'name', label: t('strategies.name'), cell: (r) => h('code', null, r.name) },
            { key: 'description', label: t('strategies.description'), cls: () => 'st-wrap' },
            {
              key: 'params',
              label: t('strategies.params'),
              value: (r) => r.params.map((p) => `${p.name}=${shortNum(p.default as number)}`).join(' '),
              cell: (r) =>
                h(
                  'ul',
                  { class: 'st-params' },
                  r.params.map((p) =>
                    h(
                      'li',
                      { title: p.help ?? '' },
                      h('code', null, p.name),
                      ` = ${shortNum(p.default as number)} (${shortNum(p.min)} ~ ${shortNum(p.max)})`,
                    ),
                  ),
                ),
            },
            {
              key: 'actions',
              label: t('strategies.actions'),
              value: () => '',
              cell: (r) =>
                link(
                  `#/runs/new?builtin=${encodeURIComponent(r.name)}`,
                  t('strategies.backtest'),
                  t('strategies.backtest_label', { name: r.name }),
                ),
            },
          ],
          strategies,
          { id: 'builtins-table' },
        ),
      );
    } catch (e) {
      builtins.replaceChildren(errorNotice(e));
    }
  };
  await Promise.all([loadMine(), loadBuiltins()]);
}
