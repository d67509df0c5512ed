// ui.js - small DOM helpers. Every text goes in as textContent (never innerHTML), so
// nothing a client's name contains can run; no inline style or script (the CSP forbids).
import { t } from './i18n.js';

// h('div', {class: 'x', onclick: f}, child, 'text', [more]) builds an element.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  const add = (c) => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  };
  children.forEach(add);
  return el;
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

let uid = 0;
// field: a labelled input; returns [wrapper, input].
export function field(label, attrs = {}, kind = 'input') {
  const id = attrs.id || `f${++uid}`;
  const input = kind === 'textarea' ? h('textarea', { ...attrs, id }) : kind === 'select'
    ? h('select', { id, name: attrs.name }, (attrs.options || []).map(([v, l]) => h('option', { value: v, selected: v === attrs.value ? 'selected' : null }, l)))
    : h('input', { type: 'text', ...attrs, id });
  return [h('div', { class: 'field' }, h('label', { for: id }, label), input), input];
}

// refusal: the reason a step was refused, as the service said it (role="alert").
export function refusal(err) {
  return h('div', { class: 'refusal', role: 'alert' },
    h('strong', {}, t('未能完成：', 'Refused: ')), err.message || String(err),
    err.status ? h('span', { class: 'code' }, ` [${err.status}]`) : null);
}

// act: run fn; on refusal show why in box (cleared first); on success call done.
export async function act(box, fn, done) {
  clear(box);
  try {
    const r = await fn();
    if (done) await done(r);
    return r;
  } catch (e) {
    box.append(refusal(e));
    return null;
  }
}

const TZ = 'Asia/Shanghai';
export function fmtTime(ms) {
  if (!ms) return '';
  return new Date(Number(ms)).toLocaleString('sv-SE', { timeZone: TZ, hour12: false }).slice(0, 16);
}
export function fmtDate(ms) { return ms ? fmtTime(ms).slice(0, 10) : ''; }
// localMs: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" in the agency's zone (UTC+8) as UTC ms.
export function localMs(s) {
  if (!s) return 0;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(s);
  if (!m) return 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0)) - 8 * 3600000;
}
export function todayLocal() { return fmtDate(Date.now()); }

export function fen(v) {
  const n = Number(v || 0);
  const s = (Math.abs(n) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-¥' : '¥') + s;
}
// parseFen: "1,409.50" -> 140950, or NaN.
export function parseFen(s) {
  const m = /^(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(String(s).trim());
  if (!m) return NaN;
  return Number(m[1].replace(/,/g, '')) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

// moneyUpper: 大写 as the server writes it (common/money.c), for the preview as typed.
export function moneyUpper(f) {
  if (!Number.isSafeInteger(f) || f < 0) return '';
  const D = '零壹贰叁肆伍陆柒捌玖', U = ['', '拾', '佰', '仟'], G = ['', '万', '亿', '万'];
  const yuan = Math.floor(f / 100), jiao = Math.floor(f / 10) % 10, fd = f % 10;
  let s = '';
  if (yuan > 0) {
    const str = String(yuan);
    let zero = false, groupHas = false;
    for (let i = 0; i < str.length; i++) {
      const d = +str[i], pos = str.length - 1 - i, unit = pos % 4, group = Math.floor(pos / 4);
      if (d === 0) { if (s) zero = true; } else {
        if (zero) s += '零';
        zero = false;
        groupHas = true;
        s += D[d] + U[unit];
      }
      if (unit === 0 && group > 0) {
        if (groupHas) { s += G[group]; zero = false; }
        groupHas = false;
      }
    }
    s += '元';
  }
  if (jiao === 0 && fd === 0) return (s || '零元') + '整';
  if (yuan > 0 && (yuan % 10 === 0 || jiao === 0)) s += '零';
  if (jiao > 0) s += D[jiao] + '角';
  if (fd > 0) s += D[fd] + '分';
  return s;
}

// toast: a notification that appears for a while (role=status region).
export function toast(title, text, onOpen) {
  const box = document.getElementById('toasts');
  const el = h('div', { class: 'toast', role: 'status' },
    h('strong', {}, title), h('div', {}, text),
    onOpen ? h('button', { type: 'button', onclick: () => { onOpen(); el.remove(); } }, t('查看', 'Open')) : null,
    h('button', { type: 'button', class: 'close', 'aria-label': t('关闭', 'Close'), onclick: () => el.remove() }, '×'));
  box.append(el);
  while (box.children.length > 4) box.firstElementChild.remove(); /* a burst: the newest few */
  setTimeout(() => el.remove(), 12000);
}

export function table(headers, rows, cls) {
  return h('table', { class: cls || 'list' },
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))
      : h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, t('（无）', '(none)')))));
}

export function section(title, ...body) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...body);
}

export function link(href, text) { return h('a', { href }, text); }
