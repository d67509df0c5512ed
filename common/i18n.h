/*
 * NAME
 *	i18n.h - every message a person reads, in Chinese and English
 *
 * SYNOPSIS
 *	i18n_format(buf, sizeof buf, "zh", MSG_CLIENT_NOT_FOUND, id);
 *
 * DESCRIPTION
 *	One table: id, English, Chinese. Both formats take the same printf arguments in the
 *	same order. Staff read Chinese first: "zh" is the default language; "en" on request
 *	(the CLI's --lang, or a LANG starting with "en").
 */
#ifndef AEDESK_I18N_H
#define AEDESK_I18N_H

#include <stddef.h>

#define I18N_MESSAGES(X)                                                                        \
	X(MSG_MALFORMED, "the request could not be read (%s); use a matching aedesk client",        \
	    "请求无法解析（%s）；请使用版本匹配的 aedesk 客户端")                                    \
	X(MSG_UNKNOWN_TYPE, "this service does not handle %s", "本服务不处理请求类型 %s")            \
	X(MSG_UNAUTHENTICATED, "not logged in: run 'aedesk login'", "尚未登录：请运行 aedesk login") \
	X(MSG_TOKEN_EXPIRED, "your login has expired: run 'aedesk login' again",                    \
	    "登录已过期：请重新运行 aedesk login")                                                    \
	X(MSG_TOKEN_REVOKED,                                                                         \
	    "your login was ended (password changed, account disabled or logged out everywhere): "  \
	    "run 'aedesk login' again",                                                              \
	    "您的登录已失效（密码已更改、账号已停用或已在所有设备退出）：请重新运行 aedesk login")   \
	X(MSG_TOKEN_BAD, "your login token is not valid here: run 'aedesk login' again",            \
	    "登录凭证无效：请重新运行 aedesk login")                                                  \
	X(MSG_INTERNAL, "internal error (%s); nothing was changed, tell the admin",                 \
	    "内部错误（%s）；未做任何更改，请联系系统管理员")                                        \
	X(MSG_BUSY, "the service is overloaded; try again in a moment", "服务繁忙，请稍后重试")     \
	X(MSG_LOGIN_FAILED, "wrong staff id or password", "员工编号或密码错误")                     \
	X(MSG_PERMISSION, "your role may not %s", "您的角色无权%s")                                  \
	X(MSG_FIELD_REQUIRED, "%s is required", "必须填写%s")                                        \
	X(MSG_FIELD_INVALID, "%s is not valid: %s", "%s无效：%s")                                    \
	X(MSG_STAFF_ID_INVALID,                                                                      \
	    "staff id '%s' must be 2-32 lowercase letters, digits, '.', '_' or '-'",                 \
	    "员工编号“%s”须为 2-32 个小写字母、数字或 . _ -")                                       \
	X(MSG_STAFF_EXISTS, "staff id '%s' is already taken", "员工编号“%s”已存在")                \
	X(MSG_STAFF_NOT_FOUND, "no staff member '%s'", "没有员工“%s”")                             \
	X(MSG_ROLE_UNKNOWN, "unknown role '%s' (use ae, am, ad, cd, production, finance, admin)",    \
	    "未知角色“%s”（可用 ae、am、ad、cd、production、finance、admin）")                     \
	X(MSG_PASSWORD_POLICY, "a password must be 8 to 128 characters long",                       \
	    "密码长度须为 8 到 128 个字符")                                                          \
	X(MSG_PASSWORD_OLD_WRONG, "the current password is wrong", "当前密码不正确")               \
	X(MSG_CLIENT_NOT_FOUND, "no client '%s' (or not one of yours)", "没有客户“%s”（或不在您的负责范围）") \
	X(MSG_CLIENT_EXISTS, "a client named '%s' already exists (%s)", "客户“%s”已存在（%s）")   \
	X(MSG_CLASS_INVALID, "class must be A, B, C or D, not '%s'", "客户分类须为 A、B、C 或 D，而不是“%s”") \
	X(MSG_NOT_AN_AE, "'%s' is not an AE", "“%s”不是客户主任（AE）")                           \
	X(MSG_AE_OWN_ONLY, "an AE can only add clients for themself", "AE 只能为自己添加客户")

enum i18n_msg {
#define I18N_ENUM(id, en, zh) id,
	I18N_MESSAGES(I18N_ENUM)
#undef I18N_ENUM
	MSG__COUNT
};

/* i18n_lang: "en" if lang starts with "en", else "zh". */
const char *i18n_lang(const char *lang);
const char *i18n_fmt(const char *lang, enum i18n_msg id);
int i18n_format(char *buf, size_t len, const char *lang, enum i18n_msg id, ...);
int i18n_vformat(char *buf, size_t len, const char *lang, enum i18n_msg id, __builtin_va_list ap);

#endif
