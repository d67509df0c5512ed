#!/usr/bin/env bash
# deploy/demo/jobs.sh - the job tracker's part of the demo agency.
#
# Run by deploy/up after the registry's demo staff and clients, with $AEDESK the
# aedesk command (logged in as admin). It opens a few jobs at various stages, sends an
# estimate, schedules a meeting for tomorrow and leaves an invoice overdue:
#   东方日化 (C000001, liwei)  夏季洗衣液报纸广告  estimate stage, estimate sent to the client
#   长城汽车 (C000004, liwei)  车展户外广告        brief signed (job number), invoice overdue
#   蓝海科技 (C000002, zhouxin) 新品发布会        brief stage, waiting for AD and CD
#   金穗粮油 (C000005, wuting) 中秋电视广告        forecast, waiting for the CD
#   a meeting with 东方日化 tomorrow 10:00, organised by liwei
# The jobs service learns of clients from registry events, asynchronously: each first
# step for a client is retried until the client is known. Run again, it does nothing
# when the demo jobs are there already. The admin login is restored at the end.
set -euo pipefail

: "${AEDESK:?AEDESK must be the aedesk command}"
PASS=demo-pass-2026
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/aedesk-demo-jobs.XXXXXX")
TOKEN=${AEDESK_TOKEN_FILE:-}
if [[ -n $TOKEN && -f $TOKEN ]]; then cp -p "$TOKEN" "$TMPD/admin-token"; fi
restore() {
	if [[ -n $TOKEN && -f $TMPD/admin-token ]]; then cp -p "$TMPD/admin-token" "$TOKEN"; fi
	rm -rf "$TMPD"
}
trap restore EXIT

ae() { $AEDESK "$@"; }
as() { $AEDESK login "$1" --password-stdin <<<"$PASS" >/dev/null; }

# Already loaded (run twice): the demo's first job is there.
if ae --json job list 2>/dev/null | grep -q '"J000001"'; then
	echo "jobs demo: already loaded"
	exit 0
fi

# retry_client CMD...: run CMD until the jobs service knows the client (NOT_FOUND: not yet).
retry_client() {
	local err i
	for ((i = 0; i < 120; i++)); do
		if err=$(ae "$@" 2>&1 >/dev/null); then return 0; fi
		[[ $err == *NOT_FOUND* ]] || { echo "aedesk $*: $err" >&2; return 1; }
		sleep 0.25
	done
	echo "aedesk $*: the jobs service never learnt of the client: $err" >&2
	return 1
}

day() { TZ=Asia/Shanghai date -d "$1" +%Y-%m-%d; }

cat >"$TMPD/brief.md" <<'MD'
# 创意简报
## 背景
夏季是洗衣液销售旺季，竞品促销力度大。
## 目标
旺季销量同比增长 15%。
## 目标受众
25-45 岁城市家庭主妇。
## 洞察
夏天衣服换得勤，洗得快、留香久最重要。
## 主张
一洗即净，清香一夏。
## 支持点
新配方低温速溶，第三方检测去渍率 98%。
## 调性
清爽、明快。
## 必备要素
商标、产品包装、促销信息。
## 交付物
报纸整版两则，户外海报一套。
## 预算
50 万元。
## 时间
六月上旬见报。
MD
printf '# 策略单\n以“清香”建立差异，主打家庭主妇，旺季集中投放。\n' >"$TMPD/strategy.md"

# 1. 东方日化: to the estimate stage, the estimate signed and sent to the client.
as liwei
retry_client job open C000001 --title 夏季洗衣液报纸广告 --kind print --due "$(day '+40 days')" --brief "$TMPD/brief.md"
ae strategy set C000001 --file "$TMPD/strategy.md" >/dev/null
as wangfang
ae job sign J000001 >/dev/null
as liwei
ae job advance J000001 >/dev/null
as zhaojianguo
ae job sign J000001 >/dev/null
as wangfang
ae job sign J000001 >/dev/null
as liwei
ae job advance J000001 >/dev/null
as wangfang
ae job sign J000001 >/dev/null
as qianli
ae job sign J000001 >/dev/null
as liwei
ae job rights J000001 --image cleared --model cleared --music n/a >/dev/null
ae job sign J000001 --client 张经理 >/dev/null
ae job advance J000001 >/dev/null
as fenglei
ae estimate add J000001 --line "创意设计费|1|60,000" --line "摄影|1|18,000" --line "报纸整版制作|2|6,500" >/dev/null
as zhaojianguo
ae estimate sign E000001 >/dev/null
as liwei
ae estimate send E000001 >/dev/null

# 2. A meeting with 东方日化 tomorrow at 10:00 (the client sees the sketches again).
ae meeting add C000001 --at "$(day tomorrow) 10:00" --minutes 45 --title 夏季洗衣液草图确认 --job J000001 \
	--attendee "张经理|市场部经理|client" --attendee "刘主任|品牌主任|client" \
	--attendee "李伟|客户主任|agency" --attendee "王芳|创意总监|agency" \
	--room 一号会议室 --equipment "投影仪、笔记本电脑" --agenda "草图确认；估价单说明；排期" \
	--material 前次会议记录 --material 客户简报 --material 竞争品牌作品 >/dev/null

# 3. 长城汽车: brief signed (the job number), invoiced, the invoice overdue.
retry_client job open C000004 --title 车展户外广告 --kind outdoor --due "$(day '+45 days')" --brief "$TMPD/brief.md"
as wangfang
ae job sign J000002 >/dev/null
as liwei
ae job advance J000002 >/dev/null
as zhaojianguo
ae job sign J000002 >/dev/null
as wangfang
ae job sign J000002 >/dev/null
as chenjing
ae invoice add J000002 --amount 120,000 --due "$(day '-10 days')" >/dev/null

# 4. 蓝海科技: in the brief stage, waiting for AD and CD.
as zhouxin
retry_client job open C000002 --title 新品发布会 --kind event --due "$(day '+30 days')" --brief "$TMPD/brief.md"
as wangfang
ae job sign J000003 >/dev/null
as zhouxin
ae job advance J000003 >/dev/null

# 5. 金穗粮油: just forecast to the CD.
as wuting
retry_client job open C000005 --title 中秋电视广告 --kind tv --due "$(day '+60 days')" --brief "$TMPD/brief.md"

echo "jobs demo: 4 jobs, estimate E000001 sent, meeting M000001 tomorrow, invoice I000001 overdue"
