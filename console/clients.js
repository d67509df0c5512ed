// clients.js - 客户: search and lists; one client's page: the dossier by section with
// its completeness (R-PROFILE-1), contacts, the visit log and contracts (R-CONTRACT-1:
// the uppercase amount shown as the figure is typed, then the one the registry wrote).
import { call, current, hasRole } from './api.js';
import { h, clear, field, act, table, section, fmtTime, fmtDate, fen, parseFen, moneyUpper, localMs, todayLocal } from './ui.js';
import { t } from './i18n.js';
import { PROFILE_LABELS } from './profile-labels.js';

export async function pageClients() {
  const out = h('div');
  const errBox = h('div');
  const [fq, q] = field(t('搜索（名称、编号或统一社会信用代码）', 'Search (name, id or USCC)'), { type: 'search', name: 'q' });
  const [fcls, cls] = field(t('等级', 'Class'), { name: 'class', options: [['', t('全部', 'All')], ['A', 'A'], ['B', 'B'], ['C', 'C'], ['D', 'D']] }, 'select');
  const list = h('div');
  const load = async () => {
    const v = q.value.trim();
    const body = { class: cls.value, limit: 200 };
    if (/^C\d{6}$/.test(v) || /^[0-9A-Z]{18}$/.test(v)) body.code = v; else body.name_contains = v;
    await act(errBox, () => call('registry', 'ClientListRequest', body), (r) => {
      clear(list).append(table(
        [t('编号', 'Id'), t('名称', 'Name'), t('等级', 'Class'), 'AE', t('行业', 'Industry'), t('资料完整度', 'Dossier')],
        r.clients.map((c) => [c.id, h('a', { href: `#/client/${c.id}` }, c.name), c.class, c.ae, c.industry,
          h('meter', { min: 0, max: 100, value: c.profile_pct, 'aria-label': `${c.profile_pct}%` }), ])));
    });
  };
  const search = h('form', { class: 'inline', role: 'search' }, fq, fcls, h('button', { type: 'submit' }, t('搜索', 'Search')));
  search.addEventListener('submit', (e) => { e.preventDefault(); load(); });

  // 新增客户
  const addBox = h('div');
  const [fn, name] = field(t('客户名称', 'Client name'), { name: 'name', required: true });
  const [fc, klass] = field(t('等级', 'Class'), { name: 'class', options: [['C', 'C'], ['A', 'A'], ['B', 'B'], ['D', 'D']] }, 'select');
  const [fa, ae] = field(t('负责 AE（工号，空=自己）', 'AE (staff id; empty = me)'), { name: 'ae', value: hasRole('ae') ? current().id : '' });
  const add = h('form', { class: 'inline', 'aria-label': t('新增客户', 'Add a client') }, fn, fc, fa,
    h('button', { type: 'submit', class: 'primary' }, t('新增客户', 'Add client')), addBox);
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    act(addBox, () => call('registry', 'ClientAddRequest', { name: name.value.trim(), class: klass.value, ae: ae.value.trim() }),
      (r) => { location.hash = `#/client/${r.client.id}`; });
  });
  await load();
  out.append(h('h1', {}, t('客户', 'Clients')), search, errBox, list, section(t('新增客户', 'Add a client'), add));
  return out;
}

const SECTIONS = [
  ['overview', '公司概况', 'Company'], ['people', '主要人员', 'People'], ['product', '产品', 'Product'],
  ['production', '生产与销售', 'Production and sales'], ['market', '市场', 'Market'], ['sales', '销售', 'Sales'],
  ['past_ads', '过去的广告', 'Past advertising'], ['future_ads', '今后的广告', 'Future advertising'],
  ['services', '对本公司的要求', 'What they want from us'],
];

function dossier(clientId, reply, reload) {
  const p = reply.profile;
  const box = h('div');
  const inputs = [];
  const form = h('form', { class: 'dossier', 'aria-label': t('客户基本资料', 'Client dossier') });
  const toc = h('nav', { class: 'toc', 'aria-label': t('资料分段', 'Sections') },
    SECTIONS.map(([k, zh, en]) => h('button', { type: 'button', class: 'link', onclick: () => { const el = document.getElementById(`sec-${k}`); el.scrollIntoView(); const f = el.querySelector('input, textarea'); if (f) f.focus(); } }, t(zh, en))));
  for (const [k, zh, en] of SECTIONS) {
    const sec = p[k] || {};
    const fs = h('fieldset', { id: `sec-${k}` }, h('legend', {}, `${t(zh, en)}`));
    for (const [f, v] of Object.entries(sec)) {
      const label = PROFILE_LABELS[`${k}.${f}`] || f;
      if (typeof v === 'string' && /^[A-Z][A-Z0-9_]+$/.test(v) && v.includes('_')) {
        fs.append(h('div', { class: 'field ro' }, h('span', { class: 'label' }, label), h('span', {}, /UNSPECIFIED$/.test(v) ? '—' : v)));
      } else if (typeof v === 'string') {
        const long = v.length > 40 || /notes|plans|results|history|organisation|development|competitor|evaluation|policy|usage|appeal|plan/.test(f);
        const [w, inp] = field(label, { name: `${k}.${f}`, value: v }, long ? 'textarea' : 'input');
        if (long) inp.value = v;
        inputs.push([k, f, inp, 'str']);
        fs.append(w);
      } else if (typeof v === 'number') {
        const money = f.endsWith('_fen');
        const [w, inp] = field(money ? `${label}（${t('元', 'yuan')}）` : label, { name: `${k}.${f}`, inputmode: 'decimal', value: v ? (money ? (v / 100).toFixed(2) : String(v)) : '' });
        inputs.push([k, f, inp, money ? 'fen' : 'int']);
        fs.append(w);
      } else {
        fs.append(h('div', { class: 'field ro' }, h('span', { class: 'label' }, label),
          h('span', {}, Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? Object.values(x).join(':') : x)).join('、') || '—' : String(v))));
      }
    }
    form.append(fs);
  }
  form.append(box, h('button', { type: 'submit', class: 'primary' }, t('保存资料', 'Save the dossier')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const np = JSON.parse(JSON.stringify(p));
    for (const [k, f, inp, kind] of inputs) {
      const s = inp.value.trim();
      np[k][f] = kind === 'str' ? s : kind === 'fen' ? (s ? Math.round(parseFen(s)) : 0) : (s ? Number(s) : 0);
    }
    delete np.completeness_pct;
    act(box, () => call('registry', 'ProfileSetRequest', { profile: np, version: p.version }), reload);
  });
  return h('div', {},
    h('div', { class: 'meter-row' }, h('label', { for: 'completeness' }, t('资料完整度（R-PROFILE-1）', 'Completeness (R-PROFILE-1)')),
      h('meter', { id: 'completeness', min: 0, max: 100, low: 50, high: 80, optimum: 100, value: p.completeness_pct }),
      h('span', {}, ` ${p.completeness_pct}%`), h('span', { class: 'meta', id: 'profile-version' }, t(` · 第 ${p.version} 版`, ` · version ${p.version}`)), ' ', h('a', { href: `#/print/dossier/${clientId}` }, t('打印资料', 'Print the dossier'))),
    toc, form);
}

function contacts(clientId, r, reload) {
  const box = h('div');
  const [fn, name] = field(t('姓名', 'Name'), { required: true });
  const [ft, title] = field(t('职务', 'Title'));
  const [fp, phone] = field(t('电话', 'Phone'), { type: 'tel' });
  const [fb, birthday] = field(t('生日（YYYY-MM-DD）', 'Birthday (YYYY-MM-DD)'));
  const form = h('form', { class: 'inline', 'aria-label': t('新增联系人', 'Add a contact') }, fn, ft, fp, fb,
    h('button', { type: 'submit' }, t('新增联系人', 'Add contact')), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('registry', 'ContactAddRequest', { client_id: clientId, name: name.value.trim(), title: title.value.trim(),
      phones: phone.value.trim() ? [phone.value.trim()] : [], birthday: birthday.value.trim() }), reload);
  });
  return h('div', {}, table([t('姓名', 'Name'), t('职务', 'Title'), t('电话', 'Phones'), t('生日', 'Birthday')],
    r.contacts.map((c) => [c.erased ? t('（已删除）', '(erased)') : c.name, c.title,
      c.personal_hidden ? t('（仅客户团队可见）', '(team only)') : c.phones.join(', '),
      c.birth_month ? `${c.birth_lunar ? t('农历', 'lunar ') : ''}${c.birth_month}-${c.birth_day}` : ''])), form);
}

const KINDS = [['VISIT', '面访', 'Visit'], ['CALL', '电话', 'Call'], ['MESSAGE', '消息', 'Message'], ['GIFT', '送礼', 'Gift'], ['MEETING', '会议', 'Meeting']];

function visits(clientId, r, reload) {
  const box = h('div');
  const [fk, kind] = field(t('方式', 'Kind'), { options: KINDS.map(([v, zh, en]) => [v, t(zh, en)]) }, 'select');
  const [fa, at] = field(t('时间', 'When'), { type: 'datetime-local', value: `${todayLocal()}T${new Date().toLocaleTimeString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 5)}` });
  const [fs, summary] = field(t('纪要', 'Summary'), { required: true }, 'textarea');
  const [fx, next] = field(t('下一步', 'Next'));
  const form = h('form', { class: 'stack', 'aria-label': t('记录拜访', 'Log a visit') }, fk, fa, fs, fx,
    h('button', { type: 'submit' }, t('记录拜访', 'Log visit')), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('registry', 'VisitLogRequest', { client_id: clientId, kind: kind.value, at_ms: localMs(at.value), summary: summary.value.trim(), next: next.value.trim() }), reload);
  });
  const label = (k) => { const x = KINDS.find((y) => y[0] === k); return x ? t(x[1], x[2]) : k; };
  return h('div', {}, table([t('时间', 'When'), t('方式', 'Kind'), t('人员', 'By'), t('纪要', 'Summary'), t('下一步', 'Next')],
    r.visits.slice().reverse().map((v) => [fmtTime(v.at_ms), label(v.kind), v.by, v.summary, v.next])), form);
}

function contracts(clientId, clientName, r, reload) {
  const box = h('div');
  const req = { required: true };
  const [fa, partyA] = field(t('甲方（广告主全称）', 'Party A (advertiser, full name)'), { value: clientName, ...req });
  const [fb, partyB] = field(t('乙方（全称）', 'Party B (full name)'), req);
  const [fh, handler] = field(t('经办人', 'Handled by'), req);
  const [ft, phone] = field(t('电话', 'Phone'), { type: 'tel', ...req });
  const [fd2, address] = field(t('地址', 'Address'), req);
  const [fp, placement] = field(t('版面', 'Placement'), req);
  const [fs, spec] = field(t('规格', 'Size'), req);
  const [fd, signed] = field(t('签约日期', 'Signed on'), { type: 'date', value: todayLocal(), ...req });
  const [fpd, pubs] = field(t('发布日期（多个用逗号分隔）', 'Publication dates (comma-separated)'), { placeholder: 'YYYY-MM-DD, YYYY-MM-DD', ...req });
  const [fpay, pay] = field(t('付款日期', 'Payment date'), { type: 'date', ...req });
  const [fm, amount] = field(t('金额（元）', 'Amount (yuan)'), { inputmode: 'decimal', 'aria-describedby': 'upper-preview', ...req });
  const upper = h('output', { id: 'upper-preview', for: amount.id, class: 'upper' });
  const [fu, typed] = field(t('大写金额（照合同所写，可空）', 'Amount in words, as written on the contract (optional)'), { name: 'amount_upper' });
  const preview = () => {
    const f = parseFen(amount.value);
    upper.textContent = Number.isNaN(f) ? (amount.value ? t('金额格式不对', 'not an amount') : '') : `${t('大写', 'In words')}：人民币${moneyUpper(f)}`;
  };
  amount.addEventListener('input', preview);
  const [fc, seal] = field(t('已确认盖章', 'Seal confirmed'), { type: 'checkbox' });
  const form = h('form', { class: 'stack', 'aria-label': t('新增合同', 'Add a contract') }, fa, fb, fh, ft, fd2, fp, fs, fd, fpd, fpay, fm, upper, fu, fc,
    h('button', { type: 'submit' }, t('新增合同', 'Add contract')), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('registry', 'ContractAddRequest', { contract: { client_id: clientId, party_a: partyA.value.trim(), party_b: partyB.value.trim(),
      handler: handler.value.trim(), phone: phone.value.trim(), address: address.value.trim(), placement: placement.value.trim(), spec: spec.value.trim(),
      signed_date: signed.value, publish_dates: pubs.value.split(/[,，\s]+/).filter(Boolean), payment_date: pay.value,
      amount_fen: parseFen(amount.value), amount_upper: typed.value.trim().replace(/^人民币/, ''), seal_confirmed: seal.checked } }), reload);
  });
  return h('div', {}, table([t('合同', 'Contract'), t('签约', 'Signed'), t('版面', 'Placement'), t('金额', 'Amount'), t('大写', 'In words')],
    r.contracts.map((c) => [c.id, c.signed_date, c.placement, fen(c.amount_fen), `人民币${c.amount_upper}`])), form);
}

// 客户满意度调查: one answered questionnaire or phone follow-up (scorer SurveyAddRequest),
// by a contact of the client, 1-5 on each dimension asked. The scorer keeps no list to
// read back (there is no survey list request), so the page confirms what was recorded.
const DIMENSIONS = [['服务', 'Service'], ['创意', 'Creative work'], ['时效', 'Timeliness'], ['质量', 'Quality']];
function survey(clientId, r) {
  const box = h('div');
  const live = (r.contacts || []).filter((c) => !c.erased);
  const [fc, contact] = field(t('受访联系人', 'Contact asked'), { name: 'survey_contact', options: live.map((c) => [c.id, `${c.name}${c.title ? `（${c.title}）` : ''}`]) }, 'select');
  const sels = DIMENSIONS.map(([zh, en]) => {
    const [w, sel] = field(t(`${zh}（1–5 分）`, `${en} (1–5)`), { name: `survey.${zh}`, options: [['', t('（未问）', '(not asked)')], ['5', '5'], ['4', '4'], ['3', '3'], ['2', '2'], ['1', '1']] }, 'select');
    return [zh, w, sel];
  });
  const [fm, comment] = field(t('客户意见', "The client's comment"), { name: 'survey_comment' }, 'textarea');
  const form = h('form', { class: 'stack', 'aria-label': t('记录满意度调查', 'Record a satisfaction survey') }, fc, h('div', { class: 'grid criteria' }, sels.map((x) => x[1])), fm,
    h('button', { type: 'submit', class: 'primary' }, t('记录调查', 'Record the survey')), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const scores = sels.filter(([, , sel]) => sel.value).map(([zh, , sel]) => ({ dimension: zh, score: Number(sel.value) }));
    act(box, () => call('scorer', 'SurveyAddRequest', { client_id: clientId, contact_id: contact.value, scores, comment: comment.value.trim() }), (x) => {
      box.append(h('p', { class: 'ok', role: 'status' }, t(`已记录调查 ${x.survey.id}。`, `Survey ${x.survey.id} recorded.`)));
      sels.forEach(([, , sel]) => { sel.value = ''; });
      comment.value = '';
    });
  });
  return h('div', {}, live.length ? null : h('p', { class: 'empty' }, t('先在“联系人”中加上受访人。', 'Add the person asked under Contacts first.')), form);
}

export async function pageClient(id, tab) {
  const [c, prof, cons, vis, cts, jobs] = await Promise.all([
    call('registry', 'ClientGetRequest', { id }),
    call('registry', 'ProfileGetRequest', { client_id: id }),
    call('registry', 'ContactListRequest', { client_id: id }),
    call('registry', 'VisitListRequest', { client_id: id, limit: 100 }),
    call('registry', 'ContractListRequest', { client_id: id }),
    call('jobs', 'JobListRequest', { client_id: id }).catch(() => ({ jobs: [] })),
  ]);
  const cl = c.client;
  const reload = () => { const hsh = location.hash; location.hash = '#/'; location.hash = hsh; };
  const tabs = [['overview', '概况', 'Overview'], ['dossier', '基本资料', 'Dossier'], ['contacts', '联系人', 'Contacts'],
    ['visits', '拜访记录', 'Visit log'], ['contracts', '合同', 'Contracts'], ['survey', '满意度调查', 'Satisfaction survey']];
  const cur = tab || 'overview';
  let body;
  if (cur === 'dossier') body = dossier(id, prof, reload);
  else if (cur === 'contacts') body = contacts(id, cons, reload);
  else if (cur === 'visits') body = visits(id, vis, reload);
  else if (cur === 'contracts') body = contracts(id, cl.name, cts, reload);
  else if (cur === 'survey') body = survey(id, cons);
  else {
    body = h('div', { class: 'grid' },
      section(t('概况', 'Overview'), h('dl', { class: 'kv' },
        h('dt', {}, t('编号', 'Id')), h('dd', {}, cl.id), h('dt', {}, t('等级', 'Class')), h('dd', {}, cl.class),
        h('dt', {}, 'AE'), h('dd', {}, cl.ae), h('dt', {}, t('服务团队', 'Team')), h('dd', {}, cl.team.join(', ') || '—'),
        h('dt', {}, t('行业', 'Industry')), h('dd', {}, cl.industry || '—'), h('dt', {}, t('信用额度', 'Credit limit')), h('dd', {}, cl.credit_limit_fen ? fen(cl.credit_limit_fen) : '—'),
        h('dt', {}, t('资料完整度', 'Dossier')), h('dd', {}, h('meter', { min: 0, max: 100, value: cl.profile_pct }), ` ${cl.profile_pct}%`))),
      section(t('工作单', 'Jobs'), table([t('工作单', 'Job'), t('标题', 'Title'), t('截止', 'Due')],
        jobs.jobs.map((j) => [h('a', { href: `#/job/${j.id}` }, j.number || j.id), j.title, fmtDate(j.due_ms)])),
        h('p', {}, h('a', { href: `#/jobs/new/${id}` }, t('开新工作单 →', 'Open a job →')))),
      section(t('最近拜访', 'Recent visits'), table([t('时间', 'When'), t('纪要', 'Summary')],
        vis.visits.slice(-5).reverse().map((v) => [fmtTime(v.at_ms), v.summary]))));
  }
  return h('div', {},
    h('h1', {}, `${cl.name}`, h('span', { class: 'sub' }, ` ${cl.id} · ${cl.class}`)),
    h('nav', { class: 'tabs', 'aria-label': t('客户页面', 'Client pages') },
      tabs.map(([k, zh, en]) => h('a', { href: `#/client/${id}/${k}`, 'aria-current': k === cur ? 'page' : null }, t(zh, en)))),
    body);
}
