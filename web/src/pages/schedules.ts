// Schedules (#/schedules): the caller's scheduled jobs (docs/scheduler.md) with their
// next and last fire in KST, an enable/disable switch (PATCH), delete (after a
// confirmation) and the form for a new job.

import { api } from '../api';
import { canTrade, isAdmin } from '../auth';
import { append, h, replace } from '../dom';
import { kst } from '../format';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { scheduleForm } from '../schedules/form';
import { dataTable, errorNotice, loading, notice, panel } from '../ui';

strings({
  ko: {
    'schedules.title': '스케줄',
    'schedules.list': '예약된 작업',
    'schedules.days.every': '매 거래일',
    'schedules.owner': '소유자',
    'schedules.args.col': '인자',
    'schedules.next': '다음 실행 (KST)',
    'schedules.last': '마지막 실행 (KST)',
    'schedules.toggle': '"{name}" 사용',
    'schedules.delete': '삭제',
    'schedules.delete.label': '"{name}" 삭제',
    'schedules.delete.confirm': '스케줄 "{name}"을(를) 삭제할까요?',
    'schedules.deleted': '"{name}"을(를) 삭제했습니다',
    'schedules.toggled.on': '"{name}"을(를) 켰습니다',
    'schedules.toggled.off': '"{name}"을(를) 껐습니다',
    'schedules.forbidden': '스케줄은 트레이더 권한이 필요합니다.',
  },
  en: {
    'schedules.title': 'Schedules',
    'schedules.list': 'Scheduled jobs',
    'schedules.days.every': 'every trading day',
    'schedules.owner': 'Owner',
    'schedules.args.col': 'Arguments',
    'schedules.next': 'Next fire (KST)',
    'schedules.last': 'Last fired (KST)',
    'schedules.toggle': 'Enable "{name}"',
    'schedules.delete': 'Delete',
    'schedules.delete.label': 'Delete "{name}"',
    'schedules.delete.confirm': 'Delete the schedule "{name}"?',
    'schedules.deleted': 'Deleted "{name}"',
    'schedules.toggled.on': 'Enabled "{name}"',
    'schedules.toggled.off': 'Disabled "{name}"',
    'schedules.forbidden': 'Schedules need the trader role.',
  },
});

interface Job {
  id: number;
  owner: number;
  name: string;
  when: string;
  days: string[] | null;
  action: string;
  args: unknown;
  enabled: boolean;
  next_fire_at: string | null;
  last_fired_at: string | null;
}

export default function page(root: HTMLElement, ctx: PageContext): void {
  root.appendChild(h('h1', null, t('schedules.title')));
  if (!canTrade()) {
    root.appendChild(notice('warn', t('schedules.forbidden')));
    return;
  }
  const status = h('div', { id: 'sched-status', 'aria-live': 'polite' });
  const list = h('div', { id: 'sched-list' }, loading());

  const load = async () => {
    try {
      const { schedules } = await api.get<{ schedules: Job[] }>('/schedules', ctx.signal);
      replace(list, table(schedules));
    } catch (e) {
      if (!ctx.signal.aborted) replace(list, errorNotice(e));
    }
  };

  const toggle = async (job: Job, box: HTMLInputElement) => {
    box.disabled = true;
    try {
      await api.patch(`/schedules/${job.id}`, { enabled: box.checked });
      replace(
        status,
        notice('ok', t(box.checked ? 'schedules.toggled.on' : 'schedules.toggled.off', { name: job.name })),
      );
      await load();
    } catch (e) {
      box.checked = !box.checked;
      box.disabled = false;
      replace(status, errorNotice(e));
    }
  };

  const remove = async (job: Job) => {
    if (!window.confirm(t('schedules.delete.confirm', { name: job.name }))) return;
    try {
      await api.del(`/schedules/${job.id}`);
      replace(status, notice('ok', t('schedules.deleted', { name: job.name })));
      await load();
    } catch (e) {
      replace(status, errorNotice(e));
    }
  };

  const table = (jobs: Job[]) =>
    dataTable<Job>(
      [
        { key: 'name', label: t('schedules.name') },
        ...(isAdmin() ? [{ key: 'owner', label: t('schedules.owner'), num: true }] : []),
        { key: 'when', label: t('schedules.when') },
        {
          key: 'days',
          label: t('schedules.days'),
          value: (j) =>
            j.days?.length ? j.days.map((d) => t(`schedules.day.${d}`)).join(' ') : t('schedules.days.every'),
        },
        {
          key: 'action',
          label: t('schedules.action'),
          value: (j) => t(`schedules.action.${j.action}`),
          cell: (j) => h('span', { title: j.action }, t(`schedules.action.${j.action}`)),
        },
        {
          key: 'args',
          label: t('schedules.args.col'),
          value: (j) => (j.args ? JSON.stringify(j.args) : ''),
          cell: (j) => h('code', { class: 'sched-args' }, j.args ? JSON.stringify(j.args) : '–'),
        },
        {
          key: 'enabled',
          label: t('schedules.enabled'),
          value: (j) => (j.enabled ? 1 : 0),
          cell: (j) => {
            const box = h('input', {
              type: 'checkbox',
              class: 'sched-toggle',
              checked: j.enabled,
              'aria-label': t('schedules.toggle', { name: j.name }),
              'data-id': j.id,
            });
            box.addEventListener('change', () => void toggle(j, box));
            return box;
          },
        },
        {
          key: 'next_fire_at',
          label: t('schedules.next'),
          cell: (j) => h('span', { class: 'sched-next' }, kst(j.next_fire_at)),
        },
        { key: 'last_fired_at', label: t('schedules.last'), cell: (j) => kst(j.last_fired_at) },
        {
          key: 'delete',
          label: t('schedules.delete'),
          value: () => '',
          cell: (j) =>
            h(
              'button',
              {
                type: 'button',
                class: 'sched-delete',
                'data-id': j.id,
                'aria-label': t('schedules.delete.label', { name: j.name }),
                onclick: () => void remove(j),
              },
              t('schedules.delete'),
            ),
        },
      ],
      jobs,
      { id: 'sched-table', csv: 'stom-schedules.csv', sort: { key: 'next_fire_at', desc: false } },
    );

  append(root, [
    panel(t('schedules.list'), status, list),
    panel(
      t('schedules.new'),
      scheduleForm(() => void load()),
    ),
  ]);
  void load();
}
