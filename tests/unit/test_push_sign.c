/*
 * The chat platforms' signatures on their own published examples: DingTalk's custom
 * robot (secret "this is secret", timestamp 1577262236757) and Feishu's custom bot
 * (secret "demo", timestamp 1599360473); the bodies, JSON escaping, the answers that
 * mean "taken" and "refused", the masking of credentials; quiet hours (across midnight,
 * in the agency's zone), which rules are urgent, and the retry backoff.
 */
#include <sodium.h>
#include <string.h>

#include "check.h"
#include "policy.h"
#include "sign.h"

TEST(test_dingtalk_signature_matches_the_published_example)
{
	char sig[64];
	CHECK_INT(push_sign_dingtalk("this is secret", 1577262236757LL, sig, sizeof sig), 0);
	CHECK_STR(sig, "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=");
	char url[512];
	CHECK_INT(push_url("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", "this is secret",
	              1577262236757LL, url, sizeof url), 0);
	CHECK_STR(url, "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757"
	               "&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
	CHECK_INT(push_url("dingtalk", "https://x.example/robot", "", 1, url, sizeof url), 0);
	CHECK_STR(url, "https://x.example/robot");
}

TEST(test_feishu_signature_matches_the_published_example)
{
	char sig[64], body[512];
	CHECK_INT(push_sign_feishu("demo", 1599360473LL, sig, sizeof sig), 0);
	CHECK_STR(sig, "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
	CHECK_INT(push_body("feishu", "你好", "demo", 1599360473123LL, body, sizeof body), 0);
	CHECK_STR(body, "{\"timestamp\":\"1599360473\",\"sign\":\"l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=\","
	                "\"msg_type\":\"text\",\"content\":{\"text\":\"你好\"}}");
}

TEST(test_bodies_escape_text)
{
	char body[512];
	CHECK_INT(push_body("wecom", "客户\"华夏\"\n明天\\9:00\x01", "", 0, body, sizeof body), 0);
	CHECK_STR(body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"客户\\\"华夏\\\"\\n明天\\\\9:00\\u0001\"}}");
	CHECK_INT(push_body("dingtalk", "x", "s", 0, body, sizeof body), 0);
	CHECK_STR(body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
	CHECK_INT(push_body("wecom", "这条消息放不下", "", 0, body, 20), -1);
}

TEST(test_platform_answers)
{
	char why[128];
	CHECK_INT(push_reply_ok("{\"errcode\":0,\"errmsg\":\"ok\"}", why, sizeof why), 1);
	CHECK_INT(push_reply_ok("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}", why, sizeof why), 0);
	CHECK(strstr(why, "45009") && strstr(why, "freq"));
	CHECK_INT(push_reply_ok("{\"code\":0,\"msg\":\"success\",\"data\":{}}", why, sizeof why), 1);
	CHECK_INT(push_reply_ok("{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}",
	              why, sizeof why), 0);
	CHECK(strstr(why, "19021") != NULL);
	CHECK_INT(push_reply_ok("{\"StatusCode\":0,\"StatusMessage\":\"success\"}", why, sizeof why), 1);
	CHECK_INT(push_reply_ok("", why, sizeof why), 1);
}

TEST(test_credentials_are_masked)
{
	char m[256];
	push_mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", m, sizeof m);
	CHECK_STR(m, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****");
	push_mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef0123", m, sizeof m);
	CHECK_STR(m, "https://open.feishu.cn/open-apis/bot/v2/hook/0123****");
	push_mask_secret("SECb6ac3f9e3c6b43d3c8d2b1a6a8e0c2b1", m, sizeof m);
	CHECK_STR(m, "SEC****");
	push_mask_secret("demo", m, sizeof m);
	CHECK_STR(m, "****");
	push_mask_secret("", m, sizeof m);
	CHECK_STR(m, "");
}

#define TZ (480 * 60000LL)
/* UTC ms of local (UTC+8) hh:mm on 2026-03-02 */
static long long at(int hh, int mm) { return 1772409600000LL + (hh * 60 + mm) * 60000LL - TZ; }

TEST(test_quiet_hours_cross_midnight_in_the_agency_zone)
{
	int f, t;
	CHECK_INT(push_quiet_parse("22:00-08:00", &f, &t), 0);
	CHECK_INT(f, 22 * 60);
	CHECK_INT(t, 8 * 60);
	CHECK_INT(push_quiet_at(at(21, 59), TZ, f, t), 0);
	CHECK_INT(push_quiet_at(at(22, 0), TZ, f, t), 1);
	CHECK_INT(push_quiet_at(at(23, 30), TZ, f, t), 1);
	CHECK_INT(push_quiet_at(at(0, 0), TZ, f, t), 1);
	CHECK_INT(push_quiet_at(at(7, 59), TZ, f, t), 1);
	CHECK_INT(push_quiet_at(at(8, 0), TZ, f, t), 0);
	CHECK_INT(push_quiet_at(at(12, 0), TZ, f, t), 0);
	CHECK_INT(push_quiet_at(at(12, 0), 0, f, t), 1); /* 12:00 in UTC+8 is 04:00 UTC */
	CHECK_INT(push_quiet_parse("12:00-13:30", &f, &t), 0);
	CHECK_INT(push_quiet_at(at(12, 59), TZ, f, t), 1);
	CHECK_INT(push_quiet_at(at(13, 30), TZ, f, t), 0);
	CHECK_INT(push_quiet_parse("off", &f, &t), 0);
	CHECK_INT(push_quiet_at(at(23, 0), TZ, f, t), 0);
	CHECK_INT(push_quiet_parse("22:00", &f, &t), -1);
	CHECK_INT(push_quiet_parse("25:00-08:00", &f, &t), -1);
	CHECK_INT(push_quiet_parse("22:00-8:00", &f, &t), -1);
	CHECK_INT(push_quiet_parse("22:00-08:00x", &f, &t), -1);
}

TEST(test_urgent_rules_and_backoff)
{
	CHECK_INT(push_rule_listed("ALERT", "ALERT"), 1);
	CHECK_INT(push_rule_listed("ALERT, R-PAY-1 ,R-TEAM-1", "R-PAY-1"), 1);
	CHECK_INT(push_rule_listed("ALERT, R-PAY-1 ,R-TEAM-1", "R-TEAM-1"), 1);
	CHECK_INT(push_rule_listed("ALERT", "ALER"), 0);
	CHECK_INT(push_rule_listed("ALERTS", "ALERT"), 0);
	CHECK_INT(push_rule_listed("", "ALERT"), 0);
	CHECK_INT(push_rule_listed("ALERT", ""), 0);
	CHECK_INT(push_backoff(30000, 3600000, 1), 30000);
	CHECK_INT(push_backoff(30000, 3600000, 2), 60000);
	CHECK_INT(push_backoff(30000, 3600000, 4), 240000);
	CHECK_INT(push_backoff(30000, 3600000, 8), 3600000);
	CHECK_INT(push_backoff(30000, 3600000, 4000000000u), 3600000);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(test_dingtalk_signature_matches_the_published_example);
	RUN(test_feishu_signature_matches_the_published_example);
	RUN(test_bodies_escape_text);
	RUN(test_platform_answers);
	RUN(test_credentials_are_masked);
	RUN(test_quiet_hours_cross_midnight_in_the_agency_zone);
	RUN(test_urgent_rules_and_backoff);
	return check_summary();
}
