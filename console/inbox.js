// inbox.js - 通知: the caller's notifications, read and done; the live toasts come
// from app.js (the stream), which keeps inboxState.lastId.
import { call } from './api.js';
import { h, clear, act, fmtTime } from './ui.js';
import { t } from './i18n.js';

export const inboxState = {
  unread: 0,
  lastId: '',
  async refresh() {
    try {
      const r = await call('scheduler', 'InboxListRequest', { unread: true });
      this.unread = r.notifications.length;
      if (!this.lastId) this.lastId = r.last_id;
    } catch (e) { /* shown by the page that needs it */ }
  },
};

function objectLink(n) {
  if (n.object_type === 'job' && n.object_id) return h('a', { href: `#/job/${n.object_id}` }, n.object_id);
  if (n.client_id) return h('a', { href: `#/client/${n.client_id}` }, n.client_id);
  return null;
}

export async function pageInbox(which) {
  const all = which === 'all';
  const r = await call('scheduler', 'InboxListRequest', { all });
  const box = h('div');
  const list = h('ul', { class: 'inbox' });
  const draw = (notes) => {
    clear(list);
    if (!notes.length) list.append(h('li', { class: 'empty' }, t('没有待办通知。', 'Nothing waiting.')));
    for (const n of notes.slice().reverse()) {
      const li = h('li', { class: `note${n.read ? '' : ' unread'}${n.done ? ' done' : ''}`, id: `note-${n.id}` },
        h('div', { class: 'meta' }, h('span', { class: 'rule' }, n.rule), ' ', fmtTime(n.at_ms),
          n.late ? h('span', { class: 'late' }, t(' 迟发', ' late')) : null, ' ', objectLink(n)),
        h('p', {}, n.text),
        h('div', { class: 'row' },
          !n.read ? h('button', { type: 'button', onclick: () => mark(n, false) }, t('标为已读', 'Mark read')) : null,
          !n.done ? h('button', { type: 'button', onclick: () => mark(n, true) }, t('已办', 'Done')) : h('span', { class: 'ok' }, t('已办', 'done'))));
      list.append(li);
    }
  };
  const mark = (n, done) => act(box, () => call('scheduler', 'InboxMarkRequest', { id: n.id, read: true, done }), async () => {
    const again = await call('scheduler', 'InboxListRequest', { all });
    inboxState.unread = again.notifications.filter((x) => !x.read).length;
    draw(again.notifications);
  });
  draw(r.notifications);
  return h('div', {},
    h('h1', {}, t('通知', 'Inbox')),
    h('p', {}, all ? h('a', { href: '#/inbox' }, t('只看未办', 'Only what is not done'))
      : h('a', { href: '#/inbox/all' }, t('包括已办', 'Include done ones'))),
    box, list);
}
