/*
 * NAME
 *	cmd_client_profile.c - aedesk client profile: the client dossier (客户基本资料)
 *
 * SYNOPSIS
 *	aedesk client profile ID
 *	aedesk client profile ID --set SECTION.FIELD=VALUE [--set ...]
 *	aedesk client profile ID --edit
 *	aedesk client profile ID --file PROFILE.json
 *
 * DESCRIPTION
 *	Shows the profile section by section (Chinese labels; English with --lang en),
 *	with its completeness (R-PROFILE-1). --set changes fields of what was read and
 *	sends the whole profile back; --edit opens $EDITOR on the profile as JSON
 *	(pbjson_print) and --file applies such a document without an editor. Either way
 *	it is all or nothing: the registry checks every field and names each invalid one.
 *	The document carries the version it was read at, so a change made by someone
 *	else in between is refused rather than overwritten.
 *
 *	Values for --set: text as is; amounts (fields ending _fen) in yuan ("500,000");
 *	choices by name ("tv", "MEDIUM_TV") or label ("电视"); several choices separated
 *	by commas; lists of pairs (product.aspects, future_ads.media, services.requested)
 *	as items separated by ';' with parts separated by ':' ("tv:800000;newspaper:200000",
 *	"research:often"). An empty value clears the field.
 *
 *	The JSON reader here is small on purpose: objects, arrays, strings, numbers,
 *	true/false/null, into any protobuf-c message by its descriptor; each bad value is
 *	reported by its path and reading goes on, so every mistake shows at once.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "money.h"
#include "pbjson.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

int client_profile_cmd(int argc, char **argv);

struct label {
	const char *key, *zh, *en;
};

static const struct label enum_labels[] = {
	{"PRODUCT_EXISTING", "既有商品", NULL},
	{"PRODUCT_IMPROVED", "改良产品", NULL},
	{"PRODUCT_NEW", "新产品", NULL},
	{"GOAL_EXPAND_MARKET", "市场之扩大", NULL},
	{"GOAL_SWITCH_PURCHASE", "促进变更购买", NULL},
	{"GOAL_NEW_USES", "扩大新用途", NULL},
	{"NECESSITY_NECESSITY", "必需品", NULL},
	{"NECESSITY_HOBBY", "嗜好品", NULL},
	{"NECESSITY_LUXURY", "奢侈品", NULL},
	{"ASPECT_QUALITY", "品质", NULL},
	{"ASPECT_USES", "用途", NULL},
	{"ASPECT_PERFORMANCE", "性能", NULL},
	{"ASPECT_LIFE", "寿命", NULL},
	{"ASPECT_DESIGN", "设计", NULL},
	{"ASPECT_COLOUR", "色彩", NULL},
	{"ASPECT_PACKAGING", "包装", NULL},
	{"ASPECT_SPEC", "规格", NULL},
	{"ASPECT_TRADE", "批发零售", NULL},
	{"ASPECT_PRICE", "零售价格", NULL},
	{"ASPECT_EASE_OF_USE", "使用上的难易", NULL},
	{"ASPECT_WARRANTY", "保证", NULL},
	{"ASPECT_OTHER", "其他", NULL},
	{"SOURCING_DOMESTIC", "国产的", NULL},
	{"SOURCING_IMPORTED", "进口的", NULL},
	{"SOURCING_BOTH", "兼而有之", NULL},
	{"USER_INDIVIDUAL", "个人", NULL},
	{"USER_HOUSEHOLD", "家庭", NULL},
	{"USER_HOTEL", "酒店", NULL},
	{"USER_BUSINESS", "企业、机构", NULL},
	{"REGION_NATIONAL", "全国", NULL},
	{"REGION_LOCAL", "地方", NULL},
	{"REGION_CITY", "城市", NULL},
	{"REGION_SUBURB", "市郊", NULL},
	{"REGION_RURAL", "乡村", NULL},
	{"REGION_OVERSEAS", "国外", NULL},
	{"BUY_ONCE_IN_LIFE", "一生一次", NULL},
	{"BUY_EVERY_FEW_YEARS", "数年一次", NULL},
	{"BUY_YEARLY", "一年一次", NULL},
	{"BUY_QUARTERLY", "每季一次", NULL},
	{"BUY_MONTHLY", "每月", NULL},
	{"BUY_EVERY_TEN_DAYS", "每旬", NULL},
	{"BUY_WEEKLY", "每周", NULL},
	{"BUY_DAILY", "每天", NULL},
	{"BUY_OTHER", "其他", NULL},
	{"BUY_CAREFULLY", "慎重购买", NULL},
	{"BUY_ON_IMPULSE", "冲动购买", NULL},
	{"BUY_REGULARLY", "固定的购买", NULL},
	{"BUY_IRREGULARLY", "不规则购买", NULL},
	{"LEVEL_HIGH", "高", NULL},
	{"LEVEL_AVERAGE", "普通", NULL},
	{"LEVEL_LOW", "低", NULL},
	{"SALES_NATIONWIDE", "全国同时", NULL},
	{"SALES_FROM_REGION", "从特定区域", NULL},
	{"SALES_REGION_ONLY", "仅特定区域", NULL},
	{"CHANNEL_WHOLESALE", "一般批发业", NULL},
	{"CHANNEL_RETAIL", "零售店", NULL},
	{"CHANNEL_DEALER", "特约商", NULL},
	{"CHANNEL_AGENT", "专属代理商", NULL},
	{"CHANNEL_CHAIN", "连锁店", NULL},
	{"CHANNEL_ONLINE", "网络", NULL},
	{"CHANNEL_DIRECT", "直接面向客户", NULL},
	{"PROMO_DEALER_SUPPORT", "经销商经营支援指导（布置、陈列…）", NULL},
	{"PROMO_POP", "POP 广告", NULL},
	{"PROMO_FLYERS", "传单、招贴", NULL},
	{"PROMO_CATALOGUES", "产品目录、小册子", NULL},
	{"PROMO_DEALER_MEETINGS", "经销商会议", NULL},
	{"PROMO_DEMONSTRATIONS", "操作演示、展示说明会", NULL},
	{"PROMO_SALES", "特卖", NULL},
	{"PROMO_PREMIUMS", "赠奖、附带赠品", NULL},
	{"PROMO_LOTTERY", "抽奖、竞赛", NULL},
	{"PROMO_DIRECT_MAIL", "广告函件", NULL},
	{"PROMO_FACTORY_TOURS", "参观工厂", NULL},
	{"PROMO_LOYALTY_CLUB", "爱用者优待会", NULL},
	{"PROMO_EXHIBITIONS", "表演、展示会", NULL},
	{"PROMO_COMPLAINTS", "怨情处理", NULL},
	{"AD_ACTIVE", "积极的 / 积极化", NULL},
	{"AD_PASSIVE", "消极的 / 消极化", NULL},
	{"AD_NEUTRAL", "普通 / 不清", NULL},
	{"STAFFING_ENOUGH", "充分", NULL},
	{"STAFFING_SHORT", "不足", NULL},
	{"STAFFING_VARIES", "不定", NULL},
	{"IN_HOUSE_BUDGET", "至预算决定阶段", NULL},
	{"IN_HOUSE_MEDIA", "至媒体选择阶段", NULL},
	{"IN_HOUSE_SCHEDULE", "至发稿计划阶段", NULL},
	{"IN_HOUSE_COPY", "至文案作成阶段", NULL},
	{"IN_HOUSE_AGENCY", "全权委托广告公司", NULL},
	{"AD_PURPOSE_PRODUCT", "商品广告", NULL},
	{"AD_PURPOSE_CORPORATE", "企业广告", NULL},
	{"AD_PURPOSE_NOTICE", "告之广告", NULL},
	{"AUDIENCE_TRADE", "业界", NULL},
	{"AUDIENCE_RESELLERS", "销售业者", NULL},
	{"AUDIENCE_CONSUMERS", "消费者", NULL},
	{"MEDIUM_NEWSPAPER", "报纸", NULL},
	{"MEDIUM_MAGAZINE", "杂志", NULL},
	{"MEDIUM_TV", "电视", NULL},
	{"MEDIUM_RADIO", "广播", NULL},
	{"MEDIUM_OUTDOOR", "户外", NULL},
	{"MEDIUM_TRANSIT", "交通", NULL},
	{"MEDIUM_DM", "DM", NULL},
	{"MEDIUM_POP", "POP", NULL},
	{"MEDIUM_ONLINE", "网络", NULL},
	{"MEDIUM_TRADE_PRESS", "专业杂志（报）", NULL},
	{"MEDIUM_DISPLAY", "展示、店铺装潢", NULL},
	{"MEDIUM_PRINT", "印刷品", NULL},
	{"MEDIUM_PR_FILM", "公关影片", NULL},
	{"APPEAL_DURABILITY", "耐久性", NULL},
	{"APPEAL_ENJOYMENT", "快乐性", NULL},
	{"APPEAL_EASE_OF_USE", "使用上的难易", NULL},
	{"APPEAL_FORM", "形式", NULL},
	{"APPEAL_ATTRACTION", "魅力性", NULL},
	{"APPEAL_PRICE", "价格", NULL},
	{"APPEAL_EMOTION", "感情上的特性", NULL},
	{"APPEAL_OTHER", "其他", NULL},
	{"SERVICE_AD_PLAN", "广告策划书的提供", NULL},
	{"SERVICE_PLANNING_DATA", "为广告计划提供基本的资料", NULL},
	{"SERVICE_MEDIA_PLAN", "提出发稿计划", NULL},
	{"SERVICE_BROADCAST", "电视广播的企划", NULL},
	{"SERVICE_EXECUTION_ADVICE", "广告表现技术之照会", NULL},
	{"SERVICE_CREATIVE", "提出广告活动创意", NULL},
	{"SERVICE_STATISTICS", "广告统计资料", NULL},
	{"SERVICE_RESEARCH", "调查与统计作业", NULL},
	{"SERVICE_MARKET_ANALYSIS", "市场分析作业", NULL},
	{"SERVICE_EFFECT_STUDY", "广告效果调查", NULL},
	{"SERVICE_PACKAGING", "包装、标签", NULL},
	{"FREQ_CONSTANTLY", "经常", NULL},
	{"FREQ_OFTEN", "常常", NULL},
	{"FREQ_OCCASIONALLY", "偶尔", NULL},
	{"FREQ_NEVER", "皆无", NULL},
	{"AGENCY_KEEP", "维持现状", NULL},
	{"AGENCY_CONCENTRATE", "集中化", NULL},
	{"AGENCY_SPREAD", "分散化", NULL},
	{"AGENCY_UNDECIDED", "不定", NULL},
	{"PROSPECT_TARGET_SCREENED", "目标筛选", NULL},
	{"PROSPECT_INFO_GATHERED", "资料收集", NULL},
	{"PROSPECT_FIRST_CALL", "初次拜访", NULL},
	{"PROSPECT_NEEDS_UNDERSTOOD", "了解需求、约定面访", NULL},
	{"PROSPECT_PROPOSAL", "提案", NULL},
	{"PROSPECT_WON", "签约（成为客户）", NULL},
	{"PROSPECT_LOST", "失败", NULL},
	{"INTENT_UNKNOWN", "未确认", NULL},
	{"INTENT_CONFIRMED", "确认有意向", NULL},
	{NULL, NULL, NULL},
};
static const struct label field_labels[] = {
	{"overview", "公司概况", NULL},
	{"overview.uscc", "统一社会信用代码", NULL},
	{"overview.industry", "行业", NULL},
	{"overview.founded", "创业时期", NULL},
	{"overview.founders", "创业者", NULL},
	{"overview.capital_fen", "资金", NULL},
	{"overview.capital_history", "增资情况", NULL},
	{"overview.fiscal_year_end_month", "决算期 1-12", NULL},
	{"overview.results_newspaper", "决算广告所刊登之报纸", NULL},
	{"overview.business_results", "营业实绩", NULL},
	{"overview.product_mix", "产品组合", NULL},
	{"overview.our_products", "我负责主要品目", NULL},
	{"overview.industry_position", "业界地位", NULL},
	{"overview.headcount", "从业人员数", NULL},
	{"overview.sites", "主要营业所、工厂所在地", NULL},
	{"overview.plans", "今后发展计划", NULL},
	{"overview.banking", "金融往来情形", NULL},
	{"overview.group", "企业系列", NULL},
	{"overview.notes", "其他应注意点", NULL},
	{"people", "主要人员（人事关系）", NULL},
	{"people.chairman", "董事长", NULL},
	{"people.general_manager", "总经理", NULL},
	{"people.deputy_managers", "副总经理", NULL},
	{"people.other_officers", "其他负责人员", NULL},
	{"people.admin_contact", "庶务文书关系者", NULL},
	{"people.sales_contact", "销售关系者", NULL},
	{"people.advertising_contact", "广告关系者", NULL},
	{"people.organisation", "公司组织机构", NULL},
	{"product", "产品", NULL},
	{"product.generic_name", "一般名称", NULL},
	{"product.brand_name", "品牌名称", NULL},
	{"product.kind", "商品类别（既有/改良/新）", NULL},
	{"product.launch_date", "发售时期", NULL},
	{"product.goals", "既有商品今后之目标", NULL},
	{"product.improvements", "改良点", NULL},
	{"product.new_uses", "被扩大的新用途", NULL},
	{"product.necessity", "必要程度（必需/嗜好/奢侈）", NULL},
	{"product.uses", "过去所强调的用途", NULL},
	{"product.misuse", "容易误用及误用之程度", NULL},
	{"product.aspects", "优缺点", NULL},
	{"product.competitors", "竞争商品之优缺点", NULL},
	{"product.outlook", "对商品将来性之意见", NULL},
	{"production", "生产与销售", NULL},
	{"production.annual_output", "年生产量", NULL},
	{"production.output_growth_pct", "年生产增长率（%）", NULL},
	{"production.monthly_capacity", "月生产能力", NULL},
	{"production.planned_annual_output", "预定年生产量", NULL},
	{"production.production_plan", "将来生产计划", NULL},
	{"production.main_materials", "主原料", NULL},
	{"production.sub_materials", "副原料", NULL},
	{"production.annual_sales_volume", "年销售量", NULL},
	{"production.annual_sales_fen", "年销售额", NULL},
	{"production.profit_fen", "利润", NULL},
	{"production.sales_growth_pct", "销售额增长率（%）", NULL},
	{"production.target_sales_volume", "预计年销售量", NULL},
	{"production.target_sales_fen", "预计年销售额", NULL},
	{"production.imports", "同类产品的进口情形", NULL},
	{"market", "市场", NULL},
	{"market.users", "使用单位", NULL},
	{"market.buyer_segments", "购买者阶层及使用者阶层", NULL},
	{"market.regions", "销售地区", NULL},
	{"market.purchase_frequency", "购买频度", NULL},
	{"market.purchase_attitude", "购买态度", NULL},
	{"market.purchase_regularity", "购买的规则性", NULL},
	{"market.brand_loyalty", "品牌固定率", NULL},
	{"market.market_share_pct", "市场占有率（%）", NULL},
	{"market.share_notes", "占有率偏高/偏低的地区与原因", NULL},
	{"market.total_demand_fen", "国内年总需求金额", NULL},
	{"market.development", "今后的市场开发", NULL},
	{"market.export_markets", "出口市场", NULL},
	{"sales", "销售政策、渠道、促销", NULL},
	{"sales.coverage", "销售政策（地区）", NULL},
	{"sales.coverage_regions", "地区名", NULL},
	{"sales.channels", "目前的销售渠道", NULL},
	{"sales.planned_channels", "今后所要开发的渠道", NULL},
	{"sales.export_channels", "出口渠道", NULL},
	{"sales.promotion_budget_fen", "销售促进费用", NULL},
	{"sales.promotions", "销售促进活动", NULL},
	{"sales.promotion_notes", "主要经销业者商品处理情形等", NULL},
	{"sales.competitor_sales", "竞争商品的销售活动", NULL},
	{"past_ads", "过去的广告", NULL},
	{"past_ads.attitude", "对广告活动的态度", NULL},
	{"past_ads.staffing", "广告部门人员", NULL},
	{"past_ads.in_house", "公司自行处理到", NULL},
	{"past_ads.purposes", "主要目的", NULL},
	{"past_ads.regions", "主要广告地区", NULL},
	{"past_ads.audiences", "广告对象", NULL},
	{"past_ads.media", "目前使用的媒体", NULL},
	{"past_ads.media_usage", "媒体的使用方法", NULL},
	{"past_ads.pr", "PR、发布讯息活动", NULL},
	{"past_ads.competitor_ads", "竞争商品的广告活动与所用媒体", NULL},
	{"future_ads", "今后的广告", NULL},
	{"future_ads.trend", "积极化 / 消极化 / 不清", NULL},
	{"future_ads.in_house", "公司内部处理程度", NULL},
	{"future_ads.purposes", "预料的广告目的", NULL},
	{"future_ads.regions_plan", "主要广告地区（扩大/缩小）", NULL},
	{"future_ads.audiences", "广告对象", NULL},
	{"future_ads.appeals", "主要诉求点", NULL},
	{"future_ads.appeal_notes", "诉求点说明", NULL},
	{"future_ads.periods", "广告期间", NULL},
	{"future_ads.budget_fen", "预定年广告费", NULL},
	{"future_ads.media", "所用媒体及大致费用", NULL},
	{"future_ads.pr_plan", "PR、发布讯息活动方针", NULL},
	{"services", "对广告公司的服务要求", NULL},
	{"services.requested", "要求的服务及频度", NULL},
	{"services.agency_policy", "利用广告代理者的方针", NULL},
	{"services.other_agencies", "其他广告代理业者之服务活动", NULL},
	{"services.evaluation", "广告主对服务活动的评价", NULL},
	{"services.plan_timing", "广告计划书之提出次数与时期", NULL},
	{"services.to_strengthen", "今后必须加强的服务", NULL},
	{NULL, NULL, NULL},
};

#define FIELD_PTR(m, f) ((void *)((char *)(m) + (f)->offset))
#define FIELD_COUNT(m, f) (*(size_t *)((char *)(m) + (f)->quantifier_offset))

static const char *label_of(const struct label *t, const char *key)
{
	for (; t->key; t++)
		if (strcmp(t->key, key) == 0)
			return t->zh[0] ? t->zh : NULL;
	return NULL;
}

/* field_label: the Chinese label, or in English the field name in words. */
static const char *field_label(const char *sec, const char *name, char *buf, size_t len)
{
	char key[128];
	if (name)
		snprintf(key, sizeof key, "%s.%s", sec, name);
	else
		snprintf(key, sizeof key, "%s", sec);
	const char *zh = label_of(field_labels, key);
	if (strcmp(cli.lang, "en") != 0 && zh)
		return zh;
	snprintf(buf, len, "%s", name ? name : sec);
	size_t n = strlen(buf);
	if (n > 4 && strcmp(buf + n - 4, "_fen") == 0)
		snprintf(buf + n - 4, len - (n - 4), " (yuan)");
	else if (n > 4 && strcmp(buf + n - 4, "_pct") == 0)
		snprintf(buf + n - 4, len - (n - 4), " (%%)");
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
	return buf;
}

/* enum_suffix: the part of a value's name after its enum's common prefix ("MEDIUM_TV" -> "TV"). */
static const char *enum_suffix(const ProtobufCEnumDescriptor *ed, const char *name)
{
	/* the prefix every value shares (the unspecified value names it) */
	const char *zero = ed->values[0].name;
	size_t p = 0;
	while (zero[p] && name[p] == zero[p])
		p++;
	while (p > 0 && name[p - 1] != '_')
		p--;
	if (p == 0) { /* no shared prefix ("SERVICE_RESEARCH"): drop the first word */
		const char *u = strchr(name, '_');
		return u && u[1] ? u + 1 : name;
	}
	return name + p;
}

static const char *enum_label(const ProtobufCEnumDescriptor *ed, int v, char *buf, size_t len)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(ed, v);
	if (!ev) {
		snprintf(buf, len, "%d", v);
		return buf;
	}
	const char *zh = label_of(enum_labels, ev->name);
	if (strcmp(cli.lang, "en") != 0 && zh)
		return zh;
	snprintf(buf, len, "%s", enum_suffix(ed, ev->name));
	for (char *q = buf; *q; q++)
		*q = *q == '_' ? '-' : (char)tolower((unsigned char)*q);
	return buf;
}

/* enum_parse: a value by full name, suffix (any case, '-' for '_'), label or number. */
static int enum_parse(const ProtobufCEnumDescriptor *ed, const char *s, int *out)
{
	char norm[128];
	snprintf(norm, sizeof norm, "%s", s);
	for (char *q = norm; *q; q++)
		*q = *q == '-' ? '_' : (char)toupper((unsigned char)*q);
	if (ed->n_values && strcmp(norm, ed->values[0].name) == 0) { /* "not chosen", as pbjson prints it */
		*out = ed->values[0].value;
		return 0;
	}
	for (unsigned i = 1; i < ed->n_values; i++) {
		const ProtobufCEnumValue *ev = &ed->values[i];
		const char *zh = label_of(enum_labels, ev->name);
		if (strcmp(norm, ev->name) == 0 || strcmp(norm, enum_suffix(ed, ev->name)) == 0 || (zh && strcmp(s, zh) == 0)) {
			*out = ev->value;
			return 0;
		}
	}
	return -1;
}

static int is_money(const ProtobufCFieldDescriptor *f)
{
	size_t n = strlen(f->name);
	return n > 4 && strcmp(f->name + n - 4, "_fen") == 0;
}

/* ---- printing ---- */

/* value_text writes one (non-repeated) value of m's field f for a person to read. */
static void value_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, const void *p, char *buf, size_t len)
{
	(void)m;
	char tmp[128];
	buf[0] = 0;
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		snprintf(buf, len, "%s", *(char *const *)p);
		break;
	case PROTOBUF_C_TYPE_INT64:
		if (*(const int64_t *)p == 0)
			break;
		if (is_money(f))
			money_format(*(const int64_t *)p, buf, len);
		else
			snprintf(buf, len, "%lld", (long long)*(const int64_t *)p);
		break;
	case PROTOBUF_C_TYPE_INT32:
		if (*(const int32_t *)p)
			snprintf(buf, len, "%d", *(const int32_t *)p);
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		if (*(const double *)p != 0)
			snprintf(buf, len, "%g", *(const double *)p);
		break;
	case PROTOBUF_C_TYPE_ENUM:
		if (*(const int *)p)
			snprintf(buf, len, "%s", enum_label(f->descriptor, *(const int *)p, tmp, sizeof tmp));
		break;
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *sub = *(ProtobufCMessage *const *)p;
		const ProtobufCMessageDescriptor *sd = f->descriptor;
		size_t used = 0;
		for (unsigned j = 0; sub && j < sd->n_fields && used < len; j++) {
			char part[1024];
			value_text(sub, &sd->fields[j], FIELD_PTR(sub, &sd->fields[j]), part, sizeof part);
			used += (size_t)snprintf(buf + used, len - used, "%s%s", j ? " " : "", part);
		}
		break;
	}
	default:
		break;
	}
}

static void field_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, char *buf, size_t len)
{
	if (f->label != PROTOBUF_C_LABEL_REPEATED) {
		value_text(m, f, FIELD_PTR(m, f), buf, len);
		return;
	}
	size_t n = FIELD_COUNT(m, f), used = 0, sz = f->type == PROTOBUF_C_TYPE_ENUM ? sizeof(int) : sizeof(void *);
	const char *arr = *(const char *const *)FIELD_PTR(m, f);
	buf[0] = 0;
	for (size_t i = 0; i < n && used < len; i++) {
		char part[1024];
		value_text(m, f, arr + i * sz, part, sizeof part);
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? (f->type == PROTOBUF_C_TYPE_MESSAGE ? "；" : "、") : "", part);
	}
}

static void profile_print(const Aedesk__ClientProfile *p)
{
	const ProtobufCMessageDescriptor *d = &aedesk__client_profile__descriptor;
	char when[32] = "";
	if (p->updated_ms)
		cli_format_time(p->updated_ms, when, sizeof when);
	printf(cli_t("客户基本资料 %s    完整度 %u%%（R-PROFILE-1）    第 %u 版 %s %s\n",
		   "Client profile %s    complete %u%% (R-PROFILE-1)    version %u %s %s\n"),
	    p->client_id, p->completeness_pct, p->version, when, p->updated_by);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *sf = &d->fields[i];
		if (sf->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		const ProtobufCMessage *sec = *(ProtobufCMessage *const *)FIELD_PTR(p, sf);
		char lb[128];
		printf("\n[%s] %s\n", sf->name, field_label(sf->name, NULL, lb, sizeof lb));
		if (!sec)
			continue;
		const ProtobufCMessageDescriptor *sd = sf->descriptor;
		const char *h[] = {cli_t("项目", "FIELD"), cli_t("内容", "VALUE"), cli_t("字段", "KEY")};
		text_table *t = text_table_new(3, h);
		for (unsigned j = 0; t && j < sd->n_fields; j++) {
			char val[4096], key[128];
			field_text(sec, &sd->fields[j], val, sizeof val);
			snprintf(key, sizeof key, "%s.%s", sf->name, sd->fields[j].name);
			const char *row[] = {field_label(sf->name, sd->fields[j].name, lb, sizeof lb), val, key};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
}

/* ---- errors collected while reading --set values or a JSON document ---- */

struct errs {
	int n;
};

static void err_add(struct errs *e, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err_add(struct errs *e, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	e->n++;
}

/* ---- setting a field from text (--set) ---- */

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

/* scalar_from_text parses one value of type f into p (for strings a fresh copy). */
static int scalar_from_text(const ProtobufCFieldDescriptor *f, const char *s, void *p, const char *path, struct errs *e)
{
	char *end;
	errno = 0;
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		*(char **)p = xstrdup(s);
		return 0;
	case PROTOBUF_C_TYPE_INT64: {
		int64_t v = 0;
		if (!*s)
			;
		else if (is_money(f) ? money_parse(s, &v) != 0 : (v = strtoll(s, &end, 10), *end || errno)) {
			err_add(e, path, "%s", is_money(f) ? cli_t("须为金额（元），如 500,000 或 1200.50", "an amount in yuan such as 500,000 or 1200.50")
							   : cli_t("须为整数", "a whole number"));
			return -1;
		}
		*(int64_t *)p = v;
		return 0;
	}
	case PROTOBUF_C_TYPE_INT32: {
		long v = *s ? strtol(s, &end, 10) : 0;
		if (*s && (*end || errno || v < INT32_MIN || v > INT32_MAX)) {
			err_add(e, path, "%s", cli_t("须为整数", "a whole number"));
			return -1;
		}
		*(int32_t *)p = (int32_t)v;
		return 0;
	}
	case PROTOBUF_C_TYPE_DOUBLE: {
		double v = *s ? strtod(s, &end) : 0;
		if (*s && (*end || errno || !isfinite(v))) {
			err_add(e, path, "%s", cli_t("须为数字", "a number"));
			return -1;
		}
		*(double *)p = v;
		return 0;
	}
	case PROTOBUF_C_TYPE_ENUM: {
		int v = 0;
		if (*s && enum_parse(f->descriptor, s, &v) != 0) {
			const ProtobufCEnumDescriptor *ed = f->descriptor;
			char list[1024], tmp[128];
			size_t used = 0;
			for (unsigned i = 1; i < ed->n_values && used < sizeof list; i++)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i > 1 ? ", " : "",
				    enum_label(ed, ed->values[i].value, tmp, sizeof tmp));
			err_add(e, path, cli_t("“%s”不是选项之一（可选：%s）", "'%s' is not one of the choices (%s)"), s, list);
			return -1;
		}
		*(int *)p = v;
		return 0;
	}
	default:
		err_add(e, path, "%s", cli_t("不能用 --set 修改", "cannot be set with --set"));
		return -1;
	}
}

static void field_clear(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	void *p = FIELD_PTR(m, f);
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = FIELD_COUNT(m, f);
		void **arr = *(void ***)p;
		if (f->type == PROTOBUF_C_TYPE_MESSAGE || f->type == PROTOBUF_C_TYPE_STRING)
			for (size_t i = 0; i < n; i++) {
				if (f->type == PROTOBUF_C_TYPE_MESSAGE)
					protobuf_c_message_free_unpacked(arr[i], NULL);
				else
					free(arr[i]);
			}
		free(arr);
		*(void **)p = NULL;
		FIELD_COUNT(m, f) = 0;
	} else if (f->type == PROTOBUF_C_TYPE_STRING) {
		char *s = *(char **)p;
		if (s && s != protobuf_c_empty_string)
			free(s);
		*(char **)p = (char *)protobuf_c_empty_string;
	}
}

/* field_set_text sets m's field f from --set text (see DESCRIPTION). */
static int field_set_text(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, const char *val, const char *path, struct errs *e)
{
	if (f->label != PROTOBUF_C_LABEL_REPEATED) {
		union {
			char *s;
			int64_t i64;
			int32_t i32;
			double d;
			int en;
		} v;
		memset(&v, 0, sizeof v);
		if (scalar_from_text(f, val, &v, path, e))
			return -1;
		field_clear(m, f);
		memcpy(FIELD_PTR(m, f), &v,
		    f->type == PROTOBUF_C_TYPE_STRING ? sizeof(char *) : f->type == PROTOBUF_C_TYPE_INT64 ? 8 : f->type == PROTOBUF_C_TYPE_DOUBLE ? 8 : 4);
		return 0;
	}
	char *copy = xstrdup(val), *save = NULL;
	int bad = 0;
	size_t n = 0, cap = 4, sz = f->type == PROTOBUF_C_TYPE_ENUM ? sizeof(int) : sizeof(void *);
	char *arr = calloc(cap, sz);
	const char *sep = f->type == PROTOBUF_C_TYPE_MESSAGE ? ";" : ",";
	for (char *item = strtok_r(copy, sep, &save); item && arr; item = strtok_r(NULL, sep, &save)) {
		if (n == cap) {
			char *grown = realloc(arr, (cap *= 2) * sz);
			if (!grown)
				break;
			arr = grown;
		}
		if (f->type == PROTOBUF_C_TYPE_ENUM) {
			bad |= scalar_from_text(f, item, arr + n * sz, path, e) != 0;
			n++;
		} else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
			const ProtobufCMessageDescriptor *sd = f->descriptor;
			ProtobufCMessage *sub = calloc(1, sd->sizeof_message);
			if (!sub)
				break;
			protobuf_c_message_init(sd, sub);
			char *cursor = item; /* parts split at ':', the last takes the rest */
			for (unsigned j = 0; j < sd->n_fields; j++) {
				const char *part = cursor ? cursor : "";
				char *colon = cursor && j + 1 < sd->n_fields ? strchr(cursor, ':') : NULL;
				if (colon)
					*colon = 0;
				cursor = colon ? colon + 1 : NULL;
				bad |= scalar_from_text(&sd->fields[j], part, FIELD_PTR(sub, &sd->fields[j]), path, e) != 0;
			}
			((ProtobufCMessage **)(void *)arr)[n++] = sub;
		} else {
			((char **)(void *)arr)[n++] = xstrdup(item);
		}
	}
	free(copy);
	field_clear(m, f);
	*(void **)FIELD_PTR(m, f) = arr;
	FIELD_COUNT(m, f) = n;
	return bad ? -1 : 0;
}

static const ProtobufCFieldDescriptor *find_field(const ProtobufCMessageDescriptor *d, const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(d, name);
}

/* apply_set applies one SECTION.FIELD=VALUE to p. */
static int apply_set(Aedesk__ClientProfile *p, const char *arg, struct errs *e)
{
	char path[128];
	const char *eq = strchr(arg, '=');
	if (!eq || (size_t)(eq - arg) >= sizeof path) {
		err_add(e, arg, "%s", cli_t("须写成 段.字段=值，如 overview.industry=食品", "write SECTION.FIELD=VALUE, e.g. overview.industry=food"));
		return -1;
	}
	snprintf(path, sizeof path, "%.*s", (int)(eq - arg), arg);
	char *dot = strchr(path, '.');
	const ProtobufCFieldDescriptor *sf = NULL, *f = NULL;
	if (dot) {
		*dot = 0;
		sf = find_field(&aedesk__client_profile__descriptor, path);
		if (sf && sf->type == PROTOBUF_C_TYPE_MESSAGE)
			f = find_field(sf->descriptor, dot + 1);
		*dot = '.';
	}
	if (!f) {
		err_add(e, path, "%s", cli_t("没有这个字段（见 aedesk client profile 客户编号 的“字段”列）",
					  "no such field (see the KEY column of aedesk client profile ID)"));
		return -1;
	}
	ProtobufCMessage **sec = FIELD_PTR(p, sf);
	if (!*sec) {
		*sec = calloc(1, ((const ProtobufCMessageDescriptor *)sf->descriptor)->sizeof_message);
		if (!*sec)
			return -1;
		protobuf_c_message_init(sf->descriptor, *sec);
	}
	return field_set_text(*sec, f, eq + 1, path, e);
}

/* ---- the small JSON reader ---- */

struct json {
	const char *s;
	size_t i, len;
	int line;
	struct errs *e;
	int fatal;
};

static void ws(struct json *j)
{
	while (j->i < j->len && strchr(" \t\r\n", j->s[j->i])) {
		if (j->s[j->i] == '\n')
			j->line++;
		j->i++;
	}
}

static int syntax(struct json *j, const char *what)
{
	if (!j->fatal) {
		char where[64];
		snprintf(where, sizeof where, cli_t("第 %d 行", "line %d"), j->line);
		err_add(j->e, where, cli_t("JSON 语法错误：应为%s", "JSON syntax error: expected %s"), what);
	}
	j->fatal = 1;
	return -1;
}

static int expect(struct json *j, char c)
{
	ws(j);
	if (j->i < j->len && j->s[j->i] == c) {
		j->i++;
		return 0;
	}
	char what[4] = {'\'', c, '\'', 0};
	return syntax(j, what);
}

static void put_utf8(char *out, size_t *o, unsigned cp)
{
	if (cp < 0x80)
		out[(*o)++] = (char)cp;
	else if (cp < 0x800) {
		out[(*o)++] = (char)(0xC0 | cp >> 6);
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xE0 | cp >> 12);
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*o)++] = (char)(0xF0 | cp >> 18);
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* json_string reads a string into a fresh buffer (caller frees). */
static char *json_string(struct json *j)
{
	ws(j);
	if (j->i >= j->len || j->s[j->i] != '"') {
		syntax(j, cli_t("字符串", "a string"));
		return NULL;
	}
	j->i++;
	char *out = malloc(j->len - j->i + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	while (j->i < j->len && j->s[j->i] != '"') {
		char c = j->s[j->i++];
		if (c == '\n') {
			free(out);
			syntax(j, "'\"'");
			return NULL;
		}
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		if (j->i >= j->len)
			break;
		c = j->s[j->i++];
		switch (c) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'u': {
			unsigned cp = 0;
			if (j->i + 4 > j->len || sscanf(j->s + j->i, "%4x", &cp) != 1) {
				free(out);
				syntax(j, "\\uXXXX");
				return NULL;
			}
			j->i += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && j->i + 6 <= j->len && j->s[j->i] == '\\' && j->s[j->i + 1] == 'u') {
				unsigned lo = 0;
				if (sscanf(j->s + j->i + 2, "%4x", &lo) == 1 && lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					j->i += 6;
				}
			}
			put_utf8(out, &o, cp);
			break;
		}
		default: out[o++] = c;
		}
	}
	if (j->i >= j->len) {
		free(out);
		syntax(j, "'\"'");
		return NULL;
	}
	j->i++;
	out[o] = 0;
	return out;
}

/* json_token reads a bare token (number, true, false, null) into buf. */
static int json_token(struct json *j, char *buf, size_t len)
{
	ws(j);
	size_t n = 0;
	while (j->i < j->len && (isalnum((unsigned char)j->s[j->i]) || strchr("+-.", j->s[j->i])) && n + 1 < len)
		buf[n++] = j->s[j->i++];
	buf[n] = 0;
	return n ? 0 : syntax(j, cli_t("一个值", "a value"));
}

static int json_skip(struct json *j)
{
	ws(j);
	if (j->i >= j->len)
		return syntax(j, cli_t("一个值", "a value"));
	char c = j->s[j->i];
	if (c == '"') {
		free(json_string(j));
		return j->fatal ? -1 : 0;
	}
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->i++;
		ws(j);
		if (j->i < j->len && j->s[j->i] == close) {
			j->i++;
			return 0;
		}
		for (;;) {
			if (c == '{') {
				free(json_string(j));
				if (j->fatal || expect(j, ':'))
					return -1;
			}
			if (json_skip(j))
				return -1;
			ws(j);
			if (j->i < j->len && j->s[j->i] == ',') {
				j->i++;
				continue;
			}
			return expect(j, close);
		}
	}
	char tok[64];
	return json_token(j, tok, sizeof tok);
}

static int json_message(struct json *j, ProtobufCMessage *m, const char *path);

/* json_value reads one value of field f into p (a scalar slot or a message pointer slot). */
static int json_value(struct json *j, const ProtobufCFieldDescriptor *f, void *p, const char *path)
{
	ws(j);
	if (j->i >= j->len)
		return syntax(j, cli_t("一个值", "a value"));
	if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
		if (j->s[j->i] == 'n')
			return json_skip(j);
		const ProtobufCMessageDescriptor *sd = f->descriptor;
		ProtobufCMessage *sub = calloc(1, sd->sizeof_message);
		if (!sub)
			return -1;
		protobuf_c_message_init(sd, sub);
		*(ProtobufCMessage **)p = sub;
		return json_message(j, sub, path);
	}
	if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_ENUM) {
		if (j->s[j->i] != '"') {
			if (json_skip(j))
				return -1;
			err_add(j->e, path, "%s", cli_t("须为字符串", "must be a string"));
			return 0;
		}
		char *s = json_string(j);
		if (!s)
			return -1;
		if (f->type == PROTOBUF_C_TYPE_STRING) {
			*(char **)p = s;
			return 0;
		}
		scalar_from_text(f, s, p, path, j->e);
		free(s);
		return 0;
	}
	char tok[64];
	if (j->s[j->i] == '"' || j->s[j->i] == '{' || j->s[j->i] == '[') {
		if (json_skip(j))
			return -1;
		err_add(j->e, path, "%s", cli_t("须为数字", "must be a number"));
		return 0;
	}
	if (json_token(j, tok, sizeof tok))
		return -1;
	if (strcmp(tok, "null") == 0)
		return 0;
	char *end;
	errno = 0;
	switch (f->type) {
	case PROTOBUF_C_TYPE_BOOL:
		if (strcmp(tok, "true") && strcmp(tok, "false"))
			err_add(j->e, path, "%s", cli_t("须为 true 或 false", "must be true or false"));
		*(protobuf_c_boolean *)p = strcmp(tok, "true") == 0;
		return 0;
	case PROTOBUF_C_TYPE_DOUBLE: {
		double v = strtod(tok, &end);
		if (*end || errno)
			err_add(j->e, path, "%s", cli_t("须为数字", "must be a number"));
		*(double *)p = v;
		return 0;
	}
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_UINT64: {
		long long v = strtoll(tok, &end, 10);
		if (*end || errno)
			err_add(j->e, path, "%s", cli_t("须为整数（金额以分为单位）", "must be a whole number (amounts in fen)"));
		*(int64_t *)p = v;
		return 0;
	}
	default: {
		long v = strtol(tok, &end, 10);
		if (*end || errno || v < INT32_MIN || v > (long)UINT32_MAX)
			err_add(j->e, path, "%s", cli_t("须为整数", "must be a whole number"));
		*(int32_t *)p = (int32_t)v;
		return 0;
	}
	}
}

static int json_message(struct json *j, ProtobufCMessage *m, const char *path)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (expect(j, '{'))
		return -1;
	ws(j);
	if (j->i < j->len && j->s[j->i] == '}') {
		j->i++;
		return 0;
	}
	for (;;) {
		char *key = json_string(j);
		if (!key || expect(j, ':')) {
			free(key);
			return -1;
		}
		char sub[256];
		snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
		const ProtobufCFieldDescriptor *f = find_field(d, key);
		free(key);
		int rc;
		if (!f) {
			err_add(j->e, sub, "%s", cli_t("没有这个字段", "no such field"));
			rc = json_skip(j);
		} else if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			field_clear(m, f);
			ws(j);
			if (j->i < j->len && j->s[j->i] == 'n')
				rc = json_skip(j);
			else if ((rc = expect(j, '[')) == 0) {
				size_t n = 0, cap = 0, sz = f->type == PROTOBUF_C_TYPE_ENUM ? sizeof(int) :
				    f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE ? sizeof(void *) : 8;
				char *arr = NULL;
				ws(j);
				if (j->i < j->len && j->s[j->i] == ']')
					j->i++;
				else
					for (;;) {
						if (n == cap) {
							char *g = realloc(arr, (cap = cap ? cap * 2 : 4) * sz);
							if (!g) {
								rc = -1;
								break;
							}
							arr = g;
						}
						memset(arr + n * sz, 0, sz);
						if (f->type == PROTOBUF_C_TYPE_STRING)
							*(const char **)(void *)(arr + n * sz) = protobuf_c_empty_string;
						char el[300];
						snprintf(el, sizeof el, "%s[%zu]", sub, n);
						if ((rc = json_value(j, f, arr + n * sz, el)) != 0)
							break;
						n++;
						ws(j);
						if (j->i < j->len && j->s[j->i] == ',') {
							j->i++;
							continue;
						}
						rc = expect(j, ']');
						break;
					}
				*(void **)FIELD_PTR(m, f) = arr;
				FIELD_COUNT(m, f) = n;
			}
		} else {
			if (f->type == PROTOBUF_C_TYPE_STRING)
				field_clear(m, f);
			else if (f->type == PROTOBUF_C_TYPE_MESSAGE && *(ProtobufCMessage **)FIELD_PTR(m, f)) {
				protobuf_c_message_free_unpacked(*(ProtobufCMessage **)FIELD_PTR(m, f), NULL);
				*(ProtobufCMessage **)FIELD_PTR(m, f) = NULL;
			}
			rc = json_value(j, f, FIELD_PTR(m, f), sub);
		}
		if (rc)
			return -1;
		ws(j);
		if (j->i < j->len && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		return expect(j, '}');
	}
}

/* profile_from_json reads a whole profile document; NULL after reporting every problem. */
static Aedesk__ClientProfile *profile_from_json(const char *text, size_t len, struct errs *e)
{
	Aedesk__ClientProfile *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	aedesk__client_profile__init(p);
	struct json j = {.s = text, .len = len, .line = 1, .e = e};
	if (json_message(&j, &p->base, "") == 0) {
		ws(&j);
		if (j.i != j.len)
			syntax(&j, cli_t("文件结束", "the end of the document"));
	}
	if (e->n) {
		protobuf_c_message_free_unpacked(&p->base, NULL);
		return NULL;
	}
	return p;
}

/* ---- the command ---- */

static int profile_fetch(const char *id, Aedesk__ProfileReply **r)
{
	Aedesk__ProfileGetRequest q = AEDESK__PROFILE_GET_REQUEST__INIT;
	q.client_id = (char *)id;
	return cli_call("registry", &q.base, &aedesk__profile_reply__descriptor, (ProtobufCMessage **)r);
}

static int profile_send(Aedesk__ClientProfile *p, uint32_t version, const char *id)
{
	Aedesk__ProfileSetRequest q = AEDESK__PROFILE_SET_REQUEST__INIT;
	char *old = p->client_id;
	p->client_id = (char *)id;
	q.profile = p;
	q.version = version;
	Aedesk__ProfileReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__profile_reply__descriptor, (ProtobufCMessage **)&r);
	p->client_id = old;
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->profile->base);
	else
		printf(cli_t("已保存：客户 %s 的资料第 %u 版，完整度 %u%%\n", "saved: profile of client %s version %u, %u%% complete\n"),
		    r->profile->client_id, r->profile->version, r->profile->completeness_pct);
	wire_free(&r->base);
	return 0;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *g = cap < (64u << 20) ? realloc(buf, (cap *= 2) + 1) : NULL;
			if (!g) {
				free(buf);
				buf = NULL;
			} else
				buf = g;
		}
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

/* apply_document reads a JSON profile from path and sends it (the version it names). */
static int apply_document(const char *id, const char *path)
{
	size_t len;
	char *text = read_all(path, &len);
	if (!text) {
		fprintf(stderr, cli_t("无法读取 %s：%s\n", "cannot read %s: %s\n"), path, strerror(errno));
		return EXIT_USAGE;
	}
	struct errs e = {0};
	Aedesk__ClientProfile *p = profile_from_json(text, len, &e);
	free(text);
	if (!p) {
		fprintf(stderr, cli_t("资料有 %d 处错误，未作任何修改\n", "%d errors in the profile; nothing was changed\n"), e.n);
		return EXIT_USAGE;
	}
	if (p->client_id[0] && strcmp(p->client_id, id) != 0) {
		fprintf(stderr, cli_t("文件是客户 %s 的资料，不是 %s 的\n", "the document is the profile of client %s, not %s\n"), p->client_id, id);
		protobuf_c_message_free_unpacked(&p->base, NULL);
		return EXIT_USAGE;
	}
	int rc = profile_send(p, p->version, id);
	protobuf_c_message_free_unpacked(&p->base, NULL);
	return rc;
}

static int edit(const char *id)
{
	Aedesk__ProfileReply *r;
	int rc = profile_fetch(id, &r);
	if (rc)
		return rc;
	char path[] = "/tmp/aedesk-profile-XXXXXX.json";
	int fd = mkstemps(path, 5);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		wire_free(&r->base);
		fprintf(stderr, cli_t("无法建立临时文件\n", "cannot create a temporary file\n"));
		return EXIT_REFUSED;
	}
	pbjson_print(f, &r->profile->base, 2);
	fputc('\n', f);
	fclose(f);
	wire_free(&r->base);
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	for (;;) {
		pid_t pid = fork();
		if (pid == 0) {
			execlp("sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
			_exit(127);
		}
		int st = 0;
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, cli_t("编辑器没有正常结束，未作任何修改（文件留在 %s）\n",
					    "the editor did not finish cleanly; nothing was changed (the file is kept at %s)\n"), path);
			return EXIT_USAGE;
		}
		rc = apply_document(id, path);
		if (rc == 0 || !isatty(0)) {
			if (rc == 0)
				unlink(path);
			else
				fprintf(stderr, cli_t("文件留在 %s\n", "the file is kept at %s\n"), path);
			return rc;
		}
		fprintf(stderr, "%s", cli_t("按回车再次编辑，输入 q 放弃：", "press Enter to edit again, q to give up: "));
		char line[16];
		if (!fgets(line, sizeof line, stdin) || line[0] == 'q') {
			unlink(path);
			return rc;
		}
	}
}

int client_profile_cmd(int argc, char **argv)
{
	const char *usage = cli_t(
	    "用法：aedesk client profile 客户编号 [--set 段.字段=值 ...] [--edit] [--file 资料.json]\n"
	    "不带选项：按段显示客户基本资料及完整度（R-PROFILE-1）。\n"
	    "--set：改一个或多个字段，如 --set overview.industry=食品 --set future_ads.budget_fen=3,000,000\n"
	    "  金额（_fen 结尾的字段）以元为单位；选项可写名称或中文，多个用逗号分隔；\n"
	    "  成对的列表用分号分隔各项、冒号分隔各部分，如 --set future_ads.media=tv:800000;newspaper:200000\n"
	    "--edit：用 $EDITOR 编辑整份资料（JSON，金额以分为单位）；--file：直接套用一份 JSON 资料。\n"
	    "全部检查通过才保存；每个无效字段都会列出。",
	    "usage: aedesk client profile ID [--set SECTION.FIELD=VALUE ...] [--edit] [--file PROFILE.json]\n"
	    "Without options: the profile section by section, with its completeness (R-PROFILE-1).\n"
	    "--set: change fields, e.g. --set overview.industry=food --set future_ads.budget_fen=3,000,000\n"
	    "  amounts (fields ending _fen) in yuan; choices by name, several separated by commas;\n"
	    "  lists of pairs: items separated by ';', parts by ':', e.g. --set future_ads.media=tv:800000;newspaper:200000\n"
	    "--edit: edit the whole profile in $EDITOR (JSON, amounts in fen); --file: apply a JSON profile.\n"
	    "Saved only when every field is valid; each invalid one is listed.");
	const char *id = NULL, *file = NULL;
	int do_edit = 0;
	const char *sets[128];
	size_t nsets = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			printf("%s\n", usage);
			return 0;
		} else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && nsets < 128)
			sets[nsets++] = argv[++i];
		else if (strncmp(argv[i], "--set=", 6) == 0 && nsets < 128)
			sets[nsets++] = argv[i] + 6;
		else if (strcmp(argv[i], "--file") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (strcmp(argv[i], "--edit") == 0)
			do_edit = 1;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			cli.lang = strcmp(argv[++i], "en") == 0 ? "en" : "zh";
		else if (argv[i][0] != '-' && !id)
			id = argv[i];
		else
			return cli_usage_error("client profile", "%s '%s'", cli_t("无法理解的参数", "unexpected argument"), argv[i]);
	}
	if (!id || (do_edit + (file != NULL) + (nsets > 0)) > 1)
		return cli_usage_error("client profile", "%s", usage);
	if (do_edit)
		return edit(id);
	if (file)
		return apply_document(id, file);
	Aedesk__ProfileReply *r;
	int rc = profile_fetch(id, &r);
	if (rc)
		return rc;
	if (!nsets) {
		if (cli.json)
			cli_print_json(&r->profile->base);
		else
			profile_print(r->profile);
		wire_free(&r->base);
		return 0;
	}
	/* --set edits the reply in place: wire_free frees what protobuf-c allocated, and
	 * the values set here are malloc'd the same way, so one free releases all. */
	struct errs e = {0};
	for (size_t i = 0; i < nsets; i++)
		apply_set(r->profile, sets[i], &e);
	if (e.n) {
		fprintf(stderr, cli_t("%d 处错误，未作任何修改\n", "%d errors; nothing was changed\n"), e.n);
		wire_free(&r->base);
		return EXIT_USAGE;
	}
	rc = profile_send(r->profile, r->profile->version, id);
	wire_free(&r->base);
	return rc;
}
