// day.js - 我的一天: what an AE needs on one screen each morning.
import { call, current, hasRole } from './api.js';
import { h, clear, field, act, section, table, fmtTime, fmtDate, fen, localMs, todayLocal } from './ui.js';
import { t, stage, estimateState } from './i18n.js';

async function safe(p, fallback) { try { return await p; } catch (e) { return { error: e, ...fallback }; } }

export async function pageDay() {
  const me = current();
  const dayStart = localMs(todayLocal());
  const [inbox, visits, jobs, recv, meetings, plans] = await Promise.all([
    safe(call('scheduler', 'InboxListRequest', {}), { notifications: [] }),
    safe(call('scheduler', 'SchedulerVisitsDueRequest', {}), { rows: [] }),
    safe(call('jobs', 'JobListRequest', { mine: true }), { jobs: [] }),
    safe(call('jobs', 'ReceivablesRequest', { overdue: true }), { invoices: [] }),
    safe(call('jobs', 'MeetingListRequest', { mine: true, from_ms: dayStart }), { meetings: [] }),
    safe(call('scheduler', 'PlanMissingRequest', { all: true }), { rows: [] }),
  ]);
  // Each of my open jobs, for its missing sign-offs and estimates.
  const open = jobs.jobs.filter((j) => j.stage !== 'JOB_STAGE_CLOSED').slice(0, 30);
  const details = await Promise.all(open.map((j) => safe(call('jobs', 'JobGetRequest', { id: j.id }), null)));
  const mine = me.roles;
  const toSign = details.filter((d) => d && d.job && d.missing.some((r) => mine.includes(r) || (r === 'am' && (mine.includes('ad')))));
  const waitingClient = details.flatMap((d) => (d && d.estimates ? d.estimates : []).filter((e) => e.state === 'ESTIMATE_SENT'));
  const today = inbox.notifications.filter((n) => !n.done);

  const jobLink = (id, text) => h('a', { href: `#/job/${id}` }, text || id);
  return h('div', { class: 'day' },
    h('h1', {}, t(`我的一天 · ${todayLocal()}`, `My day · ${todayLocal()}`)),
    h('div', { class: 'grid' },
      section(t('今日提醒', "Today's reminders"),
        today.length ? h('ul', { class: 'plain' }, today.slice(-12).reverse().map((n) =>
          h('li', {}, h('span', { class: 'rule' }, n.rule), ' ', n.text))) : h('p', { class: 'empty' }, t('没有未办的提醒。', 'No reminders waiting.')),
        h('p', {}, h('a', { href: '#/inbox' }, t('全部通知 →', 'All notifications →')))),
      planSection(me, plans),
      section(t('本周面访（按客户等级目标）', 'Visits due this week (class targets)'),
        table([t('客户', 'Client'), t('等级', 'Class'), t('已访/目标', 'Done/target')],
          visits.rows.map((r) => [h('a', { href: `#/client/${r.client_id}` }, r.client_name), r.class,
            h('span', { class: r.done >= r.required ? 'ok' : 'warn' }, `${r.done}/${r.required}`)]))),
      section(t('等我签字的工作单', 'Jobs waiting for my signature'),
        table([t('工作单', 'Job'), t('客户', 'Client'), t('阶段', 'Stage'), t('待签', 'Missing')],
          toSign.map((d) => [jobLink(d.job.id, d.job.number || d.job.id), d.job.client_name, stage(d.job.stage), d.missing.join(', ')]))),
      section(t('等客户确认的估价单', 'Estimates waiting for the client'),
        table([t('估价单', 'Estimate'), t('工作单', 'Job'), t('金额', 'Amount'), t('确认期限', 'Confirm by')],
          waitingClient.map((e) => [e.id, jobLink(e.job_id, e.job_number || e.job_id), fen(e.total_fen),
            h('span', { class: e.confirm_due_ms < Date.now() ? 'warn' : '' }, fmtDate(e.confirm_due_ms)), ]))),
      section(t('逾期应收款', 'Overdue payments'),
        table([t('发票', 'Invoice'), t('工作单', 'Job'), t('未收', 'Outstanding'), t('到期', 'Due')],
          recv.invoices.map((i) => [i.id, jobLink(i.job_id, i.job_number || i.job_id), fen(i.amount_fen - i.paid_fen), fmtDate(i.due_ms)]))),
      section(t('会议', 'Meetings'),
        table([t('时间', 'When'), t('主题', 'Title'), t('客户', 'Client')],
          meetings.meetings.filter((m) => !m.cancelled_ms).map((m) => [fmtTime(m.start_ms), h('a', { href: `#/print/minutes/${m.id}` }, m.title), m.client_id]))),
      section(t('我的工作单', 'My jobs'),
        table([t('工作单', 'Job'), t('标题', 'Title'), t('阶段', 'Stage'), t('截止', 'Due')],
          jobs.jobs.map((j) => [jobLink(j.id, j.number || j.id), j.title, stage(j.stage), fmtDate(j.due_ms)])))));
}

// planSection: R-PLAN-1, a weekly work plan and a monthly summary from every AE. An AE
// sees whether this week's plan and the last month's summary are in and hands one in
// (again replaces it); an AM, AD or admin sees who in their scope is missing one.
function planSection(me, plans) {
  if (!hasRole('ae', 'am', 'ad', 'admin')) return null; /* R-PLAN-1 is the account department's */
  const rows = plans.rows || [];
  const yes = (b) => h('span', { class: b ? 'ok' : 'warn' }, b ? t('已交', 'in') : t('未交', 'missing'));
  const parts = [];
  if (plans.error) parts.push(h('p', { class: 'empty' }, plans.error.message));
  if (hasRole('ae')) {
    const mine = rows.find((r) => r.staff_id === me.id);
    if (mine) parts.push(h('p', { id: 'plan-status' }, t(`本周（${plans.week}）工作计划：`, `This week's (${plans.week}) plan: `), yes(mine.week_plan),
      t(`；${plans.month} 月度总结：`, `; summary of ${plans.month}: `), yes(mine.month_summary)));
    const box = h('div');
    const [fk, kind] = field(t('类别', 'Kind'), { name: 'plan_kind', options: [['week', t('本周工作计划', "This week's work plan")], ['month', t('月度总结', 'Monthly summary')]] }, 'select');
    const [fp, period] = field(t('期间（空=本周/本月；YYYY-Www 或 YYYY-MM）', 'Period (empty = this week / month; YYYY-Www or YYYY-MM)'), { name: 'plan_period' });
    const [ft, text] = field(t('内容', 'Text'), { name: 'plan_text', rows: 5 }, 'textarea');
    const form = h('form', { class: 'stack', 'aria-label': t('提交工作计划或月度总结', 'Hand in a plan or summary') }, fk, fp, ft,
      h('button', { type: 'submit', class: 'primary' }, t('提交', 'Hand in')), box);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      act(box, () => call('scheduler', 'PlanSubmitRequest', { kind: kind.value, period: period.value.trim(), text: text.value }), (r) => {
        const p = r.plan;
        box.append(h('p', { class: 'ok', role: 'status' }, p.kind === 'week' ? t(`已提交 ${p.period} 工作计划。`, `Work plan for ${p.period} handed in.`)
          : t(`已提交 ${p.period} 月度总结。`, `Summary of ${p.period} handed in.`)));
        text.value = '';
        if (mine) {
          const st = document.getElementById('plan-status');
          if (st && p.period === plans.week && p.kind === 'week') { mine.week_plan = true; }
          if (st && p.period === plans.month && p.kind === 'month') { mine.month_summary = true; }
          if (st) {
            clear(st).append(t(`本周（${plans.week}）工作计划：`, `This week's (${plans.week}) plan: `), yes(mine.week_plan),
              t(`；${plans.month} 月度总结：`, `; summary of ${plans.month}: `), yes(mine.month_summary));
          }
        }
      });
    });
    parts.push(form);
  }
  if (hasRole('am', 'ad', 'admin')) {
    const others = rows.filter((r) => r.staff_id !== me.id && (!r.week_plan || !r.month_summary));
    parts.push(h('h3', {}, t(`未交的 AE（${plans.week || ''} 计划 / ${plans.month || ''} 总结）`, `AEs missing one (${plans.week || ''} plan / ${plans.month || ''} summary)`)),
      table([t('姓名', 'Name'), t('工号', 'Id'), t('主管', 'Manager'), t('周计划', 'Week plan'), t('月度总结', 'Month summary')],
        others.map((r) => [r.name, r.staff_id, r.manager, yes(r.week_plan), yes(r.month_summary)]), 'list plan-missing'));
  }
  return section(t('工作计划与月度总结（R-PLAN-1）', 'Work plan and monthly summary (R-PLAN-1)'), ...parts);
}
