// jobs.js - 工作单: the board by stage; a job's page with its timeline, sign-offs done
// and missing, sign and advance buttons that show why a step is refused (the jobs
// service's own message), estimates, POs, proofs, revisions and meetings.
import { call, current, hasRole } from './api.js';
import { h, clear, field, act, table, section, fmtTime, fmtDate, fen, parseFen, localMs, refusal } from './ui.js';
import { t, stage, role, estimateState, STAGES } from './i18n.js';

const ORDER = Object.keys(STAGES);

export async function pageJobs(sub, clientId) {
  if (sub === 'new') return newJob(clientId || '');
  const [fm, mineOnly] = field(t('只看我的', 'Only mine'), { type: 'checkbox', checked: sub !== 'all' });
  const r = await call('jobs', 'JobListRequest', { mine: sub !== 'all' });
  mineOnly.addEventListener('change', () => { location.hash = mineOnly.checked ? '#/jobs' : '#/jobs/all'; });
  const now = Date.now();
  const board = h('div', { class: 'board' }, ORDER.map((s) => {
    const jobs = r.jobs.filter((j) => j.stage === s);
    return h('section', { class: 'column', 'aria-label': stage(s) },
      h('h2', {}, stage(s), h('span', { class: 'count' }, ` ${jobs.length}`)),
      h('ul', { class: 'plain' }, jobs.map((j) => h('li', { class: `job-card${j.due_ms && j.due_ms < now && s !== 'JOB_STAGE_CLOSED' ? ' late' : ''}` },
        h('a', { href: `#/job/${j.id}` }, j.number || j.id), h('div', {}, j.title), h('div', { class: 'meta' }, `${j.client_name} · ${fmtDate(j.due_ms)}`)))));
  }));
  return h('div', {}, h('h1', {}, t('工作单', 'Jobs')),
    h('div', { class: 'row' }, fm, h('a', { class: 'button', href: '#/jobs/new' }, t('开新工作单', 'Open a job'))), board);
}

const BRIEF = [['background', '背景', 'Background'], ['objective', '目标', 'Objective'], ['audience', '目标受众', 'Audience'],
  ['insight', '洞察', 'Insight'], ['proposition', '核心主张', 'Proposition'], ['support', '支持点', 'Support'],
  ['tone', '调性', 'Tone'], ['mandatories', '必须包含', 'Mandatories'], ['deliverables', '交付物', 'Deliverables'],
  ['budget', '预算', 'Budget'], ['timing', '时间', 'Timing'], ['brand', '品牌', 'Brand']];
export { BRIEF };

function newJob(clientId) {
  const box = h('div');
  const [fc, client] = field(t('客户编号', 'Client id'), { value: clientId, required: true, placeholder: 'C000001' });
  const [ft, title] = field(t('标题', 'Title'), { required: true });
  const [fk, kind] = field(t('类别', 'Kind'), { options: ['print', 'tv', 'radio', 'outdoor', 'online', 'pop', 'dm', 'event'].map((k) => [k, k]) }, 'select');
  const [fd, due] = field(t('截止日期', 'Due'), { type: 'date', required: true });
  const briefInputs = BRIEF.map(([k, zh, en]) => { const [w, i] = field(t(zh, en), { name: k }, k === 'brand' || k === 'budget' || k === 'timing' ? 'input' : 'textarea'); return [k, w, i]; });
  const form = h('form', { class: 'stack', 'aria-labelledby': 'newjob' }, fc, ft, fk, fd,
    h('fieldset', {}, h('legend', {}, t('创意简报', 'Creative brief')), briefInputs.map((x) => x[1])),
    box, h('button', { type: 'submit', class: 'primary' }, t('开工作单', 'Open the job')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const brief = {};
    for (const [k, , i] of briefInputs) brief[k] = i.value.trim();
    act(box, () => call('jobs', 'JobOpenRequest', { client_id: client.value.trim(), title: title.value.trim(), kind: kind.value,
      due_ms: localMs(due.value) + 18 * 3600000, brief }), (r) => { location.hash = `#/job/${r.job.id}`; });
  });
  return h('div', {}, h('h1', { id: 'newjob' }, t('开新工作单', 'Open a job')), form);
}

function timeline(job) {
  return h('ol', { class: 'timeline' }, job.stages.map((s) => {
    const cur = s.stage === job.stage;
    const state = s.left_ms ? 'done' : cur ? 'current' : 'todo';
    return h('li', { class: state, 'aria-current': cur ? 'step' : null },
      h('strong', {}, stage(s.stage)), h('div', { class: 'meta' },
        `${t('截止', 'due')} ${fmtDate(s.due_ms)}`, s.entered_ms ? ` · ${t('开始', 'in')} ${fmtDate(s.entered_ms)}` : '',
        s.left_ms ? ` · ${t('完成', 'out')} ${fmtDate(s.left_ms)}` : ''));
  }));
}

export async function pageJob(id) {
  const r = await call('jobs', 'JobGetRequest', { id });
  const job = r.job;
  const reload = () => { const hsh = location.hash; location.hash = '#/'; location.hash = hsh; };
  const stepBox = h('div', { class: 'step-result', 'aria-live': 'assertive' });
  const signs = job.signoffs.filter((s) => s.stage === job.stage);
  const [fc, clientName] = field(t('客户签字人（代客户签时填写）', 'Client signatory (when signing for the client)'), { name: 'client_name' });
  const signBtn = h('button', { type: 'button', class: 'primary', onclick: () => act(stepBox,
    () => call('jobs', 'JobSignRequest', { id: job.id, client_name: clientName.value.trim(), role: clientName.value.trim() ? 'client' : '' }), reload) },
    t('签字', 'Sign'));
  const advBtn = h('button', { type: 'button', onclick: () => act(stepBox, () => call('jobs', 'JobAdvanceRequest', { id: job.id }), reload) },
    t('进入下一阶段', 'Advance to the next stage'));
  const signoffs = section(t(`本阶段签字（${stage(job.stage)}）`, `Sign-offs of this stage (${stage(job.stage)})`),
    h('ul', { class: 'plain signoffs' },
      signs.map((s) => h('li', { class: 'ok' }, '✓ ', role(s.role), ` ${s.staff_id}${s.client_name ? ` (${s.client_name})` : ''} · ${fmtTime(s.at_ms)}`)),
      r.missing.map((m) => h('li', { class: 'missing' }, '○ ', role(m), t(' 待签', ' missing')))),
    job.stage !== 'JOB_STAGE_CLOSED' ? h('div', { class: 'row' }, fc, signBtn, advBtn) : null, stepBox);

  const estBox = h('div');
  const estimates = section(t('估价单', 'Estimates'),
    table([t('编号', 'Id'), t('金额', 'Amount'), t('大写', 'In words'), t('状态', 'State'), ''],
      r.estimates.map((e) => [e.id, fen(e.total_fen), e.total_upper, estimateState(e.state), h('span', { class: 'row' },
        e.state === 'ESTIMATE_DRAFT' ? h('button', { type: 'button', onclick: () => act(estBox, () => call('jobs', 'EstimateSignRequest', { id: e.id }), reload) }, t('签核', 'Sign')) : null,
        e.state === 'ESTIMATE_SIGNED' ? h('button', { type: 'button', onclick: () => act(estBox, () => call('jobs', 'EstimateSendRequest', { id: e.id }), reload) }, t('送客户', 'Send')) : null,
        e.state === 'ESTIMATE_SENT' ? h('button', { type: 'button', onclick: () => { const n = prompt(t('客户确认人姓名', "Client's signatory")); if (n) act(estBox, () => call('jobs', 'EstimateConfirmRequest', { id: e.id, client_name: n }), reload); } }, t('客户已确认', 'Client confirmed')) : null,
        h('a', { href: `#/print/estimate/${job.id}/${e.id}` }, t('打印', 'Print')))])),
    estimateForm(job.id, estBox, reload), estBox);

  const poBox = h('div');
  const pos = section(t('PO 单', 'Purchase orders'), table([t('编号', 'Id'), t('供应商', 'Vendor'), t('金额', 'Amount'), t('确认', 'Confirmed')],
    r.pos.map((p) => [p.id, p.vendor, fen(p.amount_fen), p.confirmed_by || (hasRole('cd', 'admin')
      ? h('button', { type: 'button', onclick: () => act(poBox, () => call('jobs', 'PoConfirmRequest', { id: p.id }), reload) }, t(`确认 ${p.id}`, `Confirm ${p.id}`)) : '—')])),
    poForm(job.id, poBox, reload), poBox);
  const proofBox = h('div');
  const proofs = section(t('打样', 'Proofs'), table([t('编号', 'Id'), t('说明', 'Note'), t('签字', 'Signed'), ''],
    r.proofs.map((p) => [p.id, p.note, p.signoffs.map((s) => role(s.role)).join('、') || '—',
      hasRole('ae', 'am', 'ad', 'cd', 'production') ? h('button', { type: 'button', onclick: () => act(proofBox, () => call('jobs', 'ProofSignRequest', { id: p.id, client_name: clientName.value.trim() }), reload) }, t(`签 ${p.id}`, `Sign ${p.id}`)) : ''])),
    proofForm(job.id, proofBox, reload), proofBox);
  const invBox = h('div');
  const invoices = section(t('发票与收款', 'Invoices and payments'), table([t('发票', 'Invoice'), t('金额', 'Amount'), t('未收', 'Outstanding'), t('到期', 'Due')],
    (r.invoices || []).map((i) => [i.id, fen(i.amount_fen), fen(Number(i.amount_fen || 0) - Number(i.paid_fen || 0)), fmtDate(i.due_ms)])),
    paymentForm(r.invoices || [], invBox, reload), invoiceForm(job.id, invBox, reload), invBox);
  const revisions = section(t('修改记录', 'Revisions'), table(['#', t('阶段', 'Stage'), t('说明', 'Note'), t('人员', 'By'), t('时间', 'When')],
    job.revisions.map((v) => [v.n, stage(v.stage), v.note, v.by, fmtTime(v.at_ms)])));
  let meetings = { meetings: [] };
  try { meetings = await call('jobs', 'MeetingListRequest', { client_id: job.client_id }); } catch (e) { /* none */ }
  const minutesHolder = h('div');
  const mtg = section(t('会议', 'Meetings'), table([t('时间', 'When'), t('主题', 'Title'), t('纪要', 'Minutes')],
    meetings.meetings.filter((m) => !m.job_id || m.job_id === job.id).map((m) => [fmtTime(m.start_ms), m.title,
      m.minutes_ms ? h('a', { href: `#/print/minutes/${m.id}` }, t('会议记录', 'Minutes'))
        : m.cancelled_ms ? t('已取消', 'cancelled')
          : h('button', { type: 'button', onclick: () => { minutesHolder.replaceChildren(minutesForm(m, reload)); minutesHolder.querySelector('textarea').focus(); } }, t('填写会议记录', 'File the minutes'))])),
    minutesHolder);
  const hist = section(t('经过', 'History'), h('ol', { class: 'history' }, job.history.map((x) => h('li', {}, `${fmtTime(x.at_ms)} ${x.actor} ${x.what} ${x.detail}`))));

  return h('div', { class: 'job' },
    h('h1', {}, job.title, h('span', { class: 'sub' }, ` ${job.number || job.id}`)),
    h('p', { class: 'meta' }, h('a', { href: `#/client/${job.client_id}` }, job.client_name), ` · ${job.kind} · AE ${job.owner} · ${t('截止', 'due')} ${fmtDate(job.due_ms)} · `,
      h('a', { href: `#/print/brief/${job.id}` }, t('打印创意简报', 'Print the creative brief'))),
    timeline(job),
    h('div', { class: 'grid' }, signoffs, estimates, invoices, pos, proofs, revisions, mtg, hist));
}

function estimateForm(jobId, box, reload) {
  if (!hasRole('production', 'ad', 'admin')) return null;
  const [fi, item] = field(t('项目', 'Item'));
  const [fq, qty] = field(t('数量', 'Quantity'), { inputmode: 'numeric', value: '1' });
  const [fu, unit] = field(t('单价（元）', 'Unit price (yuan)'), { inputmode: 'decimal' });
  const form = h('form', { class: 'inline', 'aria-label': t('新估价单', 'New estimate') }, fi, fq, fu, h('button', { type: 'submit' }, t('新估价单', 'New estimate')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('jobs', 'EstimateAddRequest', { job_id: jobId, lines: [{ item: item.value.trim(), quantity: Number(qty.value), unit_fen: parseFen(unit.value) }] }), reload);
  });
  return form;
}

// minutesForm: 会议记录 — the discussion, conclusions (one a line) and action items
// ("事项 | 负责人工号 | YYYY-MM-DD" a line), filed with MinutesFileRequest (R-MEETING-2).
function minutesForm(m, reload) {
  const box = h('div');
  const [fs, summary] = field(t('讨论内容', 'Discussion'), { required: true }, 'textarea');
  const [fc, concl] = field(t('会议结论（每行一条）', 'Conclusions (one a line)'), {}, 'textarea');
  const [fa, acts] = field(t('下一步行动（每行：事项 | 负责人工号 | 期限 YYYY-MM-DD）', 'Action items (a line each: what | owner id | due YYYY-MM-DD)'), {}, 'textarea');
  const form = h('form', { class: 'stack', 'aria-label': t(`会议记录：${m.title}`, `Minutes: ${m.title}`) }, h('h3', {}, m.title), fs, fc, fa, box,
    h('button', { type: 'submit', class: 'primary' }, t('提交会议记录', 'File the minutes')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const lines = (x) => x.value.split('\n').map((l) => l.trim()).filter(Boolean);
    const actions = lines(acts).map((l) => { const [text, owner, due] = l.split('|').map((x) => (x || '').trim()); return { text, owner, due_ms: localMs(due) + 18 * 3600000 }; });
    act(box, () => call('jobs', 'MinutesFileRequest', { meeting_id: m.id, summary: summary.value.trim(), conclusions: lines(concl), actions }), reload);
  });
  return form;
}

// Finance issues an invoice on a numbered job and records what the client paid (the
// jobs service refuses more than is outstanding, or a date after today).
function invoiceForm(jobId, box, reload) {
  if (!hasRole('finance')) return null;
  const [fa, amount] = field(t('发票金额（元）', 'Invoice amount (yuan)'), { name: 'invoice_amount', inputmode: 'decimal' });
  const [fd, due] = field(t('付款截止日期', 'Payment due'), { name: 'invoice_due', type: 'date' });
  const form = h('form', { class: 'inline', 'aria-label': t('开发票', 'Issue an invoice') }, fa, fd, h('button', { type: 'submit' }, t('开发票', 'Issue invoice')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = amount.value.trim() ? parseFen(amount.value) : 0;
    act(box, () => call('jobs', 'InvoiceAddRequest', { job_id: jobId, amount_fen: Number.isNaN(f) ? -1 : f, due_ms: due.value ? localMs(due.value) + 18 * 3600000 : 0 }), reload);
  });
  return form;
}

function paymentForm(invoices, box, reload) {
  const open = invoices.filter((i) => Number(i.paid_fen || 0) < Number(i.amount_fen || 0));
  if (!hasRole('finance') || !open.length) return null;
  const [fi, inv] = field(t('收款的发票', 'Invoice paid'), { name: 'payment_invoice', options: open.map((i) => [i.id, `${i.id} · ${t('未收', 'outstanding')} ${fen(Number(i.amount_fen || 0) - Number(i.paid_fen || 0))}`]) }, 'select');
  const [fa, amount] = field(t('收款金额（元）', 'Payment (yuan)'), { name: 'payment_amount', inputmode: 'decimal' });
  const [fd, paid] = field(t('收款日期（空=今天）', 'Paid on (empty = today)'), { name: 'payment_date', type: 'date' });
  const form = h('form', { class: 'inline', 'aria-label': t('登记收款', 'Record a payment') }, fi, fa, fd, h('button', { type: 'submit' }, t('登记收款', 'Record payment')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = amount.value.trim() ? parseFen(amount.value) : 0;
    act(box, () => call('jobs', 'PaymentAddRequest', { invoice_id: inv.value, amount_fen: Number.isNaN(f) ? -1 : f, paid_ms: paid.value ? localMs(paid.value) + 12 * 3600000 : 0 }), reload);
  });
  return form;
}

// Production issues purchase orders (R-JOB-4: on a confirmed estimate) and records
// proofs (so may the client's AE; R-JOB-6: in execution or production); the creative
// director confirms a PO and those who sign the stage sign a proof, the AE the client's
// sign-off with the client signatory's name filled in above (R-JOB-5). The jobs service
// decides; its reason is shown.
const PO_KINDS = [['photography', '摄影', 'Photography'], ['illustration', '插画', 'Illustration'], ['stock', '图库', 'Stock'], ['printing', '印刷', 'Printing'], ['other', '其他', 'Other']];
function poForm(jobId, box, reload) {
  if (!hasRole('production')) return null;
  const [fv, vendor] = field(t('供应商', 'Vendor'), { name: 'po_vendor' });
  const [fk, kind] = field(t('类别', 'Kind'), { name: 'po_kind', options: PO_KINDS.map(([v, zh, en]) => [v, t(zh, en)]) }, 'select');
  const [fa, amount] = field(t('PO 金额（元）', 'PO amount (yuan)'), { name: 'po_amount', inputmode: 'decimal' });
  const [fd, due] = field(t('交付日期', 'Due'), { name: 'po_due', type: 'date' });
  const form = h('form', { class: 'inline', 'aria-label': t('签发 PO 单', 'Issue a purchase order') }, fv, fk, fa, fd, h('button', { type: 'submit' }, t('签发 PO 单', 'Issue PO')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = amount.value.trim() ? parseFen(amount.value) : 0;
    act(box, () => call('jobs', 'PoAddRequest', { job_id: jobId, vendor: vendor.value.trim(), kind: kind.value, amount_fen: Number.isNaN(f) ? -1 : f,
      due_ms: due.value ? localMs(due.value) + 18 * 3600000 : 0 }), reload);
  });
  return form;
}

function proofForm(jobId, box, reload) {
  if (!hasRole('production', 'ae')) return null;
  const [fn, note] = field(t('打样说明', 'Proof note'), { name: 'proof_note' });
  const form = h('form', { class: 'inline', 'aria-label': t('登记打样', 'Record a proof') }, fn, h('button', { type: 'submit' }, t('登记打样', 'Record proof')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('jobs', 'ProofAddRequest', { job_id: jobId, note: note.value.trim() }), reload);
  });
  return form;
}
