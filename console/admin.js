// admin.js - 管理: staff, every service's status and its alerts.
import { call, hasRole } from './api.js';
import { h, field, act, table, section, fmtTime } from './ui.js';
import { t, role } from './i18n.js';

export async function pageAdmin() {
  const [staff, status] = await Promise.all([
    call('registry', 'StaffListRequest', {}).catch((e) => ({ staff: [], error: e })),
    call('status', 'StatusRequest', {}).catch((e) => ({ services: [], error: e })),
  ]);
  const box = h('div');
  const [fi, id] = field(t('工号', 'Staff id'), { required: true });
  const [fn, name] = field(t('姓名', 'Name'), { required: true });
  const [fr, rl] = field(t('角色', 'Role'), { options: ['ae', 'am', 'ad', 'cd', 'production', 'finance', 'admin'].map((r) => [r, role(r)]) }, 'select');
  const [fm, mgr] = field(t('直属主管（工号）', 'Manager (staff id)'));
  const add = h('form', { class: 'inline', 'aria-label': t('新增员工', 'Add staff') }, fi, fn, fr, fm, h('button', { type: 'submit' }, t('新增员工', 'Add staff')), box);
  add.addEventListener('submit', (e) => {
    e.preventDefault();
    act(box, () => call('registry', 'StaffAddRequest', { id: id.value.trim(), name: name.value.trim(), roles: [rl.value], manager: mgr.value.trim() }),
      () => { const hsh = location.hash; location.hash = '#/'; location.hash = hsh; });
  });
  const alerts = status.services.filter((s) => s.alerts.length);
  return h('div', {},
    h('h1', {}, t('管理', 'Admin')),
    section(t('告警', 'Alerts'), alerts.length ? h('ul', { class: 'plain' }, alerts.map((s) => h('li', { class: 'warn' },
      `${s.service}: ${s.alerts.map((a, i) => `${a} ${t('自', 'since')} ${fmtTime(s.alert_since_ms[i])}`).join('; ')}`)))
      : h('p', { class: 'ok' }, t('没有告警。', 'No alerts.'))),
    section(t('服务状态', 'Services'), table([t('服务', 'Service'), t('运行', 'Up'), t('版本', 'Version'), t('请求', 'Requests'), t('错误', 'Errors'), t('最大延迟', 'Max lag')],
      status.services.map((s) => [s.service, h('span', { class: s.up ? 'ok' : 'warn' }, s.up ? t('运行中', 'up') : t('停止', 'down')),
        s.health ? s.health.version : '', s.health ? String(s.health.requests) : '', s.health ? String(s.health.errors) : '', String(s.max_lag)]))),
    section(t('员工', 'Staff'), staff.error ? h('p', {}, staff.error.message) : table([t('工号', 'Id'), t('姓名', 'Name'), t('角色', 'Roles'), t('主管', 'Manager'), t('状态', 'State')],
      staff.staff.map((s) => [s.id, s.name, s.roles.map(role).join('、'), s.manager, s.disabled ? t('停用', 'disabled') : t('在职', 'active')])),
    hasRole('admin') ? add : null));
}
