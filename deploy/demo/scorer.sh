#!/usr/bin/env bash
# deploy/demo/scorer.sh - the scorer's part of the demo agency (issue 6).
#
# Run by deploy/up after the registry's and the job tracker's demo data, with $AEDESK the
# aedesk command (logged in as admin). It gives the evaluations something to explain:
#   this month's revenue and prospect targets for every AE (set by their AM), the AMs'
#   1-5 ratings with comments, the AD's comment and liwei's own answer (业绩评估);
#   face visits this week, a prospect, contacts and satisfaction surveys;
#   悦来酒店 (C000006, B, wuting): 200,000 invoiced, due 100 days ago, unpaid - a late
#     payer for a quarter: `aedesk scorecard clients --recommend` recommends B -> C;
#   江南丝绸 (C000007, C, zhouxin): 600,000 invoiced, due next month - revenue grown:
#     recommended C -> B.
# Run again, it does nothing when its jobs are there already. The admin login is
# restored at the end.
set -euo pipefail

: "${AEDESK:?AEDESK must be the aedesk command}"
PASS=demo-pass-2026
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/aedesk-demo-scorer.XXXXXX")
TOKEN=${AEDESK_TOKEN_FILE:-}
if [[ -n $TOKEN && -f $TOKEN ]]; then cp -p "$TOKEN" "$TMPD/admin-token"; fi
restore() {
	if [[ -n $TOKEN && -f $TMPD/admin-token ]]; then cp -p "$TMPD/admin-token" "$TOKEN"; fi
	rm -rf "$TMPD"
}
trap restore EXIT

ae() { $AEDESK "$@" >/dev/null; }
as() { $AEDESK login "$1" --password-stdin <<<"$PASS" >/dev/null; }
day() { TZ=Asia/Shanghai date -d "$1" +%Y-%m-%d; }

if $AEDESK --json job list 2>/dev/null | grep -q '"J000005"'; then
	echo "scorer demo: already loaded"
	exit 0
fi
month=$(TZ=Asia/Shanghai date +%Y-%m)

cat >"$TMPD/brief.md" <<'MD'
# 创意简报
## 背景
品牌年度传播。
## 目标
提升品牌知名度。
## 目标受众
城市中产家庭。
## 洞察
信得过的老品牌。
## 主张
用心做好每一件事。
## 支持点
三十年口碑。
## 调性
温暖、可信。
## 必备要素
商标。
## 交付物
报纸广告一套。
## 预算
60 万元。
## 时间
下季度。
MD

# job_to_number CLIENT AE TITLE: open a job and take it to a signed brief (its job number).
job_to_number() {
	local client=$1 owner=$2 title=$3 id
	as "$owner"
	id=$($AEDESK --json job open "$client" --title "$title" --kind print --due "$(day '+50 days')" \
		--brief "$TMPD/brief.md" | grep -o '"id": "J[0-9]*"' | head -1 | grep -o 'J[0-9]*')
	as wangfang
	ae job sign "$id"
	as "$owner"
	ae job advance "$id"
	as zhaojianguo
	ae job sign "$id"
	as wangfang
	ae job sign "$id"
	echo "$id"
}

# 1. A late payer for a quarter and a client whose revenue grew (R-CLASS-1).
late=$(job_to_number C000006 wuting 酒店年度形象广告)
grow=$(job_to_number C000007 zhouxin 丝绸新品广告)
as chenjing
ae invoice add "$late" --amount 200,000 --due "$(day '-100 days')"
ae invoice add "$grow" --amount 600,000 --due "$(day '+30 days')"

# 2. This week's face visits (R-VISIT-1), a prospect, contacts and surveys.
now=$(TZ=Asia/Shanghai date '+%Y-%m-%d %H:%M')
as liwei
ae visit log C000001 --kind visit --at "$now" --summary 拜访市场部，确认草图修改意见
ae visit log C000004 --kind visit --at "$now" --summary 车展户外广告回款沟通
ae contact add C000001 --name 张经理 --title 市场部经理
ae survey add C000001 --by K000001 --score 服务=5 --score 创意=4 --comment 响应快，创意有新意
ae prospect add --name 华润饮料有限公司
as zhouxin
ae visit log C000002 --kind visit --at "$now" --summary 新品发布会筹备
ae contact add C000007 --name 陆总 --title 总经理
ae survey add C000007 --by K000002 --score 服务=5 --score 创意=5
as wuting
ae contact add C000006 --name 马经理 --title 采购经理
ae survey add C000006 --by K000003 --score 服务=3 --score 创意=2 --comment 方案改了三次

# 3. Targets, ratings and comments for this month (业绩评估).
as qianli
ae target set liwei --period "$month" --revenue 150,000 --prospects 4
ae target set zhouxin --period "$month" --revenue 500,000 --prospects 3
ae rate liwei --period "$month" --criterion analytical=4 --criterion planning=3 --criterion communication=5 \
	--criterion teamwork=4 --comment 客户关系维护得好，排期计划性要加强
ae rate zhouxin --period "$month" --criterion analytical=5 --criterion planning=4 --criterion communication=4 \
	--comment 新客户开发成绩突出
as sunhao
ae target set wuting --period "$month" --revenue 300,000 --prospects 3
ae target set zhengkai --period "$month" --revenue 200,000 --prospects 3
ae rate wuting --period "$month" --criterion analytical=3 --criterion planning=3 --criterion communication=3 \
	--comment 回款跟进不够及时
ae rate zhengkai --period "$month" --criterion analytical=4 --criterion planning=4 --criterion communication=3
as zhaojianguo
ae scorecard comment liwei --period "$month" --text 同意钱丽的意见，下季度重点抓排期
as liwei
ae scorecard comment liwei --period "$month" --text 下周起每个项目提前一周排期

echo "scorer demo: jobs $late (late payer) and $grow (grown), visits, surveys, targets and ratings for $month"
