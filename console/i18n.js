// i18n.js - Chinese first, English on a switch; the choice is a preference kept in
// localStorage (nothing secret is ever stored there).
const KEY = 'aedesk.lang';
let current = (() => { try { return localStorage.getItem(KEY) || 'zh'; } catch (e) { return 'zh'; } })();

export function lang() { return current; }
export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(KEY, current); } catch (e) { /* private mode */ }
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

// t(zh, en): the text in the chosen language.
export function t(zh, en) { return current === 'en' ? en : zh; }

export const STAGES = {
  JOB_STAGE_FORECAST: ['预报', 'Forecast'],
  JOB_STAGE_BRIEF: ['简报', 'Brief'],
  JOB_STAGE_SKETCH: ['草图', 'Sketch'],
  JOB_STAGE_ESTIMATE: ['估价单', 'Estimate'],
  JOB_STAGE_FINAL_ART: ['完稿', 'Final art'],
  JOB_STAGE_EXECUTION: ['创意执行', 'Execution'],
  JOB_STAGE_PRODUCTION: ['制作', 'Production'],
  JOB_STAGE_CLOSED: ['结束', 'Closed'],
};
export function stage(s) { const p = STAGES[s]; return p ? t(p[0], p[1]) : s; }

export const ROLES = {
  ae: ['客户执行（AE）', 'AE'], am: ['客户经理（AM）', 'AM'], ad: ['客户总监（AD）', 'AD'],
  cd: ['创意总监', 'Creative director'], production: ['制作部', 'Production'],
  finance: ['财务', 'Finance'], admin: ['管理员', 'Admin'], client: ['客户', 'Client'],
};
export function role(r) { const p = ROLES[r]; return p ? t(p[0], p[1]) : r; }

export const ESTIMATE_STATES = {
  ESTIMATE_DRAFT: ['草稿', 'Draft'], ESTIMATE_SIGNED: ['总监已签', 'Signed by AD'],
  ESTIMATE_SENT: ['待客户确认', 'Waiting for the client'], ESTIMATE_CONFIRMED: ['客户已确认', 'Confirmed'],
  ESTIMATE_DECLINED: ['客户拒绝', 'Declined'],
};
export function estimateState(s) { const p = ESTIMATE_STATES[s]; return p ? t(p[0], p[1]) : s; }
