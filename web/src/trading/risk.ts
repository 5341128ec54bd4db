// trading/risk.ts - the account's risk state: the engine's status (broker, halt and its
// reason, market-data gaps), the account's limits, the latest risk events, and the kill
// switch (POST /kill with a reason asked in a dialog) and resume (POST /resume).

import { api, qs } from '../api';
import { field, h } from '../dom';
import { kst, num } from '../format';
import { t } from '../i18n';
import { dataTable, errorNotice, notice, panel } from '../ui';
import { riskLabel } from './labels';
import { fill, kv } from './util';
import type { RiskEvent } from '../api_types';

interface EngineStatus {
  broker_up: boolean;
  halted: boolean;
  halt_reason: string;
  md_gaps: number;
  checked_at: string;
  accounts: { account: string; halted: boolean | null; halt_reason?: string; error?: string }[];
}

export function riskSection(account: () => string): { el: HTMLElement; load: () => Promise<void> } {
  const stateBody = h('div', { id: 'risk-state' });
  const limitsBody = h('div', { id: 'risk-limits' });
  const eventsBody = h('div', { id: 'risk-events' });
  const msg = h('div', { 'aria-live': 'polite' });

  const reason = h('input', { id: 'kill-reason', maxlength: 200, autocomplete: 'off' });
  const dlgMsg = h('div');
  const dialog = h(
    'dialog',
    { class: 'confirm', id: 'kill-dialog', 'aria-labelledby': 'kill-title' },
    h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'kill-title' }, t('trading.kill.title')),
      field(t('trading.kill.reason'), reason),
      dlgMsg,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'danger', id: 'kill-confirm', value: 'kill' }, t('trading.kill.confirm')),
        h('button', { type: 'button', id: 'kill-cancel', onclick: () => dialog.close() }, t('trading.kill.cancel')),
      ),
    ),
  );
  const killBtn = h(
    'button',
    {
      type: 'button',
      class: 'danger kill',
      id: 'kill-btn',
      onclick: () => {
        reason.value = '';
        dlgMsg.replaceChildren();
        dialog.showModal();
        reason.focus();
      },
    },
    t('trading.kill'),
  );
  const resumeBtn = h('button', { type: 'button', id: 'resume-btn' }, t('trading.resume'));

  dialog.querySelector('form')!.addEventListener('submit', async (e) => {
    e.preventDefault();
    const why = reason.value.trim();
    if (!why) return dlgMsg.replaceChildren(notice('warn', t('trading.kill.need_reason')));
    try {
      await api.post('/kill', { account: account(), reason: why });
      dialog.close();
      msg.replaceChildren(notice('ok', t('trading.kill.done')));
      await load();
    } catch (err) {
      dlgMsg.replaceChildren(errorNotice(err));
    }
  });
  resumeBtn.addEventListener('click', async () => {
    resumeBtn.disabled = true;
    try {
      await api.post('/resume', { account: account() });
      msg.replaceChildren(notice('ok', t('trading.resume.done')));
      await load();
    } catch (err) {
      msg.replaceChildren(errorNotice(err));
    } finally {
      resumeBtn.disabled = false;
    }
  });

  const loadState = () =>
    fill(stateBody, async () => {
      const s = await api.get<EngineStatus>('/engine/status');
      const a = s.accounts.find((x) => x.account === account());
      const halted = Boolean(s.halted || a?.halted);
      const why = (a?.halted ? a.halt_reason : '') || (s.halted ? s.halt_reason : '') || '';
      return kv([
        [
          t('trading.risk.broker'),
          h(
            'span',
            { class: s.broker_up ? 'state-ok' : 'state-halted' },
            t(s.broker_up ? 'trading.risk.broker_up' : 'trading.risk.broker_down'),
          ),
        ],
        [
          t('trading.risk.trading'),
          h(
            'span',
            { id: 'risk-halted', 'data-halted': String(halted), class: halted ? 'state-halted' : 'state-ok' },
            t(halted ? 'trading.risk.halted' : 'trading.risk.active'),
          ),
        ],
        [t('trading.risk.reason'), why || '–', 'risk-reason'],
        [t('trading.risk.md_gaps'), num(s.md_gaps)],
        [t('trading.risk.checked'), kst(s.checked_at)],
      ]);
    });
  const loadLimits = () =>
    fill(limitsBody, async () => {
      const r = await api.get<{ limits: Record<string, unknown> | null }>(
        `/accounts/${encodeURIComponent(account())}/risk`,
      );
      if (!r.limits) return notice('warn', t('trading.risk.no_limits'));
      const pairs: [string, string][] = Object.entries(r.limits)
        .filter(([, v]) => typeof v !== 'object')
        .map(([k, v]) => [k, typeof v === 'number' ? num(v) : String(v)]);
      return h('details', null, h('summary', null, t('trading.risk.limits')), kv(pairs));
    });
  const loadEvents = () =>
    fill(eventsBody, async () => {
      const r = await api.get<{ events: RiskEvent[] }>(`/risk/events${qs({ account: account(), limit: 10 })}`);
      return dataTable<RiskEvent>(
        [
          { key: 'at', label: t('trading.col.time'), cell: (e) => kst(e.at) },
          { key: 'kind', label: t('trading.col.kind'), cell: (e) => riskLabel('kind', e.kind) },
          { key: 'action', label: t('trading.col.state'), cell: (e) => riskLabel('action', e.action) },
          { key: 'symbol', label: t('trading.col.symbol'), cell: (e) => e.symbol || '–' },
          { key: 'message', label: t('trading.col.reason'), cell: (e) => e.message || e.rule || '–' },
        ],
        r.events,
        { id: 'risk-events-table', sortable: false },
      );
    });
  const load = async () => {
    await Promise.all([loadState(), loadLimits(), loadEvents()]);
  };
  const el = panel(
    t('trading.risk'),
    stateBody,
    h('div', { class: 'kill-row' }, killBtn, resumeBtn),
    msg,
    limitsBody,
    h('h3', null, t('trading.risk.events')),
    eventsBody,
    dialog,
  );
  return { el, load };
}
