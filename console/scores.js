// scores.js - 考评: my scorecard with each input explained (what was measured, its
// score, weight and contribution, and the records it came from), the rating criteria
// as a chart, the trend of the last six months; an AM's team ranked.
import { call, current, hasRole } from './api.js';
import { h, field, act, table, section, parseFen } from './ui.js';
import { t } from './i18n.js';

function month(d) { return d.toISOString().slice(0, 7); }
function pct(v) { return `${(Number(v) / 10).toFixed(1)}`; }

function bar(value, max, label) {
  const el = h('span', { class: 'bar-fill' });
  el.style.width = `${Math.max(0, Math.min(100, (Number(value) / max) * 100))}%`;
  return h('div', { class: 'bar', role: 'img', 'aria-label': `${label}: ${value}` }, el);
}

export async function pageScores(who, period) {
  const me = current();
  const staff = who || me.id;
  const now = new Date();
  const per = period || month(now);
  const r = await call('scorer', 'ScorecardRequest', { staff_id: staff, period: per });
  const card = r.cards[0];
  const months = [];
  for (let i = 5; i >= 0; i--) months.push(month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1))));
  const trend = await Promise.all(months.map((m) => call('scorer', 'ScorecardRequest', { staff_id: staff, period: m }).then((x) => x.cards[0]).catch(() => null)));
  const [fp, pinput] = field(t('期间（YYYY-MM 或 YYYY-Qn）', 'Period (YYYY-MM or YYYY-Qn)'), { value: per });
  const pick = h('form', { class: 'inline' }, fp, h('button', { type: 'submit' }, t('查看', 'Show')));
  pick.addEventListener('submit', (e) => { e.preventDefault(); location.hash = `#/scores/${staff}/${pinput.value.trim()}`; });

  const inputs = card ? card.inputs : [];
  const criteria = inputs.filter((i) => i.name.startsWith('rating.'));
  const parts = [
    h('h1', {}, t('考评', 'Scorecard'), h('span', { class: 'sub' }, ` ${card ? card.name : staff} · ${per}`)),
    pick,
    card ? h('p', { class: 'total' }, t('总分 ', 'Total '), h('strong', {}, pct(card.total)), ' / 100',
      card.revenue_target_fen ? ` · ${t('营业额', 'revenue')} ${(card.revenue_fen / 100).toFixed(0)} / ${(card.revenue_target_fen / 100).toFixed(0)}` : '') : null,
    section(t('各项输入（如何算出）', 'Inputs (how it was computed)'),
      table([t('项目', 'Input'), t('实测', 'Measured'), t('得分', 'Score'), t('权重', 'Weight'), t('贡献', 'Contribution'), t('依据', 'From'), t('说明', 'Note')],
        inputs.map((i) => [i.name, i.value, pct(i.score), String(i.weight), pct(i.contribution), i.sources.slice(0, 8).join(' ') + (i.sources.length > 8 ? ' …' : ''), i.note]))),
    section(t('评分标准（主管评分）', 'Criteria (supervisor rating)'),
      criteria.length ? h('div', { class: 'chart' }, criteria.map((c) => h('div', { class: 'chart-row' },
        h('span', { class: 'chart-label' }, c.name.slice(7)), bar(c.score, 1000, c.name), h('span', {}, pct(c.score)))))
        : h('p', { class: 'empty' }, t('本期尚无主管评分。', 'No rating this period yet.'))),
    section(t('走势（近六个月）', 'Trend (six months)'),
      h('div', { class: 'chart' }, months.map((m, i) => h('div', { class: 'chart-row' },
        h('span', { class: 'chart-label' }, m), bar(trend[i] ? trend[i].total : 0, 1000, m), h('span', {}, trend[i] ? pct(trend[i].total) : '—'))))),
    card && (card.comment || card.head_comment || card.self_comment) ? section(t('评语', 'Comments'), h('dl', { class: 'kv' },
      h('dt', {}, t('主管', 'Supervisor')), h('dd', {}, card.comment || '—'),
      h('dt', {}, t('部门主管', 'Head')), h('dd', {}, card.head_comment || '—'),
      h('dt', {}, t('本人', 'Self')), h('dd', {}, card.self_comment || '—'))) : null,
  ];
  if (who && who !== me.id && hasRole('am', 'ad', 'admin')) parts.push(...managerForms(staff, per, card));
  if (staff === me.id) parts.push(selfComment(staff, per, card));
  if (hasRole('am', 'ad', 'admin') && !who) {
    try {
      const team = await call('scorer', 'ScorecardRequest', { team: me.id, period: per });
      parts.push(section(t('我的团队（排名）', 'My team (ranked)'),
        table(['#', t('姓名', 'Name'), t('总分', 'Total'), ''], team.cards.map((c, i) => [String(i + 1), c.name, pct(c.total),
          h('a', { href: `#/scores/${c.staff_id}/${per}` }, t('明细', 'Details'))]))));
    } catch (e) { /* not a team lead */ }
  }
  return h('div', {}, ...parts);
}

// The supervisor's rating criteria (scorer inputs.c, the handbook's 4.2).
export const CRITERIA = [
  ['analytical', '分析性思维能力', 'Analytical thinking'], ['planning', '计划和组织能力', 'Planning and organising'],
  ['communication', '对外及对内沟通交流', 'Communication'], ['teamwork', '团队精神', 'Teamwork'],
  ['advocacy', '宣扬企业观', 'Advocating the agency'], ['helpfulness', '向客户提供帮助', 'Helping clients'],
  ['suggestions', '建设性意见', 'Constructive suggestions'], ['attitude', '积极的态度', 'Positive attitude'],
  ['training', '培训和指引', 'Training and guidance'],
];
const reload = () => { const hsh = location.hash; location.hash = '#/'; location.hash = hsh; };

// managerForms: an AM (or above) rates a team member 1-5 on each criterion with a
// comment (RatingSetRequest; the department head's comment is ScorecardCommentRequest)
// and sets the period's targets (TargetSetRequest). The scorer decides who may.
function managerForms(staff, per, card) {
  const rbox = h('div');
  // A rating replaces the whole set, so the form starts from the one given (value "4/5").
  const given = (k) => {
    const i = card ? card.inputs.find((x) => x.name === `rating.${k}`) : null;
    const m = i ? /^([1-5])\/5$/.exec(String(i.value)) : null;
    return m ? m[1] : '';
  };
  const sels = CRITERIA.map(([k, zh, en]) => {
    const [w, sel] = field(t(zh, en), { name: `rating.${k}`, value: given(k), options: [['', t('（不评）', '(not rated)')], ['5', '5'], ['4', '4'], ['3', '3'], ['2', '2'], ['1', '1']] }, 'select');
    return [k, w, sel];
  });
  const [fc, comment] = field(t('主管评语', "Supervisor's comment"), { name: 'rating_comment' }, 'textarea');
  if (card && card.comment) comment.value = card.comment;
  const rate = h('form', { class: 'stack', 'aria-label': t('主管评分', 'Rate') }, h('div', { class: 'grid criteria' }, sels.map((x) => x[1])), fc,
    h('button', { type: 'submit', class: 'primary' }, t('保存评分', 'Save the rating')), rbox);
  rate.addEventListener('submit', (e) => {
    e.preventDefault();
    const criteria = sels.filter(([, , sel]) => sel.value).map(([k, , sel]) => ({ name: k, score: Number(sel.value) }));
    act(rbox, () => call('scorer', 'RatingSetRequest', { staff_id: staff, period: per, criteria, comment: comment.value.trim() }), reload);
  });
  const hbox = h('div');
  const [fh, head] = field(t('部门主管评语', "Department head's comment"), { name: 'head_comment' }, 'textarea');
  const headForm = h('form', { class: 'stack', 'aria-label': t('部门主管评语', "Department head's comment") }, fh,
    h('button', { type: 'submit' }, t('保存主管评语', "Save the head's comment")), hbox);
  headForm.addEventListener('submit', (e) => {
    e.preventDefault();
    act(hbox, () => call('scorer', 'ScorecardCommentRequest', { staff_id: staff, period: per, text: head.value.trim() }), reload);
  });
  const tbox = h('div');
  const [fr, rev] = field(t('营业额目标（元）', 'Revenue target (yuan)'), { name: 'target_revenue', inputmode: 'decimal',
    value: card && card.revenue_target_fen ? (Number(card.revenue_target_fen) / 100).toFixed(2) : '' });
  const [fp, pros] = field(t('开发新客户目标（次）', 'New-client target (count)'), { name: 'target_prospects', inputmode: 'numeric',
    value: card && card.prospects_target ? String(card.prospects_target) : '' });
  const target = h('form', { class: 'inline', 'aria-label': t('设定目标', 'Set targets') }, fr, fp,
    h('button', { type: 'submit' }, t('设定目标', 'Set targets')), tbox);
  target.addEventListener('submit', (e) => {
    e.preventDefault();
    const r = rev.value.trim() ? parseFen(rev.value) : 0;
    const n = pros.value.trim() ? Number(pros.value.trim()) : 0;
    if (Number.isNaN(r) || !Number.isInteger(n)) {
      act(tbox, () => { throw new Error(t('金额或次数格式不对', 'not an amount or a count')); });
      return;
    }
    act(tbox, () => call('scorer', 'TargetSetRequest', { staff_id: staff, period: per, revenue_fen: r, prospects: n }), reload);
  });
  return [section(t(`主管评分（${per}）`, `Rating (${per})`), rate), section(t('部门主管评语', "Department head's comment"), headForm),
    section(t(`目标（${per}）`, `Targets (${per})`), target)];
}

// selfComment: the person's own answer to the evaluation (ScorecardCommentRequest).
function selfComment(staff, per, card) {
  const box = h('div');
  const [fs, text] = field(t('本人评语', 'My own comment'), { name: 'self_comment' }, 'textarea');
  if (card && card.self_comment) text.value = card.self_comment;
  const form = h('form', { class: 'stack', 'aria-label': t('本人评语', 'My own comment') }, fs,
    h('button', { type: 'submit' }, t('保存本人评语', 'Save my comment')), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('scorer', 'ScorecardCommentRequest', { staff_id: staff, period: per, text: text.value.trim() }), reload);
  });
  return section(t(`本人评语（${per}）`, `My own comment (${per})`), form);
}
