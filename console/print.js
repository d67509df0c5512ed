// print.js - the printable documents, laid out for A4 by print.css: the creative brief
// (创意简报), the estimate (估价单, with the uppercase amount and signature lines), the
// meeting minutes (会议记录) and the client dossier (客户基本资料).
import { call } from './api.js';
import { h, table, fmtTime, fmtDate, fen } from './ui.js';
import { t, stage } from './i18n.js';
import { BRIEF } from './jobs.js';
import { PROFILE_LABELS } from './profile-labels.js';

function doc(title, back, ...body) {
  const printBtn = h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, t('打印', 'Print'));
  return h('div', { class: 'print-page' },
    h('div', { class: 'toolbar no-print' }, h('a', { href: back }, t('← 返回', '← Back')), printBtn),
    h('article', { class: 'doc', 'aria-label': title }, h('h1', {}, title), ...body));
}

function sigLines(names) {
  return h('div', { class: 'signatures' }, names.map((n) => h('div', { class: 'sig' }, h('div', { class: 'line' }), h('div', {}, n), h('div', { class: 'date' }, '日期：　　年　　月　　日'))));
}

async function estimate(jobId, estId) {
  const r = await call('jobs', 'JobGetRequest', { id: jobId });
  const e = r.estimates.find((x) => x.id === estId) || r.estimates[0];
  if (!e) throw new Error(t('没有估价单', 'no estimate'));
  const job = r.job;
  return doc('估 价 单', `#/job/${job.id}`,
    h('table', { class: 'head' }, h('tbody', {},
      h('tr', {}, h('th', {}, '客户'), h('td', {}, job.client_name), h('th', {}, '编号'), h('td', {}, e.id)),
      h('tr', {}, h('th', {}, '工作单'), h('td', {}, `${job.number || job.id} ${job.title}`), h('th', {}, '日期'), h('td', {}, fmtDate(e.prepared_ms))))),
    table(['项目', '数量', '单价', '金额'], e.lines.map((l) => [l.item, String(l.quantity), fen(l.unit_fen), fen(l.amount_fen)]), 'lines'),
    h('p', { class: 'amount' }, h('span', {}, '合计金额（大写）：人民币'), h('strong', { class: 'upper' }, e.total_upper), h('span', { class: 'figure' }, `　${fen(e.total_fen)}`)),
    h('p', { class: 'note' }, '本估价单经客户签字确认后生效。确认后方可进行完稿与外协制作（R-JOB-7、R-JOB-4）。'),
    sigLines(['制作部', '客户总监（AD）', '客户确认（签字盖章）']));
}

async function brief(jobId) {
  const r = await call('jobs', 'JobGetRequest', { id: jobId });
  const j = r.job;
  const b = j.brief || {};
  return doc('创 意 简 报', `#/job/${j.id}`,
    h('p', { class: 'meta' }, `${j.client_name} · ${j.number || j.id} · ${j.title} · ${stage(j.stage)} · 截止 ${fmtDate(j.due_ms)} · AE ${j.owner}`),
    h('dl', { class: 'brief' }, BRIEF.flatMap(([k, zh]) => [h('dt', {}, zh), h('dd', {}, b[k] || '　')])),
    sigLines(['客户执行（AE）', '客户总监（AD）', '创意总监（CD）']));
}

async function minutes(meetingId) {
  const r = await call('jobs', 'MeetingGetRequest', { id: meetingId });
  const m = r.meeting;
  return doc('会 议 记 录', '#/day',
    h('table', { class: 'head' }, h('tbody', {},
      h('tr', {}, h('th', {}, '会议'), h('td', { colspan: 3 }, m.title)),
      h('tr', {}, h('th', {}, '客户'), h('td', {}, m.client_name), h('th', {}, '时间'), h('td', {}, `${fmtTime(m.start_ms)} – ${fmtTime(m.end_ms).slice(11)}`)),
      h('tr', {}, h('th', {}, '地点'), h('td', {}, m.room), h('th', {}, '记录'), h('td', {}, m.minutes_by || m.organiser)))),
    h('h2', {}, '出席人员'), h('p', {}, m.attendees.map((a) => `${a.name}（${a.title}）`).join('、') || '—'),
    h('h2', {}, '议程'), h('p', {}, m.agenda || '—'),
    h('h2', {}, '讨论内容'), h('p', { class: 'pre' }, m.summary || '（尚未提交会议记录）'),
    h('h2', {}, '会议结论'), h('ol', {}, m.conclusions.map((c) => h('li', {}, c))),
    h('h2', {}, '下一步行动'), table(['事项', '负责人', '期限'], r.actions.map((a) => [a.text, a.owner, fmtDate(a.due_ms)])),
    sigLines(['记录人', '客户确认']));
}

async function dossier(clientId) {
  const [c, p] = await Promise.all([call('registry', 'ClientGetRequest', { id: clientId }), call('registry', 'ProfileGetRequest', { client_id: clientId })]);
  const prof = p.profile;
  const secs = ['overview', 'people', 'product', 'production', 'market', 'sales', 'past_ads', 'future_ads', 'services'];
  return doc('客 户 基 本 资 料', `#/client/${clientId}/dossier`,
    h('p', { class: 'meta' }, `${c.client.name} · ${c.client.id} · ${c.client.class} 类 · AE ${c.client.ae} · 完整度 ${prof.completeness_pct}% · 第 ${prof.version} 版`),
    secs.map((s) => h('section', { class: 'dossier-sec' }, h('h2', {}, PROFILE_LABELS[s] || s),
      h('table', { class: 'kv' }, h('tbody', {}, Object.entries(prof[s] || {}).map(([k, v]) => h('tr', {},
        h('th', {}, PROFILE_LABELS[`${s}.${k}`] || k),
        h('td', {}, Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? Object.values(x).join(':') : x)).join('、')
          : k.endsWith('_fen') ? (v ? fen(v) : '') : (v === 0 ? '' : String(v))))))))));
}

export async function pagePrint(kind, args) {
  try {
    if (kind === 'estimate') return await estimate(args[0], args[1]);
    if (kind === 'brief') return await brief(args[0]);
    if (kind === 'minutes') return await minutes(args[0]);
    if (kind === 'dossier') return await dossier(args[0]);
  } catch (e) {
    return doc(t('无法打印', 'Cannot print'), '#/day', h('p', { role: 'alert' }, e.message));
  }
  return doc(t('无法打印', 'Cannot print'), '#/day');
}
