// admin/users.ts - the users table of the admin page: role select and disabled checkbox
// per user, each change a PATCH /admin/users/{id}; changing one's own role asks first.

import { api } from '../api';
import { currentUser } from '../auth';
import { h } from '../dom';
import { kst } from '../format';
import { strings, t } from '../i18n';
import { dataTable } from '../ui';

strings({
  ko: {
    'admin.col.id': 'ID',
    'admin.col.username': '아이디',
    'admin.col.email': '이메일',
    'admin.col.role': '역할',
    'admin.col.disabled': '사용 중지',
    'admin.col.created': '가입 (KST)',
    'admin.role.user': '일반 (조회만)',
    'admin.role.trader': '트레이더',
    'admin.role.admin': '관리자',
    'admin.role.label': '{user}의 역할',
    'admin.disabled.label': '{user} 사용 중지',
    'admin.self': '(나)',
    'admin.confirm.self_role': '내 역할을 {role}(으)로 바꿀까요? 관리자 권한을 잃으면 이 화면을 더 쓸 수 없습니다.',
    'admin.confirm.disable': '{user} 계정을 사용 중지할까요? 로그인과 토큰 갱신이 막힙니다.',
    'admin.saved.role': '{user}의 역할을 {role}(으)로 바꿨습니다',
    'admin.saved.disabled': '{user}을(를) 사용 중지했습니다',
    'admin.saved.enabled': '{user}을(를) 다시 사용하게 했습니다',
  },
  en: {
    'admin.col.id': 'ID',
    'admin.col.username': 'Username',
    'admin.col.email': 'Email',
    'admin.col.role': 'Role',
    'admin.col.disabled': 'Disabled',
    'admin.col.created': 'Created (KST)',
    'admin.role.user': 'User (read only)',
    'admin.role.trader': 'Trader',
    'admin.role.admin': 'Admin',
    'admin.role.label': 'Role of {user}',
    'admin.disabled.label': 'Disable {user}',
    'admin.self': '(me)',
    'admin.confirm.self_role':
      'Change your own role to {role}? Without the admin role you can no longer use this page.',
    'admin.confirm.disable': 'Disable {user}? They can no longer sign in or refresh their session.',
    'admin.saved.role': 'Changed the role of {user} to {role}',
    'admin.saved.disabled': 'Disabled {user}',
    'admin.saved.enabled': 'Enabled {user} again',
  },
});

/** The roles the gateway accepts (gw_role_parse: user, trader, admin). */
export const ROLES = ['user', 'trader', 'admin'];

export interface User {
  id: number;
  username: string;
  email: string;
  role: string;
  disabled: boolean;
  created_at: string;
}

export function usersTable(users: User[], report: (ok: boolean, text: string | unknown) => void): HTMLElement {
  const me = currentUser()?.id;
  const roleCell = (u: User) => {
    const sel = h(
      'select',
      { class: 'admin-role', 'data-user': u.username, 'aria-label': t('admin.role.label', { user: u.username }) },
      (ROLES.includes(u.role) ? ROLES : [...ROLES, u.role]).map((r) =>
        h('option', { value: r }, t(`admin.role.${r}`).startsWith('admin.') ? r : t(`admin.role.${r}`)),
      ),
    );
    sel.value = u.role;
    sel.addEventListener('change', async () => {
      const role = sel.value;
      const label = t(`admin.role.${role}`);
      if (u.id === me && !window.confirm(t('admin.confirm.self_role', { role: label }))) {
        sel.value = u.role;
        return;
      }
      sel.disabled = true;
      try {
        const r = await api.patch<User>(`/admin/users/${u.id}`, { role });
        u.role = r.role;
        sel.value = r.role;
        report(true, t('admin.saved.role', { user: u.username, role: label }));
      } catch (e) {
        sel.value = u.role;
        report(false, e);
      } finally {
        sel.disabled = false;
      }
    });
    return sel;
  };
  const disabledCell = (u: User) => {
    const box = h('input', {
      type: 'checkbox',
      class: 'admin-disabled',
      'data-user': u.username,
      checked: u.disabled,
      'aria-label': t('admin.disabled.label', { user: u.username }),
    });
    box.addEventListener('change', async () => {
      if (box.checked && !window.confirm(t('admin.confirm.disable', { user: u.username }))) {
        box.checked = false;
        return;
      }
      box.disabled = true;
      try {
        const r = await api.patch<User>(`/admin/users/${u.id}`, { disabled: box.checked });
        u.disabled = r.disabled ?? box.checked;
        box.checked = u.disabled;
        report(true, t(u.disabled ? 'admin.saved.disabled' : 'admin.saved.enabled', { user: u.username }));
      } catch (e) {
        box.checked = u.disabled;
        report(false, e);
      } finally {
        box.disabled = false;
      }
    });
    return box;
  };
  return dataTable<User>(
    [
      { key: 'id', label: t('admin.col.id'), num: true },
      {
        key: 'username',
        label: t('admin.col.username'),
        cell: (u) =>
          u.id === me ? h('span', null, u.username, ' ', h('span', { class: 'muted' }, t('admin.self'))) : u.username,
      },
      { key: 'email', label: t('admin.col.email') },
      { key: 'role', label: t('admin.col.role'), cell: roleCell },
      { key: 'disabled', label: t('admin.col.disabled'), value: (u) => (u.disabled ? 1 : 0), cell: disabledCell },
      { key: 'created_at', label: t('admin.col.created'), cell: (u) => kst(u.created_at) },
    ],
    users,
    { id: 'admin-users-table', csv: 'stom-users.csv', sort: { key: 'id', desc: false } },
  );
}
