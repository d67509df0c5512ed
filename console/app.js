// app.js - the staff console: login, the shell (navigation, language, live inbox) and
// a hash router (#/day, #/clients, #/client/C000001, #/prospects, #/prospect/P000001, #/jobs, #/job/J000001, #/inbox,
// #/scores, #/admin, #/print/<kind>/<id>). Plain ES modules, no build step.
import * as api from './api.js';
import { h, clear, field, refusal, toast } from './ui.js';
import { t, lang, setLang } from './i18n.js';
import { pageDay } from './day.js';
import { pageClients, pageClient } from './clients.js';
import { pageProspects, pageProspect } from './prospects.js';
import { pageJobs, pageJob } from './jobs.js';
import { pageInbox, inboxState } from './inbox.js';
import { pageScores } from './scores.js';
import { pageAdmin } from './admin.js';
import { pagePrint } from './print.js';

const app = document.getElementById('app');
let stream = null;

function loginPage() {
  stopStream();
  const box = h('div', { class: 'login-error' });
  const [fId, id] = field(t('工号', 'Staff id'), { name: 'staff_id', autocomplete: 'username', required: true, autofocus: true });
  const [fPw, pw] = field(t('密码', 'Password'), { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'login card', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t('客户部工作台', 'Account desk')),
    fId, fPw, box,
    h('div', { class: 'row' },
      h('button', { type: 'submit', class: 'primary' }, t('登录', 'Log in')),
      langSwitch()));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(box);
    try {
      await api.login(id.value.trim(), pw.value);
      if (!location.hash || location.hash === '#/login') location.hash = '#/day';
      route();
    } catch (err) {
      box.append(refusal(err));
      pw.select();
    }
  });
  clear(app).append(h('main', { id: 'main' }, form));
  id.focus();
}

function langSwitch() {
  return h('button', {
    type: 'button', class: 'lang', lang: lang() === 'en' ? 'zh-CN' : 'en',
    onclick: () => { setLang(lang() === 'en' ? 'zh' : 'en'); route(); },
  }, lang() === 'en' ? '中文' : 'English');
}

const NAV = [
  ['#/day', '我的一天', 'My day'],
  ['#/clients', '客户', 'Clients'],
  ['#/prospects', '潜在客户', 'Prospects'],
  ['#/jobs', '工作单', 'Jobs'],
  ['#/inbox', '通知', 'Inbox'],
  ['#/scores', '考评', 'Scorecards'],
  ['#/admin', '管理', 'Admin'],
];

function shell(content) {
  const me = api.current();
  const here = location.hash.split('/').slice(0, 2).join('/');
  const unread = inboxState.unread;
  const nav = h('nav', { class: 'nav', 'aria-label': t('主导航', 'Main') },
    NAV.map(([href, zh, en]) => h('a', {
      href, 'aria-current': here === href || (href === '#/clients' && here === '#/client') || (href === '#/jobs' && here === '#/job') || (href === '#/prospects' && here === '#/prospect') ? 'page' : null,
    }, t(zh, en), href === '#/inbox' && unread ? h('span', { class: 'badge', 'aria-label': t(`${unread} 条未读`, `${unread} unread`) }, String(unread)) : null)));
  const header = h('header', { class: 'top' },
    h('a', { class: 'skip', href: '#main' }, t('跳到正文', 'Skip to content')),
    h('span', { class: 'brand' }, 'aedesk'),
    nav,
    h('span', { class: 'who' }, `${me.name}（${me.id}）`),
    langSwitch(),
    h('button', { type: 'button', onclick: async () => { await api.logout(); location.hash = '#/login'; loginPage(); } }, t('退出', 'Log out')));
  clear(app).append(header, h('main', { id: 'main', tabindex: '-1' }, content));
}

function stopStream() { if (stream) { stream.close(); stream = null; } }

function startStream() {
  if (stream) return;
  stream = api.events(inboxState.lastId, (n) => {
    inboxState.lastId = n.id;
    if (!n.read) inboxState.unread++;
    toast(t('新提醒', 'New reminder'), n.text, () => { location.hash = '#/inbox'; });
    const b = document.querySelector('.nav a[href="#/inbox"]');
    if (b) route(true);
  });
}

const PAGES = {
  day: pageDay, clients: pageClients, client: pageClient, prospects: pageProspects, prospect: pageProspect, jobs: pageJobs, job: pageJob,
  inbox: pageInbox, scores: pageScores, admin: pageAdmin,
};

let routing = 0;
// route draws the page the hash names; quiet: only refresh the shell's badge.
async function route(quiet) {
  const me = api.current() || await api.session();
  if (!me) { loginPage(); return; }
  await inboxState.refresh();
  startStream();
  if (quiet === true) {
    const nav = document.querySelector('.nav a[href="#/inbox"]');
    if (nav) {
      const old = nav.querySelector('.badge');
      if (old) old.remove();
      if (inboxState.unread) nav.append(h('span', { class: 'badge' }, String(inboxState.unread)));
    }
    return;
  }
  const parts = (location.hash || '#/day').slice(2).split('/').map(decodeURIComponent);
  const my = ++routing;
  if (parts[0] === 'print') {
    clear(app).append(await pagePrint(parts[1], parts.slice(2)));
    document.body.classList.add('printing');
    return;
  }
  document.body.classList.remove('printing');
  const page = PAGES[parts[0]] || pageDay;
  const content = h('div', { class: 'page' }, h('p', { class: 'loading' }, t('正在载入…', 'Loading…')));
  shell(content);
  try {
    const el = await page(...parts.slice(1));
    if (my !== routing) return;
    clear(content).append(el);
  } catch (err) {
    clear(content).append(refusal(err));
  }
  const hd = content.querySelector('h1');
  document.title = `${hd ? hd.textContent + ' · ' : ''}aedesk`;
}

window.addEventListener('hashchange', () => route());
window.addEventListener('aedesk-logged-out', () => { stopStream(); });
setLang(lang());
route();
