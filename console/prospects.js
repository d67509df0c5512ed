// prospects.js - 潜在客户（开发新客户）: the AE's pipeline. A list with each prospect's
// stage and intent, a form to add one; one prospect's page with its history and the
// steps the registry allows: advance to the next stage (the registry counts each as a
// contact for R-PROSPECT-1), confirm or drop the intent, win (it becomes a client) or
// lose (with the reason). A skipped stage or a missing reason is refused by the
// registry and its message is shown.
import { call, current, hasRole } from './api.js';
import { h, clear, field, act, table, section, fmtTime, fmtDate } from './ui.js';
import { t } from './i18n.js';

export const PROSPECT_STAGES = [
  ['PROSPECT_TARGET_SCREENED', '目标筛选', 'Target screened'],
  ['PROSPECT_INFO_GATHERED', '资料收集', 'Information gathered'],
  ['PROSPECT_FIRST_CALL', '初次拜访', 'First call'],
  ['PROSPECT_NEEDS_UNDERSTOOD', '了解需求/约定面访', 'Needs understood / visit planned'],
  ['PROSPECT_PROPOSAL', '提案', 'Proposal'],
  ['PROSPECT_WON', '签约', 'Won'],
  ['PROSPECT_LOST', '失败', 'Lost'],
];
export function prospectStage(s) {
  const x = PROSPECT_STAGES.find((y) => y[0] === s);
  return x ? t(x[1], x[2]) : (!s || s === 'PROSPECT_STAGE_UNSPECIFIED' ? '—' : s);
}
function intentText(i) {
  return i === 'INTENT_CONFIRMED' ? t('确认有意向', 'Confirmed') : t('未确认', 'Unknown');
}
const reload = () => { const hsh = location.hash; location.hash = '#/'; location.hash = hsh; };

export async function pageProspects() {
  const errBox = h('div');
  const list = h('div');
  const [fs, stage] = field(t('阶段', 'Stage'), { name: 'stage', options: [['', t('全部', 'All')], ...PROSPECT_STAGES.map(([v, zh, en]) => [v, t(zh, en)])] }, 'select');
  const [fa, aeFilter] = field(t('AE（工号，空=全部可见的）', 'AE (staff id; empty = all I may see)'), { name: 'ae', value: hasRole('ae') ? current().id : '' });
  const load = () => act(errBox, () => call('registry', 'ProspectListRequest', { stage: stage.value || 0, ae: aeFilter.value.trim(), limit: 200 }), (r) => {
    clear(list).append(table(
      [t('编号', 'Id'), t('名称', 'Name'), 'AE', t('阶段', 'Stage'), t('意向', 'Intent'), t('客户', 'Client'), t('更新', 'Updated')],
      (r.prospects || []).map((p) => [p.id, h('a', { href: `#/prospect/${p.id}` }, p.name), p.ae,
        h('span', { class: `pstage ${p.stage === 'PROSPECT_LOST' ? 'warn' : p.stage === 'PROSPECT_WON' ? 'ok' : ''}` }, prospectStage(p.stage)),
        intentText(p.intent), p.client_id ? h('a', { href: `#/client/${p.client_id}` }, p.client_id) : '', fmtDate(p.updated_ms)])));
  });
  const filter = h('form', { class: 'inline', 'aria-label': t('筛选潜在客户', 'Filter prospects') }, fs, fa, h('button', { type: 'submit' }, t('查看', 'Show')));
  filter.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  // 新增潜在客户
  const addBox = h('div');
  const [fn, name] = field(t('潜在客户名称', 'Prospect name'), { name: 'name', required: true });
  const [fi, intent] = field(t('意向', 'Intent'), { name: 'intent', options: [['INTENT_UNKNOWN', t('未确认', 'Unknown')], ['INTENT_CONFIRMED', t('确认有意向', 'Confirmed')]] }, 'select');
  const [fd, industry] = field(t('行业', 'Industry'), { name: 'industry' });
  const [fo, notes] = field(t('备注', 'Notes'), { name: 'notes' }, 'textarea');
  const [fae, ae] = field(t('负责 AE（工号，空=自己）', 'AE (staff id; empty = me)'), { name: 'prospect_ae', value: hasRole('ae') ? current().id : '' });
  const add = h('form', { class: 'stack', 'aria-label': t('新增潜在客户', 'Add a prospect') }, fn, fi, fd, fo, fae,
    h('button', { type: 'submit', class: 'primary' }, t('新增潜在客户', 'Add prospect')), addBox);
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    act(addBox, () => call('registry', 'ProspectAddRequest', { name: name.value.trim(), intent: intent.value, industry: industry.value.trim(),
      notes: notes.value.trim(), ae: ae.value.trim() }), (r) => { location.hash = `#/prospect/${r.prospect.id}`; });
  });
  await load();
  return h('div', {}, h('h1', {}, t('潜在客户', 'Prospects')),
    h('p', { class: 'meta' }, t('阶段依次为：目标筛选 → 资料收集 → 初次拜访 → 了解需求/约定面访 → 提案 → 签约或失败；每推进一步计为一次接触（R-PROSPECT-1：确认有意向的每周至少 3 次）。',
      'Stages in order: screened → information → first call → needs / visit planned → proposal → won or lost; each step forward counts as a contact (R-PROSPECT-1: a confirmed prospect at least 3 times a week).')),
    filter, errBox, list, section(t('新增潜在客户', 'Add a prospect'), add));
}

export async function pageProspect(id) {
  const r = await call('registry', 'ProspectGetRequest', { id });
  const p = r.prospect;
  const open = p.stage !== 'PROSPECT_WON' && p.stage !== 'PROSPECT_LOST';
  const idx = PROSPECT_STAGES.findIndex((s) => s[0] === p.stage);
  const next = idx >= 0 && idx < 4 ? PROSPECT_STAGES[idx + 1] : null;
  const parts = [
    h('h1', {}, p.name, h('span', { class: 'sub' }, ` ${p.id} · ${prospectStage(p.stage)}`)),
    h('p', {}, h('a', { href: '#/prospects' }, t('← 全部潜在客户', '← All prospects'))),
    section(t('概况', 'Overview'), h('dl', { class: 'kv' },
      h('dt', {}, 'AE'), h('dd', {}, p.ae || '—'),
      h('dt', {}, t('阶段', 'Stage')), h('dd', { id: 'prospect-stage' }, prospectStage(p.stage)),
      h('dt', {}, t('意向', 'Intent')), h('dd', {}, intentText(p.intent)),
      h('dt', {}, t('行业', 'Industry')), h('dd', {}, p.industry || '—'),
      h('dt', {}, t('备注', 'Notes')), h('dd', {}, p.notes || '—'),
      p.lost_reason ? [h('dt', {}, t('失败原因', 'Lost because')), h('dd', {}, p.lost_reason)] : null,
      p.client_id ? [h('dt', {}, t('成为客户', 'Client')), h('dd', {}, h('a', { href: `#/client/${p.client_id}` }, p.client_id))] : null)),
  ];
  if (open) {
    // 推进（记录一次接触）
    const box = h('div');
    const [ft, to] = field(t('推进到', 'Advance to'), { name: 'to', options: PROSPECT_STAGES.slice(0, 5).map(([v, zh, en]) => [v, t(zh, en)]), value: next ? next[0] : p.stage }, 'select');
    const [fw, why] = field(t('接触情况（说明）', 'What happened (note)'), { name: 'why' }, 'textarea');
    const adv = h('form', { class: 'stack', 'aria-label': t('推进阶段', 'Advance the stage') }, ft, fw,
      h('button', { type: 'submit', class: 'primary' }, t('推进阶段', 'Advance')), box);
    adv.addEventListener('submit', (e) => {
      e.preventDefault();
      act(box, () => call('registry', 'ProspectAdvanceRequest', { id, to: to.value, why: why.value.trim() }), reload);
    });
    // 意向
    const ibox = h('div');
    const other = p.intent === 'INTENT_CONFIRMED' ? 'INTENT_UNKNOWN' : 'INTENT_CONFIRMED';
    const intentBtn = h('button', { type: 'button', onclick: () => act(ibox, () => call('registry', 'ProspectIntentRequest', { id, intent: other }), reload) },
      other === 'INTENT_CONFIRMED' ? t('标为确认有意向', 'Mark intent confirmed') : t('标为未确认', 'Mark intent unknown'));
    // 签约
    const wbox = h('div');
    const [fc, cls] = field(t('成为客户的等级', 'Class as a client'), { name: 'class', options: [['C', 'C'], ['A', 'A'], ['B', 'B'], ['D', 'D']] }, 'select');
    const win = h('form', { class: 'inline', 'aria-label': t('签约', 'Win') }, fc, h('button', { type: 'submit' }, t('签约（成为客户）', 'Won (becomes a client)')), wbox);
    win.addEventListener('submit', (e) => {
      e.preventDefault();
      act(wbox, () => call('registry', 'ProspectWinRequest', { id, class: cls.value }), (x) => { location.hash = `#/client/${x.client.id}`; });
    });
    // 失败
    const lbox = h('div');
    const [fl, lwhy] = field(t('失败原因', 'Why it was lost'), { name: 'lost_why' });
    const lose = h('form', { class: 'inline', 'aria-label': t('记为失败', 'Mark lost') }, fl, h('button', { type: 'submit' }, t('记为失败', 'Mark lost')), lbox);
    lose.addEventListener('submit', (e) => {
      e.preventDefault();
      act(lbox, () => call('registry', 'ProspectLoseRequest', { id, why: lwhy.value.trim() }), reload);
    });
    parts.push(h('div', { class: 'grid' },
      section(t('推进 / 记录接触', 'Advance / record a contact'), adv),
      section(t('意向', 'Intent'), h('p', {}, intentText(p.intent)), intentBtn, ibox),
      section(t('结果', 'Outcome'), win, lose)));
  }
  parts.push(section(t('历史', 'History'), table([t('时间', 'When'), t('操作人', 'By'), t('从', 'From'), t('到', 'To'), t('说明', 'Note')],
    (p.steps || []).map((s) => [fmtTime(s.at_ms), s.by, prospectStage(s.from), prospectStage(s.to), s.why]))));
  return h('div', {}, ...parts);
}
