// Admin (#/admin): the users (GET /admin/users, paged) with their role and disabled
// flag. Anyone but an admin gets a 403 notice (the navigation hides the link too).

import { api } from '../api';
import { isAdmin } from '../auth';
import { h, replace } from '../dom';
import { num } from '../format';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { usersTable, type User } from '../admin/users';
import { errorNotice, loading, notice, panel } from '../ui';

strings({
  ko: {
    'admin.title': '관리',
    'admin.users': '사용자',
    'admin.forbidden': '403: 관리자만 이 화면을 볼 수 있습니다.',
    'admin.page': '{from}–{to} / 전체 {total}명',
    'admin.prev': '이전',
    'admin.next': '다음',
    'admin.prev.label': '이전 사용자 목록',
    'admin.next.label': '다음 사용자 목록',
  },
  en: {
    'admin.title': 'Admin',
    'admin.users': 'Users',
    'admin.forbidden': '403: only an admin may see this page.',
    'admin.page': '{from}–{to} of {total}',
    'admin.prev': 'Previous',
    'admin.next': 'Next',
    'admin.prev.label': 'Previous page of users',
    'admin.next.label': 'Next page of users',
  },
});

const PAGE = 50;

export default function page(root: HTMLElement, ctx: PageContext): void {
  root.appendChild(h('h1', null, t('admin.title')));
  if (!isAdmin()) {
    const n = notice('error', t('admin.forbidden'));
    n.id = 'admin-forbidden';
    root.appendChild(n);
    return;
  }
  let offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  const status = h('div', { id: 'admin-status', 'aria-live': 'polite' });
  const body = h('div', { id: 'admin-users' }, loading());
  const pager = h('div', { class: 'actions' });
  const report = (ok: boolean, x: unknown) => replace(status, ok ? notice('ok', String(x)) : errorNotice(x));

  const load = async () => {
    try {
      const r = await api.get<{ users: User[]; total: number }>(
        `/admin/users?limit=${PAGE}&offset=${offset}`,
        ctx.signal,
      );
      replace(body, usersTable(r.users, report));
      replace(
        pager,
        h(
          'button',
          {
            type: 'button',
            id: 'admin-prev',
            'aria-label': t('admin.prev.label'),
            disabled: offset === 0,
            onclick: () => ((offset = Math.max(0, offset - PAGE)), void load()),
          },
          t('admin.prev'),
        ),
        h(
          'span',
          { class: 'muted' },
          t('admin.page', {
            from: num(r.users.length ? offset + 1 : 0),
            to: num(offset + r.users.length),
            total: num(r.total),
          }),
        ),
        h(
          'button',
          {
            type: 'button',
            id: 'admin-next',
            'aria-label': t('admin.next.label'),
            disabled: offset + r.users.length >= r.total,
            onclick: () => ((offset += PAGE), void load()),
          },
          t('admin.next'),
        ),
      );
    } catch (e) {
      if (!ctx.signal.aborted) replace(body, errorNotice(e));
    }
  };
  root.appendChild(panel(t('admin.users'), status, body, pager));
  void load();
}
