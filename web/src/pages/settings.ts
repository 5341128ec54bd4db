// Settings (#/settings): the risk limits of each of the caller's broker accounts
// (trader or admin) and this browser's UI preferences.

import { api } from '../api';
import { canTrade } from '../auth';
import { append, field, h, replace } from '../dom';
import { strings, t } from '../i18n';
import type { PageContext } from '../router';
import { prefsForm } from '../settings/prefs';
import { riskForm } from '../settings/risk';
import { errorNotice, loading, notice, panel } from '../ui';
import type { Account } from '../api_types';

strings({
  ko: {
    'settings.title': '설정',
    'settings.risk': '리스크 한도',
    'settings.prefs': '화면 설정',
    'settings.risk.forbidden': '리스크 한도는 트레이더 권한이 필요합니다.',
  },
  en: {
    'settings.title': 'Settings',
    'settings.risk': 'Risk limits',
    'settings.prefs': 'Display preferences',
    'settings.risk.forbidden': 'Risk limits need the trader role.',
  },
});

export default function page(root: HTMLElement, ctx: PageContext): void {
  const riskBody = h('div', null, loading());
  append(root, [
    h('h1', null, t('settings.title')),
    canTrade() ? panel(t('settings.risk'), riskBody) : null,
    panel(t('settings.prefs'), prefsForm()),
  ]);
  if (!canTrade()) {
    root.insertBefore(notice('info', t('settings.risk.forbidden')), root.children[1]);
    return;
  }
  void (async () => {
    try {
      const { accounts } = await api.get<{ accounts: Account[] }>('/accounts', ctx.signal);
      if (!accounts.length) {
        replace(riskBody, notice('info', t('settings.risk.no_accounts')));
        return;
      }
      const want = ctx.query.get('account');
      const sel = h(
        'select',
        { id: 'risk-account' },
        accounts.map((a) => h('option', { value: a.account }, a.name ? `${a.account} (${a.name})` : a.account)),
      );
      if (want && accounts.some((a) => a.account === want)) sel.value = want;
      const holder = h('div');
      const show = () => replace(holder, riskForm(sel.value, ctx.signal));
      sel.addEventListener('change', show);
      replace(riskBody, h('div', { class: 'form-grid' }, field(t('settings.risk.account'), sel)), holder);
      show();
    } catch (e) {
      if (!ctx.signal.aborted) replace(riskBody, errorNotice(e));
    }
  })();
}
