// scores.js - 考评: my scorecard with each input explained (what was measured, its
// score, weight and contribution, and the records it came from), the rating criteria
// as a chart, the trend of the last six months; an AM's team ranked.
import { call, current, hasRole } from './api.js';
import { h, field, table, section } from './ui.js';
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
