# ftop 用户界面（简体中文）。
# 一个术语只对应一条消息：多个页面共用的词语复用同一条消息。
# 消息 ID 使用 kebab-case；枚举值为 前缀-键。

language-name = 简体中文

## 框架：页眉、导航、登录、错误

app = ftop
sign-in = 登录
sign-out = 退出
name = 名称
password = 密码
bad-sign-in = 用户名或密码错误。
language = 语言
not-found = 未找到
portfolio = 组合概览
adoption = 采用情况
notes = 说明
playbook = 操作手册

## 多个页面共用的词语

tenants = 租户
tenant = 租户
customer = 客户
status = 状态
priority = 优先级
services = 服务
service = 服务
seats = 席位
entitlements = 授权
task = 任务
task-id = 任务 ID
tenant-id = 租户 ID
phase = 阶段
role = 角色
mandatory = 必需
optional = 可选
save = 保存
saved = 已保存。
search = 搜索
filter = 筛选
previous = 上一页
next = 下一页
pages-nav = 分页
date = 日期
when = 时间
who = 人员
what = 内容
date-time-utc = { $year }年{ $month }月{ $day }日 { $time } UTC
percent-value = { $value }%
points-value = { $value } 个百分点
decimal-mark = .
note = 说明
category = 类别
owner = 负责人
milestone = 里程碑
share = 占比
total = 合计
yes = 是
no = 否
id = ID
download-csv = 下载 CSV
read-only = 只读：您未被分配到此租户。
conflict = 其他人已先更改了此任务。页面显示的是当前状态；请重新进行您的更改。
conflict-kept = 其他人在此期间已保存。您输入的内容保留在下方；再次保存将替换他们的更改（可先重新加载页面查看）。
share-of = { $label }：{ $count } / { $total }（{ $percent }%）
au = AU
as-of = 截至 { $date }

## 租户列表（首页）

my-active = 我的活动租户
my-inactive = 我的非活动租户
all-tenants = 所有租户
page-size = 每页行数
no-tenants = 没有匹配的租户。
overall-status = 总体状态
tenant-search-placeholder = contoso
tripwire-blocked = 受阻
tripwire-blocked-title = 该租户的总体状态为“受阻”。
tripwire-unassigned = 无人分配
tripwire-unassigned-title = 该租户尚未分配任何人员。

## 租户页面：选项卡

tenant-tabs = 租户页面各部分
usage = 使用情况
time = 工时
contacts = 联系人
partners = 合作伙伴
eligibility = 资格
history = 历史记录

## 租户页面：“状态”选项卡

status-date = 状态日期
status-note = 状态说明
new-note = 撰写说明
next-action = 下一步操作
save-draft = 保存草稿
open-full-editor = 打开完整编辑器（模板、升级、下一步操作的日期和负责人）

## 租户页面：“操作手册”选项卡和任务页面

all-services = 所有服务
tenant-wide = 整个租户
all-phases = 所有阶段
no-task-matches = 没有匹配的任务。
process = 流程
step = 步骤
last-change = 最近更改
percent-complete = 完成百分比
minutes = 分钟
timer-start = 开始计时
timer-stop = 停止并填入分钟数
timer-running = 正在计时：{ $time }
time-total = { $minutes } 分钟
task-saved = 任务 { $task }：已保存。

## 租户页面：“服务”选项卡

l1 = L1
l2 = L2
l3 = L3
target-date = 目标日期
rows-add-up = 各行数量之和必须等于授权数。
suggest = 建议
suggest-hint = 根据该行的说明建议状态和原因
suggest-row = 为第 { $row } 行建议状态和原因
suggested = 第 { $row } 行的建议：{ $status } · { $reason }（把握 { $confidence }%）。请核对后保存。
suggest-unsure = 第 { $row } 行没有建议：说明没有明确指向某个原因（最接近的是 { $reason }，把握 { $confidence }%）。
suggest-nothing = 第 { $row } 行没有建议：说明中没有能区分原因的词语。
reasons-explained = 各原因的含义
rows-total = 已分配 { $placed } / { $total } 个授权
owner-unassigned = （未分配）
delivery = 交付
engagement-scenario = 参与场景
engagement-start-date = 参与开始日期
delivery-teams = 交付团队（每行一个）
save-delivery = 保存交付信息
delivery-managers-only = 只有 FastTrack 经理和管理员可以更改服务的交付信息。
credited-partner-named = 采用增长归功于合作伙伴：{ $who }（主要合作伙伴区域经理）。
credited-partner = 采用增长归功于合作伙伴；尚未指定主要合作伙伴区域经理。
credited-fasttrack-named = 采用增长归功于 FastTrack：{ $who }（主要 FastTrack 经理）。
credited-fasttrack = 采用增长归功于 FastTrack；尚未指定主要 FastTrack 经理。
credited-nobody = 在此场景下，采用增长不归功于计划中的任何人。
engagement-scenario-ftp-led = 合作伙伴主导（FTC-FTP Led）
engagement-scenario-customer-led-ftp-assist = 客户主导，合作伙伴协助
engagement-scenario-css-led = FastTrack 主导（FTC-CSS Led）
engagement-scenario-customer-led = 客户主导
engagement-scenario-cxp = CXP
engagement-scenario-non-fasttrack-partner-led = 由 FastTrack 以外的合作伙伴主导
service-heading = { $service } · 授权 { $entitlements } 个，合格 { $qualified } 个

## 租户页面：“服务”选项卡中的预测

forecast-heading = 活跃使用率与预测
forecast = 预测
reached = 达成
forecast-submitted = 提交日期 (RFA)
forecast-target-10 = 10% 目标
forecast-target-40 = 40% 目标（可选）
forecast-target-max = 最高 AU 目标
forecast-save = 保存预测
forecast-history = 预测历史
forecast-rfa = RFA
forecast-max = 最高

## 租户页面：“联系人”“合作伙伴”和“资格”选项卡

email = 电子邮件
contact-kind = 类型
contact-title = 职务
survey = 调查
delete = 删除
add-contact = 添加联系人
country = 国家/地区
engaged = 已参与
survey-eligible = 可参与调查
survey-language = 调查语言
services-comma-separated = 服务（以逗号分隔）
partner-company = 合作伙伴公司
desires-assistance = 希望获得合作伙伴协助
remove-partner = 移除
confirm-remove-partner = 确认移除该组织的访问权限
confirm-delete-contact = 永久删除此联系人
contact-edit = 编辑联系人
time-edit = 更正工时记录
confirm-delete-time = 永久删除此记录
phone = 电话
edit = 编辑
eligible-seats = 计入的席位
eligible-program = 计划（150 个席位或例外）
eligible-migration = 数据迁移（超过 500 个席位）
eligible-enterprise = 企业权益（20,000 个席位或例外）
eligible-adoption-benefit = 额外的采用权益

## 租户页面：“历史记录”选项卡（每项变更一句话；{ $thing } 是某个 history-thing-* 消息）

history-created = 已添加{ $thing }
history-updated = 已更改{ $thing }
history-updated-fields = { $thing }：{ $fields }已更改
history-deleted = 已删除{ $thing }
history-recorded = 已记录{ $thing }的变更
history-thing-tenant = 租户
history-thing-task = 任务 { $task }
history-thing-task-service = 任务 { $task }（{ $service }）
history-thing-task-named = 任务 { $task } · { $name }
history-thing-task-service-named = 任务 { $task } · { $name }（{ $service }）
history-thing-note = 说明 { $id }
history-thing-contact = 联系人 { $id }
history-thing-time = 工时记录 { $id }
history-thing-service = 服务 { $service }
history-thing-status-rows = { $service } 的状态行
history-thing-forecast = { $service } 的预测
history-thing-delivery = { $service } 的交付
history-thing-playbook = 操作手册版本 { $version }
history-thing-seats = { $service } 的合格席位
history-thing-assignment = { $user } 的分配
history-thing-partner = 合作伙伴公司 { $partner }
history-thing-other = 记录 { $id }
history-was = （原为 { $value }）
history-empty = 尚无变更记录。
history-none-match = 没有符合这些筛选条件的变更。
history-kind = 变更类型
history-any-kind = 所有类型
history-who = 操作人
history-anyone = 任何人
history-filter = 显示
history-kind-tenant = 租户记录
history-kind-task = 任务
history-kind-note = 说明
history-kind-contact = 联系人
history-kind-time = 工时记录
history-kind-service = 服务
history-kind-entitlement-status = 状态行（L1/L2/L3）
history-kind-forecast = 预测
history-kind-seats = 席位
history-kind-assignment = 分配
history-kind-tenant-partner = 合作伙伴公司
history-kind-delivery = 交付（参与场景）
history-kind-playbook = 操作手册升级
## 租户页面：“使用情况”选项卡

no-services = 该租户没有任何服务。
adoption-success = 成功
adoption-success-yes = 客户计划使用的每项服务都已达到 10% 或以上
adoption-success-none-intended = 没有任何服务被标记为计划使用
adoption-success-not-yet = 尚未成功：部分计划使用的服务仍低于 10%
download-all-figures = 下载全部数据 (CSV)
active-usage = 活跃使用率
usage-trend-description = 活跃使用率，{ $from } 至 { $to }：{ $first } → { $last }
no-usage-figures = 暂无使用数据。
reached-on = 于 { $date } 达成
users-needed = 还需 { $count } 名活跃用户
enablement = 启用
enablement-complete = 已完成
enablement-not-yet = 尚未完成
usage-thresholds = 虚线：10% 和 40% 里程碑。
figures = 数据
active-users = 活跃用户
qualified-seats = 合格席位
milestone-dates = 10% 里程碑：{ $ten } · 40%：{ $forty }

## 组合概览

portfolio-all = 我可查看的所有租户
portfolio-mine = 分配给我的租户
active = 活动
inactive = 非活动
share-of-tenants = 租户占比
primary-manager = 主要 FastTrack 经理
unassigned = 未分配
current-phase = 当前阶段
no-playbook = 尚未加载操作手册。
all-phases-complete = 所有阶段均已完成
current-phase-rule = 租户的当前阶段，是其中仍有必需的整个租户任务既不是“已完成”也不是“不需要”的第一个阶段。

## 采用情况仪表板

milestones-reached = 里程碑达成时间
this-month = 本月
this-quarter = 本季度
group-by = 分组依据
partner = 合作伙伴
manager = 经理
only-my-tenants = 仅显示我的租户
services-by-bucket = 按活跃使用率区间划分的服务
engaged-with-seats = 有合格席位的服务
reached-10 = 已达到 10%
reached-40 = 已达到 40%
tenants-converted = 已转化的租户 (10% / 40%)
reached-in-window = { $from } 至 { $to } 期间达成
by-service = 按服务
by-bucket = { $name } 的区间分布
in-window-10 = 期间内达到 10%
in-window-40 = 期间内达到 40%
forecast-against-actual = 预测与实际对比
by-partner = 按合作伙伴
no-partner = （无合作伙伴）
another-partner = （另一家合作伙伴组织）
by-manager = 按经理
no-manager = （未分配）
adoption-engaged = 有席位
overdue-10 = 已逾期的 10% 预测
adoption-rows = 采用情况：服务
no-service-matches = 没有匹配的服务。
active-of-qualified = 活跃 / 合格
bucket = 区间
as-of-heading = 数据日期
forecast-10 = 10% 预测

## 说明库和编辑器

notes-library = 说明库
all-categories = 所有类别
escalated-only = 仅显示已升级的
my-notes = 我的说明
my-drafts = 我的草稿
no-drafts = 您没有草稿。
saved-notes = 已保存的说明
no-note-matches = 没有匹配的说明。
notes-limit = 仅显示最近的 100 条说明；如需查找更早的说明，请缩小筛选范围。
escalated = 已升级
escalated-marker = 已升级
note-saved = 说明已保存。
draft-updated = 草稿已更新。
draft-deleted = 草稿已删除。
draft-conflict = 其他地方已先修改了此草稿。页面显示的是当前草稿；请重新进行您的更改。
note-saved-already = 此说明已保存；已保存的说明无法更改。
open-in-editor = 在编辑器中打开
save-as-note = 保存为说明
delete-draft = 删除草稿
back-to-library = 返回说明库
separated-by-commas = 以逗号分隔
template = 模板
insert-template = 插入模板
template-overwrites = 插入模板会替换说明的正文：请在开始撰写之前插入。
no-template = 此类别没有模板。Engagement Management 和 Technical Enablement 类别提供模板。
template-replace-warning = 说明中已有内容。插入模板会替换全部内容。
template-replace = 用模板替换内容
template-keep = 保留我的内容
next-action-date = 下一步操作日期
next-action-owner = 下一步操作负责人
clear-all = 全部清除
choose-a-button = 请使用编辑器中的某个按钮。
editor-draft-conflict = 其他地方已先修改了此草稿。请从说明库重新打开，再进行您的更改。

## 说明模板（Markdown；插入模板会替换说明正文）

note-template-engagement-management =
    ## 参与者
    - 客户：
    - 我方（FastTrack、合作伙伴、客户团队）：

    ## 讨论要点
    -

    ## 客户问题
    -

    ## 行动项
    - 做什么、由谁做、何时完成：

    ## 操作手册任务
    本次沟通推进的任务 ID 和名称（如有）：
note-template-technical-enablement =
    ## 受影响的工作负载
    服务或工作负载：

    ## 状态
    进展正常、存在风险还是受阻，以及原因：

    ## 摘要
    本次沟通完成或决定的事项：

    ## 下一步操作
    接下来做什么、由谁负责、何时完成：

    ## 关注事项
    风险或阻碍（如属产品问题，请注明编号）：

## 操作手册阅读器

playbook-language = 操作手册语言
not-available-in = 没有{ $wanted }版本，改为显示{ $shown }
translations-report = 翻译报告
other-pages = 其他页面
tasks-heading = 任务
breadcrumb = 导航路径
motions = 模式
rules = 规则
overview = 概述
objectives = 目标
key-inputs = 关键输入
key-outputs = 关键输出
steps = 步骤
primary-roles = 主要角色
next-steps = 后续步骤
rule-tasks = 任务 { $tasks }
none = 无。
where = 位置

## 操作手册翻译报告

playbook-translations = 操作手册翻译
source-language = 源语言
page-count = { $count } 个页面
task-count = { $count } 个任务
read = 阅读
no-other-language = 操作手册没有其他语言版本。
missing-tasks = 缺少的任务
extra-tasks = 多出的任务
flag-differences = 必需标记差异
role-differences = 角色差异
stale-pages = 过时的页面
page = 页面
last-changed = 最后更改
source-page = 源页面
source-changed = 源页面更改
missing-pages = 缺少的页面
extra-pages = 多出的页面

## API 参考页面

api-docs-title = API
openapi-document = openapi.json
api-parameter = 参数
api-in = 位置
api-type = 类型
api-required = 必需
api-json-body = JSON 正文
api-field = 字段
api-description = 说明
api-responses = 响应
api-errors = 错误
api-errors-text = 所有错误的格式均为 { $shape }：未提供凭据时为 401；角色无权操作（或会话中的更改缺少 CSRF 令牌）时为 403；对象不存在或无权查看时为 404；发送的版本已过时时为 409；输入无效时为 422，并列出各字段的错误。

## 任务状态

task-status-not-started = 未开始
task-status-not-required = 不需要
task-status-in-progress = 进行中
task-status-complete = 已完成
task-status-paused-customer-delay = 暂停：客户延迟
task-status-deferred-customer-extended-delay = 延期：客户长期延迟
task-status-warning = 警告
task-status-blocked-pending-remediation = 受阻：等待修正
task-status-blocked-technical-customer = 受阻：技术（客户）
task-status-blocked-business = 受阻：业务
task-status-blocked-other = 受阻：其他
task-status-blocked-technical-ms = 受阻：技术（Microsoft）
task-status-cancelled = 已取消

## 租户的总体状态

overall-status-active = 进行中
overall-status-blocked = 受阻
overall-status-paused = 已暂停

## 优先级

priority-high = 高
priority-medium = 中
priority-low = 低
priority-high-override = 高（手动设置）
priority-medium-override = 中（手动设置）
priority-low-override = 低（手动设置）

## 加入计划的方式

motion-customer-health = 客户健康度
motion-rfa = RFA
motion-targeting = 定向

## 说明类别

note-category-engagement-management = 合作管理
note-category-technical-enablement = 技术启用
note-category-service-intent = 服务使用意向
note-category-environment = 环境
note-category-enterprise-status = 企业状态
note-category-migration = 迁移

## 分配角色

assignment-role-rm = 区域经理
assignment-role-fm = FastTrack 经理
assignment-role-fe = FastTrack 工程师
assignment-role-psm = FastTrack 合作伙伴经理
assignment-role-sme = 主题专家
assignment-role-aam = App Assure 经理
assignment-role-g-rm = RFA 经理
assignment-role-g-tm = 定向经理
assignment-role-fa = FastTrack 架构师
assignment-role-fav2 = FastTrack 架构师 2
assignment-role-gmfta = Get Modern FastTrack 架构师
assignment-role-mvm = 迁移速度经理
assignment-role-csm = 客户成功经理
assignment-role-p-rm = 合作伙伴区域经理
assignment-role-p-fm = 合作伙伴 FastTrack 经理
assignment-role-p-fe = 合作伙伴 FastTrack 工程师

## 用户角色

user-role-admin = 管理员
user-role-manager = FastTrack 经理
user-role-engineer = FastTrack 工程师
user-role-partner = 合作伙伴
user-role-guest = 访客

## 联系人类型

contact-kind-customer = 客户
contact-kind-partner = 合作伙伴
contact-kind-microsoft = Microsoft

## 使用状态 (L1)

l1-status-unknown = 状态未知
l1-in-progress = 进行中
l1-blocked = 受阻
l1-no-intent = 无使用意向
l1-duplicate-invalid = 重复/无效

## 使用状态的原因 (L2) 和工程原因 (L3)（l2-键、l3-键：分类法中的键）

l2-customer-unresponsive = 客户无响应
l2-new-subscription-or-workload = 新订阅或新工作负载
l2-technical-onboarding-and-deployment = 技术入门与部署
l2-migration = 迁移
l2-solution-or-user-adoption = 解决方案或用户采用
l2-customer-it-infrastructure-remediation = 客户 IT 基础结构与修复
l2-it-change-management-and-resourcing = IT 变更管理与资源
l2-legal-regulatory = 法律/法规
l2-security-privacy-non-product-feature = 安全/隐私（非产品功能）
l2-adoption-readiness = 采用准备情况
l2-product-feature-capability = 产品/功能能力
l2-service-reliability = 服务可靠性
l2-app-compatibility = 应用兼容性
l2-partner-engagement = 合作伙伴参与
l2-billing-licensing-subscription = 计费、许可、订阅
l2-using-competitive-solution = 使用竞争对手的解决方案
l2-using-microsoft-on-premises-solution = 使用 Microsoft 本地解决方案
l2-executive-sponsorship = 高管支持
l3-desktop-devices = 桌面/设备
l3-hardware = 硬件
l3-network = 网络
l3-identity = 身份
l3-other = 其他
l3-covid = 新冠疫情
l3-budget-agreed-but-not-available = 预算已批准但尚未到位
l3-it-staff-training-required = IT 人员需要培训
l3-updates-processes-or-infrastructure = 正在更新流程或基础结构
l3-legal = 法律
l3-security = 安全
l3-trust = 信任
l3-partner-unresponsive = 合作伙伴无响应
l3-addition-of-seats = 增加席位
l3-incorrect-sku = SKU 不正确
l3-wrong-tenant = 租户错误
l3-commitment-to-on-premises-investment-or-third-party-hosting = 已投入本地部署或第三方托管
l3-customer-decision-to-maintain-control-over-service = 客户决定自行掌控服务
l3-purchased-o365-licenses-but-using-on-premises-rights = 已购买 O365 许可证但使用本地权利
l3-purchased-as-part-of-a-larger-suite = 作为更大套件的一部分购买
l3-no-bdm-sponsor-identified = 未确定业务决策者或发起人
l3-no-clear-business-drivers = 没有明确的业务驱动因素

## 每个原因（L2）的含义，一句话：显示在选项旁边，并供“建议”学习（l2-about-KEY）

l2-about-customer-unresponsive = 客户方无人回应：电话、邮件和会议邀请都没有回复，联系人不答复，因此没人能说明他们对该服务的计划。
l2-about-new-subscription-or-workload = 刚购买的许可证或刚添加的工作负载，还没有人询问其计划；新的席位等待第一次沟通后再分类。
l2-about-technical-onboarding-and-deployment = 客户正在设置服务：配置租户、域和目录同步，建立试点组，部署客户端并启用功能，已计划推出日期。
l2-about-migration = 正在把邮箱、文件、站点或其他内容从旧系统或其他云迁移到该服务；迁移批次已排期或正在进行。
l2-about-solution-or-user-adoption = 服务已经部署，现在的工作是让员工使用：培训、推广者、宣传活动、变更管理，每月增加活跃用户。
l2-about-customer-it-infrastructure-remediation = 必须先修复客户自己的基础结构：旧的台式机或设备、硬件、网络带宽、防火墙或代理、身份和目录问题。
l2-about-it-change-management-and-resourcing = 客户缺少人员、预算或时间：IT 人员忙于其他项目，预算已批准但未到位，员工需要培训，变更冻结或内部流程需要更新。
l2-about-legal-regulatory = 法律、监管机构或合同条款目前禁止使用云服务：数据必须留在本国，行业法规，主管机构的批准尚未获得，合规义务。
l2-about-security-privacy-non-product-feature = 尽管产品满足需求，客户的安全或隐私政策、或对云的不信任阻碍了推出：内部安全审查，数据保护官的批准，信任方面的顾虑。
l2-about-adoption-readiness = 组织还没有准备好让员工使用该服务：没有沟通或培训计划，用户抗拒变化，业务部门未做准备，采用规划尚未开始。
l2-about-product-feature-capability = 客户需要的功能在产品中缺失或受限，或者在其区域或数据中心不提供，客户在等待路线图上的功能。
l2-about-service-reliability = 中断、事故、性能缓慢或服务不稳定，使客户暂停推出，直到服务运行可靠。
l2-about-app-compatibility = 业务应用程序、加载项、宏或第三方工具无法与该服务或新版客户端一起使用，必须先测试、修复或替换。
l2-about-partner-engagement = 负责工作的合作伙伴没有回应、尚未签约或没有能力，部署因等待合作伙伴而停滞。
l2-about-billing-licensing-subscription = 许可证或订阅有误：购买了错误的 SKU，需要增加席位，许可证在错误的租户上，账单或发票问题，许可证未分配。
l2-about-using-competitive-solution = 客户使用或已选择其他供应商的竞争产品来处理邮件、协作或存储，不打算使用该服务。
l2-about-using-microsoft-on-premises-solution = 客户继续在自己的数据中心或托管公司运行服务器版本，不打算迁移到云服务。
l2-about-executive-sponsorship = 没有业务决策者支持该服务：没有高管发起人，没有明确的业务驱动因素，领导层不重视，因此没有使用计划。
## 预测状态

forecast-status-met-early = 按时达成
forecast-status-met-late = 延迟达成
forecast-status-overdue = 已逾期
forecast-status-on-track = 尚未到期
forecast-status-reached-before-forecast = 提前达成

## 活跃使用率区间

au-bucket-below-10 = 低于 10%
au-bucket-10-40 = 10% 至 40%
au-bucket-40-plus = 40% 及以上
au-bucket-none = 暂无 AU

## 时间范围（说明库筛选）

note-window-all = 全部时间
note-window-30 = 最近 30 天
note-window-60 = 30–60 天前
note-window-90 = 60–90 天前

## Error pages

error-sign-in = 需要登录
error-sign-in-text = 请登录后打开此页面。
error-forbidden = 不允许
error-forbidden-text = 您的角色不允许执行此操作。
error-csrf-text = 表单被拒绝：它没有携带本次会话的安全令牌。请返回、重新加载页面后再次提交。
error-not-found-text = 此处没有内容，或者您无权查看。
error-conflict = 已在别处更改
error-conflict-text = 其他人已先行更改。请重新加载页面后再次进行更改。
error-invalid = 请检查所填内容
error-invalid-text = 部分内容无法使用：
error-refused = 无法执行
error-refused-text = 无法进行此更改：
error-bad-request = 无法读取的请求
error-bad-request-text = 无法读取该请求。请返回并从页面重新尝试。
error-unavailable = 请稍后再试
error-unavailable-text = 数据库暂时无法响应。请稍候再试（参考编号 { $reference }）。
error-internal = 出现错误
error-internal-text = 我们这边出现了故障。如需报告，请提供参考编号 { $reference }。

## Field errors (FieldError ids; crates/ftop-domain/src/error.rs). A quoted value is cut to 40 characters.

invalid-untranslated = { $text }
invalid-suggest-empty = 为空，“建议”需要读取说明
invalid-submitted-required = 保存预测日期之前，必须先填写提交日期（RFA）
invalid-date-not-future = { $date } 不是将来的日期
invalid-target-10-required = 必须填写达到 10% AU 的目标日期
invalid-target-max-required = 必须填写达到最高 AU 的目标日期
invalid-after-submitted = 必须晚于提交日期（RFA）{ $date }
invalid-after-target-10 = 必须晚于 10% AU 的目标日期（{ $date }）
invalid-tenant-id = `{ $value }` 不是租户 ID：应为 8-4-4-4-12 个十六进制字符分组的 GUID，例如 0f8fad5b-d9cb-469f-a165-70867728950e
invalid-tenant-name = `{ $value }` 不是租户名称：应为域名，例如 contoso.onmicrosoft.com
invalid-reason-required = “{ $status }”行必须说明原因：请从 { $choices } 中选择
invalid-reason-not-taken = “{ $status }”行不填原因；请清除 `{ $value }`，或把授权移到其他状态
invalid-reason-use-key = 请用原因的键 `{ $key }`，而不是 `{ $value }`
invalid-reason-other-status = `{ $key }` 是“{ $other }”行的原因，不适用于“{ $status }”；请从 { $choices } 中选择
invalid-reason-unknown = `{ $value }` 不是“{ $status }”行的已知原因；请从 { $choices } 中选择
invalid-engineering-without-reason = 请先设置原因（L2），再设置工程原因；`{ $value }` 没有可归属的原因
invalid-engineering-none = 原因 `{ $reason }` 没有工程原因；请清除 `{ $value }`
invalid-engineering-use-key = 请用工程原因的键 `{ $key }`，而不是 `{ $value }`
invalid-engineering-unknown = `{ $value }` 不是 `{ $reason }` 的工程原因；请从 { $choices } 中选择
invalid-rows-none = 该服务有 { $total } 个授权，但没有状态行；请至少添加一行，使每个授权都有状态
invalid-rows-too-few = 各行合计 { $sum } 个授权，但该服务有 { $total } 个：请为缺少的 { $missing } 个设置状态
invalid-rows-too-many = 各行合计 { $sum } 个授权，但该服务只有 { $total } 个：请从各行中减去 { $extra } 个
invalid-row-empty = 每行至少要有一个授权；否则请删除该行
invalid-target-date-not-taken = 只有“进行中”和“受阻”行才有目标日期；请清除这一“{ $status }”行的日期
invalid-target-date-past = 目标日期 { $date } 已过；请选择 { $today } 或之后的日期
invalid-target-date-required = “进行中”行需要填写授权投入使用的目标日期
invalid-owner-not-taken = “{ $status }”行没有负责人；请清除 `{ $value }`
invalid-owner-blank = 负责人为空；请填写负责人，或不设置
invalid-row-note-too-long = 说明有 { $chars } 个字符，超出上限 { $max } 个字符 { $over } 个；请缩短，或把细节移到说明库
invalid-rows-duplicate = rows[{ $first }] 与 rows[{ $second }] 状态相同（{ $status }）；请合并为一行，共 { $merged } 个授权
invalid-service-unknown = `{ $value }` 不是目录中的服务
invalid-service-unknown-example = `{ $value }` 不是目录中的服务（例如 Exchange、SharePoint、Teams、Intune）
invalid-qualified-range = 必须介于 0 与授权数（{ $total }）之间
invalid-not-negative = 必须大于或等于零
invalid-user-unknown = 没有名为 { $value } 的用户
invalid-service-not-entitled = 租户 { $tenant } 没有 { $service } 授权
invalid-contact-name = 请填写联系人姓名
invalid-email = `{ $value }` 不是电子邮件地址
invalid-survey-customer-only = 只能向客户联系人发送调查
invalid-survey-engaged = 接受调查的联系人必须参与入门
invalid-survey-email = 接受调查的联系人需要电子邮件地址
invalid-survey-country = 接受调查的联系人需要国家或地区
invalid-country-code = `{ $value }` 不是国家代码：请填写 ISO 3166 的两个字母（DE、BR、US）
invalid-language-code = `{ $value }` 不是语言代码：请填写 ISO 639 的两个字母（de、pt），可附带国家（pt-BR）
invalid-survey-language = 请选择调查语言
invalid-survey-services = 请至少填写一项已部署或已迁移的服务
invalid-percent-range = 完成百分比应介于 0 到 100 之间
invalid-task-nothing = 请说明要更改的内容：状态、百分比或角色
invalid-task-not-applicable = 任务 { $task } 不适用于租户 { $tenant }
invalid-task-not-applicable-service = { $service } 的任务 { $task } 不适用于租户 { $tenant }
invalid-partner-name = 请填写合作伙伴组织的名称
invalid-user-name = 请使用 1 到 100 个字母、数字、点、短横线、下划线或 @
invalid-password-short = 请至少使用 { $min } 个字符
invalid-password-has-name = 密码中请勿包含您的用户名
invalid-password-common = 此密码在常见密码列表中，请另选一个
invalid-password-guessable = 此密码容易被猜到（连续字符、重复字符或键盘上的一排），请另选一个
invalid-partner-required = 合作伙伴用户须属于某个合作伙伴组织
invalid-partner-only = 只有合作伙伴用户才属于合作伙伴组织
invalid-user-exists = 用户 { $value } 已存在
invalid-note-body-empty = 请先写好说明再保存
invalid-too-long = 最多 { $max } 个字符
invalid-choose-one = `{ $value }`：请选择 { $choices }
invalid-not-yes-no = `{ $value }` 不是 true 或 false
invalid-token-days = 请填写 1 到 { $max } 天
invalid-nul = 包含 NUL 字符（U+0000），不允许使用
invalid-team-one-line = 每个团队单独占一行（名称中不能有换行）
invalid-too-long-starts = 最多 { $max } 个字符（此值以 `{ $value }` 开头）
invalid-too-many-bytes = 最多 { $max } 字节
invalid-too-many-rows = 最多 { $max } 行
invalid-too-many-items = 最多 { $max } 项
invalid-service-not-of-tenant = `{ $value }` 不是该租户的服务
invalid-task-unknown = { $value } 不是手册中的任务 ID
invalid-drafts-full = 您已有 { $max } 份草稿；请先保存或删除一份
invalid-customer-name = 请填写客户名称（最多 200 个字符）
invalid-service-twice = 该服务列出了两次
invalid-value = 无效的值
invalid-tenant-exists = 租户 { $value } 已存在
invalid-tenant-name-taken = { $value } 已是租户 { $tenant } 的名称
invalid-tenant-name-taken-other = { $value } 已是另一个租户的名称
invalid-tenant-name-in-file = { $value } 在此文件中也是租户 { $tenant } 的名称
invalid-customer-required = 请填写客户名称
invalid-exception-reason-required = 请说明该租户因例外而符合资格的原因（例如其来源计划）
invalid-seats-number = `{ $value }` 不是整数席位数（0 或以上）
invalid-seats-whole = `{ $value }` 不是整数席位数
invalid-count-whole = `{ $value }` 不是整数授权数
invalid-reload = 请重新加载页面后重试
invalid-draft-action = 请使用草稿的某个按钮
invalid-import-conflict = 租户 { $tenant } 在第 { $line } 行有不同的名称或客户
invalid-import-service-twice = 租户 { $tenant } 的 { $service } 列出了两次
invalid-minutes-none = 请至少填写一分钟
invalid-minutes-day = 每条记录最多 24 小时
invalid-time-future = 不能为尚未到来的日期登记时间
invalid-task-not-for-tenant = 任务 { $task } 不适用于该租户
invalid-date = `{ $value }` 不是日期：请按 YYYY-MM-DD 填写
invalid-more-rows-refused = 另有 { $count } 行被拒绝
invalid-limit = 1 到 { $max } 之间的数字
invalid-unreadable = 无法读取：{ $why }
invalid-confirm-removal = 请勾选复选框以确认移除
invalid-language = `{ $value }` 不是 ftop 支持的语言：{ $choices }
invalid-note-category = `{ $value }` 不是说明类别
invalid-draft-version = 请发送您读取的草稿版本
invalid-window = `{ $value }` 不是时间范围：all、30、60 或 90
invalid-task-id = `{ $value }` 不是有效的任务 ID
invalid-draft-not-found = 未找到
invalid-bucket = 请选择 below-10、10-40、40-plus 或 undefined
invalid-reached = 请选择 10 或 40
invalid-forecast-filter = 请按 里程碑:状态 填写，例如 10:overdue（状态：met-early、met-late、overdue、on-track、reached-before-forecast）
invalid-date-short = `{ $value }` 不是日期（YYYY-MM-DD）
invalid-task-status = `{ $value }` 不是任务状态
invalid-body = 无法读取请求正文：{ $why }
invalid-note-tenant = 请指明说明所属的租户
invalid-choose-tenant = 请选择租户
invalid-tenant-not-visible = 没有您可查看的租户 `{ $value }`
invalid-partner-id = `{ $value }` 不是合作伙伴组织的 ID
invalid-user-id = `{ $value }` 不是用户 ID
invalid-rows-limit = `{ $value }`：应为 1 到 1000 行
invalid-rows-offset = `{ $value }`：应为要跳过的行数
invalid-choose-status = 请选择状态
invalid-percent-whole = 完成百分比是 0 到 100 之间的整数
invalid-choice = `{ $value }` 不是允许的值
invalid-contact-kind = `{ $value }` 不是联系人类型
invalid-csv = 无法读取的 CSV：{ $why }

## Field names as forms show them (field-NAME for a field `name`, `_` written `-`)

field-line = 第 { $line } 行
field-tenant-id = 租户 ID
field-start-date = 参与开始日期
field-teams = 交付团队
field-scenario = 参与场景
field-tenant-name = 租户名称
field-tenant = 租户
field-customer = 客户
field-service = 服务
field-services = 服务
field-entitlements = 授权
field-qualified-entitlements = 合格席位
field-submitted = 提交日期（RFA）
field-target-10 = 10% AU 目标日期
field-target-40 = 40% AU 目标日期
field-target-max = 最高 AU 目标日期
field-rows = 状态行
field-row = 行
field-count = 该行授权数
field-l2 = 原因（L2）
field-l3 = 工程原因（L3）
field-target-date = 目标日期
field-owner = 负责人
field-note = 说明
field-body = 正文
field-next-action = 下一步操作
field-next-action-date = 下一步操作日期
field-user = 用户
field-name = 名称
field-email = 电子邮件
field-survey-eligible = 接受调查
field-engaged = 已参与
field-country = 国家或地区
field-survey-language = 调查语言
field-percent = 完成百分比
field-status = 状态
field-overall-status = 总体状态
field-priority = 优先级
field-motion = 模式
field-kind = 类型
field-task-id = 任务
field-partner = 合作伙伴
field-manager = 经理
field-password = 密码
field-state = 草稿状态
field-status-note = 状态说明
field-minutes = 分钟
field-work-date = 工作日期
field-file = 文件
field-limit = 上限
field-offset = 偏移量
field-lang = 语言
field-category = 类别
field-version = 版本
field-window = 时间范围
field-draft = 草稿
field-bucket = AU 区间
field-reached = 已达里程碑
field-forecast = 预测
field-from = 起始
field-to = 截止
field-role = 角色
field-escalated = 已升级
field-qualified = 合格席位
field-status-date = 状态日期
field-active = 活动
field-program-exception = 计划例外
field-exception-reason = 例外原因
field-phase = 阶段
field-period = 期间
field-enterprise-exception = 企业例外
field-adoption-benefit = 额外的采用权益
field-primary = 主要
field-desires-assistance = 希望获得合作伙伴协助
field-effective = 生效日期
field-user-id = 用户 ID
field-action = 操作
field-l1 = 使用状态（L1）

## observability

error-request-id = 请求编号：{ $id }

## account and sessions

signin-busy = 当前登录的人过多。请稍等一秒后重试。
signin-wait = 此用户名或此地址的登录失败次数过多。请稍候再试；每多失败一次，等待时间就会变长，最长 15 分钟。
sso-button = 使用 { $provider } 登录
sso-or-password = 或使用本地账户登录：
sso-break-glass = 本地登录（仅限紧急管理员）
sso-failed = 单点登录未完成。请重试；如果一直失败，请联系管理员。
sso-unavailable = 暂时无法连接身份提供方。请一分钟后重试。
sso-only = 请使用上方的单点登录按钮：密码表单仅供紧急管理员使用，且所输入的信息未能登录。
sso-no-account = 身份提供方认识您的身份，但您在 ftop 中没有账户。请让管理员为您添加。
sso-inactive = 您的 ftop 账户已停用。请让管理员重新启用。
sso-other-identity = 此 ftop 账户已关联到身份提供方中的另一个身份。请联系管理员。
sso-no-role = 您在身份提供方中的组未授予任何 ftop 角色（或 ftop 已知的合作伙伴组织）。请联系管理员。
account-sessions = 您的会话
account-sessions-intro = 您已登录的每个浏览器。请结束您不认识的会话；会话在闲置 2 小时或登录 12 小时后也会自动结束。
account-session-created = 登录时间
account-session-seen = 最后使用
account-session-address = 地址
account-session-current = （当前浏览器）
account-session-end = 结束会话
account-session-end-confirm = 要结束此会话吗？使用它的浏览器需要重新登录。
account-session-keep = 保留
invalid-whole-number = `{ $value }` 不是 { $min } 到 { $max } 之间的整数
invalid-empty-parameter = 请填写一个前后没有空格的值，或者不要传这个参数

## People: users and partner organisations (administrators and partner admins)
people-users = 用户
people-partners = 合作伙伴组织
people-count = { $count } 个用户
people-add-user = 添加用户
people-add-partner = 添加组织
people-no-partner = （无）
people-deactivated = 已停用
people-created = 创建时间
people-new-password = 新密码
people-password-keep = 留空则保留当前密码。
people-password-rule = 密码至少 12 个字符，不能是常见或容易猜到的密码，也不能包含用户名。
people-deactivate-confirm = 停用 { $name }？其所有会话会立即结束，其 API 令牌也会失效。之后可以重新启用该帐户，但令牌不会恢复。
people-deactivate-yes = 是，停用此用户
people-rename = { $name } 的名称
people-rename-button = 重命名
people-done-created = 已添加用户。
people-done-saved = 已保存。
partners-none-to-add = 所有合作伙伴组织都已在此租户上。管理员可在“合作伙伴组织”中添加组织。
people-done-partner = 已保存组织。
field-partner-admin = 合作伙伴管理员
field-current = 当前密码
field-label = 标签
field-days = 天数
invalid-user-role = `{ $value }` 不是角色
invalid-partner-admin-only = 只有合作伙伴用户才能管理合作伙伴组织
invalid-partner-unknown = 没有名为 { $value } 的合作伙伴组织；请先添加
invalid-partner-exists = 已有名为 { $value } 的组织
invalid-user-self-role = 不能更改自己的角色或组织；请其他管理员操作
invalid-user-self-active = 不能停用自己的帐户
invalid-password-current = 这不是您当前的密码
field-confirm = 确认
field-exclude = 排除项
field-assignments = 分配
invalid-assignment-role = `{ $value }` 不是分配角色
invalid-assignment-user-role = { $value } 不能担任 { $role }：FastTrack 角色只给 FastTrack 员工，合作伙伴角色只给此租户上合作伙伴组织的用户
invalid-assignment-twice = { $value } 在同一角色和级别中出现了两次
invalid-assignment-primary-twice = { $role }（{ $service ->
    [none] 整个租户
   *[other] { $service }
}）只能标记一个主要负责人，不能两个
assignments = 分配
assignment-level = 级别
assignment-whole-tenant = 整个租户
assignment-make-primary = 设为主要负责人
assignment-confirm-remove = 是，移除
assignment-remove = 移除
assignment-none = 此租户尚未分配任何人。
assignment-add = 分配人员
invalid-assignment-action = 请选择要更改的内容
reassign = 重新分配
reassign-intro = 将一个人的所有分配转给另一个人，例如有人离开团队时。取消勾选应保留的行；确认之前不会有任何变动。
reassign-from = 从
reassign-to = 到
reassign-preview = 预览
reassign-counts = 已选 { $selected } 项，未选 { $deselected } 项
reassign-move = 转移
reassign-move-row = 转移 { $tenant } 上的分配
reassign-nothing = 此人没有任何分配。
reassign-recount = 重新计数
reassign-no-undo = 此操作无法撤销：所选分配会一次性全部转移。每个租户的历史记录都会记下这次更改。
reassign-confirm = 我已了解，转移它们
reassign-apply = 转移 { $count } 项分配
reassign-done = 已转移 { $count } 项分配。
invalid-reassign-confirm = 请先勾选确认：此操作无法撤销
invalid-reassign-same = 请选择另一个人来接手
invalid-reassign-role = { $value } 不能在 { $tenant } 上担任 { $role }
tenant-new = 新建租户
tenant-new-services = 服务和席位
tenant-new-hint = 填写租户拥有的每项服务的授权数，其他留空；合格席位默认与授权数相同。
tenant-new-name-example = contoso.onmicrosoft.com
tenant-new-create = 创建租户
invalid-import-column-twice = 表头两次列出 `{ $column }` 列（第 { $first } 列和第 { $second } 列）；请只保留一列
invalid-import-column-missing = 表头缺少 `{ $column }` 列（应为 { $expected }）
invalid-import-too-many-rows = 超过 { $max } 行；请拆分文件
tenant-import = 导入租户
tenant-import-intro = 上传 CSV 文件，每个租户和服务一行，并使用以下表头（其他列会被忽略；合格授权默认等于授权数）。文件要么全部导入，要么不导入；再次上传同一文件不会有任何更改。
tenant-import-button = 导入
tenant-import-busy = 正在上传并导入
tenant-import-refused = 未导入任何内容。请更正以下各行后重新上传文件：
tenant-import-done = 共 { $rows } 行：创建 { $created } 个租户，更新 { $updated } 个，添加或更改 { $services } 项服务，{ $unchanged } 项未变。
invalid-file-missing = 请选择要上传的文件
invalid-user-self-password = 请在您的帐户中凭当前密码更改自己的密码
invalid-user-inactive = { $value } 已停用
invalid-import-not-yours = 租户 { $tenant } 已存在且您未被分配到该租户：请让其负责人或管理员进行更改
invalid-token-label = 请说明令牌的用途

## Your account: password and API tokens
account = 您的帐户
account-password = 密码
account-password-current = 当前密码
account-password-change = 更改密码
account-password-sessions = 更改后，您在其他浏览器中的会话都会结束。
account-password-changed = 密码已更改。其他浏览器中的会话已结束。
account-tokens = API 令牌
account-tokens-intro = 令牌让脚本以您的身份使用 API（Authorization: Bearer TOKEN）。请撤销不再使用的令牌。
account-token-label = 标签
account-token-expires = 到期时间
account-token-expired = 已过期
account-token-never = 永不
account-token-new = 新令牌
account-token-days = 有效期（天）
account-token-create = 创建令牌
account-token-shown-once = 新令牌如下。请立即复制：它只显示这一次。
account-token-revoke = 撤销
account-token-revoke-confirm = 撤销令牌“{ $label }”？使用它的脚本会立即停止工作。
account-token-revoked = 令牌已撤销。
account-token-keep = 保留

## 编辑租户及其资格例外

tenant-edit = 编辑租户
tenant-edit-hint = 填写某一服务的行即可更改其授权数或添加该服务。此处不会删除服务：其历史记录会保留。
cancel = 取消
exception = 资格例外
exception-grant = 因例外而符合资格（低于计划的最低席位数）
exception-reason = 例外原因
field-reason = 原因
people-sso = 单点登录
people-sso-linked = 已绑定到身份提供方中的身份
people-sso-unlinked = 未绑定（下次通过身份提供方登录时按电子邮件绑定）
people-sso-unlink = 解除与身份提供方身份的绑定（当其在提供方的账户被替换时）
invalid-sso-link = 账户通过身份提供方登录时才会绑定其身份，不能在此处绑定
field-sso-linked = 单点登录

## Tenant grid: displays, priority, column filters, tripwires
grid-display = 视图
grid-display-scorecard = 采用情况记分卡
grid-display-overview = 概览
grid-display-assignments = 分配
grid-group-customer = 按客户分组
grid-days = 参与项目天数
grid-status-date = 最近状态日期
grid-au-of = { $service } AU
grid-next-action-date = 下一步行动日期
grid-next-action-owner = 下一步行动负责人
grid-fastrack-managers = FastTrack 经理
grid-fastrack-engineers = FastTrack 工程师
grid-partner-people = 合作伙伴负责人
grid-column-filters = 按列筛选
grid-filter-number-n = 筛选条件 { $n }：
grid-filter-column-label = 列
grid-filter-op-label = 条件
grid-filter-value-label = 值
grid-filter-hint = 文本列：包含、不包含、开头是、等于。数字和日期：比较。AU 以百分比填写（如 12.5）；日期格式为 YYYY-MM-DD。
grid-op-contains = 包含
grid-op-not-contains = 不包含
grid-op-starts = 开头是
grid-op-equals = 等于
grid-op-eq = 等于 (=)
grid-op-ne = 不等于 (≠)
grid-op-lt = 小于 / 早于 (<)
grid-op-le = 不超过 / 不晚于 (≤)
grid-op-gt = 大于 / 晚于 (>)
grid-op-ge = 至少 / 不早于 (≥)
grid-filter-empty = 请输入用于比较的值。
grid-filter-long = 值太长。
grid-filter-op = 此条件不适用于该列：文本列可用包含、不包含、开头是或等于；数字和日期列可用比较。
grid-filter-number = 请输入数字（AU 以百分比填写，如 12.5；天数和席位数为整数）。
grid-filter-date = 请按 YYYY-MM-DD 格式输入日期。
grid-filter-column = 请从列表中选择一列。
grid-filter-refused = 有一个按列筛选条件无法使用；更正之前列表将忽略它（见旁边的提示）。
tripwire-au-gain = 使用率上升
tripwire-au-gain-title = 过去 30 天内某项服务的活跃使用率显著上升。
tripwire-au-drop = 使用率下降
tripwire-au-drop-title = 过去 30 天内某项服务的活跃使用率显著下降。
tripwire-more-seats = 席位增加
tripwire-more-seats-title = 过去 30 天内该租户的合格席位有所增加。
priority-all = 全部
priority-filter-high = 高和高（手动设置）
priority-filter-medium = 中和中（手动设置）
priority-filter-low = 低
priority-filter-low-override = 低（手动设置）
priority-set-of = 设置 { $tenant } 的优先级
priority-default = 恢复默认
priority-set = 设置
priority-saved = 优先级已保存。
customer-seats = 席位（所有租户）
customer-adoption = 各租户合计的活跃使用率
customer-no-usage = 这些租户尚无使用数据。
customer-bucket = 里程碑区间
customer-more-tenants = 显示 { $total } 个租户中的 { $shown } 个。
## Data migration
invalid-migration-end-before-start = 期望结束日期（{ $end }）早于期望开始日期（{ $start }）
invalid-migration-type-service = { $value } 不会把数据迁入 { $service }
invalid-migration-size = 最多 { $max } GB
invalid-migration-only-declined = 只有在 Microsoft 不执行迁移时才需填写原因
invalid-migration-only-performing = 仅在 Microsoft 执行迁移时填写；请清空此项，或选择由 Microsoft 执行迁移
invalid-migration-reason-needed = 请选择 Microsoft 不执行迁移的原因
invalid-migration-types-none = 请至少添加一行迁移类型（有 { $due } 个“进行中”和“受阻”授权需要分配）
invalid-migration-nothing-due = 该服务尚无“进行中”或“受阻”的授权：请先记录其状态行，再记录迁移
invalid-migration-types-sum = 各行合计 { $sum } 个授权；必须正好等于 { $due }，即该服务“进行中”和“受阻”的授权数
invalid-migration-not-eligible = { $service } 没有数据迁移决定：只有席位超过 { $seats } 的租户的 Exchange、SharePoint 和 OneDrive 才有
invalid-migration-performing-choose = 请说明 Microsoft 是否执行迁移
invalid-migration-size-whole = `{ $value }` 不是整数 GB
migration = 数据迁移
migration-performing = 是否由 Microsoft 执行迁移？
migration-desired-start = 期望开始日期
migration-desired-end = 期望结束日期
migration-dates-hint = 客户希望的日期，仅供参考，任何人都不承诺按期完成。
migration-rows-hint = 由 Microsoft 执行时，请列出数据的迁移方式。各行合计必须正好为 { $due } 个授权，即该服务“进行中”和“受阻”的授权数。
migration-types = 迁移类型
migration-type = 类型
migration-estimated = 预计迁移日期
migration-size = 数据量（GB）
migration-row-status = 状态（由迁移专家填写）
migration-add-row = 添加一行
migration-declined = Microsoft 不执行迁移时
migration-rejection-reason = 原因
migration-notes = 备注
save-migration = 保存数据迁移
migration-undecided = 尚未记录任何决定。
migration-rows-out-of-step = 各行合计 { $sum } 个授权，但该服务现有 { $due } 个“进行中”和“受阻”授权：请更新各行。
migration-prerequisites = 迁移前需完成的任务
migration-prerequisite-missing = 不在此租户的行动手册中
migration-type-mig-exhybrid = Exchange 混合部署（Mig-ExHybrid）
migration-type-mig-exstaged = Exchange 分批迁移（Mig-ExStaged）
migration-type-mig-excutover = Exchange 一次性直接转换（Mig-ExCutover）
migration-type-mig-imap = IMAP 邮箱（Mig-IMAP）
migration-type-mig-gmailstaged = Gmail 分批迁移（Mig-GmailStaged）
migration-type-mig-fileshare = 文件共享（Mig-FileShare）
migration-type-mig-sharepoint = SharePoint Server（Mig-SharePoint）
migration-type-mig-box = Box（Mig-Box）
migration-type-mig-googledrive = Google 云端硬盘（Mig-GoogleDrive）
migration-type-mig-dropbox = Dropbox（Mig-Dropbox）
migration-status-not-started = 未开始
migration-status-in-progress = 进行中
migration-status-blocked = 受阻
migration-status-complete = 已完成
migration-rejection-customer-self-migrates = 客户将自行迁移
migration-rejection-partner-migrates = 合作伙伴正在迁移数据
migration-rejection-no-data = 没有需要迁移的数据
migration-rejection-customer-declined = 客户放弃了此项权益
migration-rejection-other = 其他原因（见备注）
history-kind-migration = 数据迁移
history-thing-migration = { $service } 的数据迁移
date-day = { $year }年{ $month }月{ $day }日
field-performing = 由 Microsoft 执行迁移
field-desired-start = 期望迁移开始日期
field-desired-end = 期望迁移结束日期
field-rejection-reason = Microsoft 不执行迁移的原因
field-notes = 备注
field-types = 迁移类型
field-migration-type = 类型
field-estimated-date = 预计迁移日期
field-data-size-gb = 数据量（GB）
## Enterprise status

enterprise-status = 企业状态
enterprise-none = 尚未为此租户记录任何企业状态。
enterprise-updated = 由 { $who } 于 { $when } 记录
enterprise-overdue = 更新已逾期：下次更新应在 { $date } 完成。
enterprise-earlier = 较早的记录（{ $count } 条）
enterprise-add = 添加企业状态
enterprise-required-note = 标有 * 的字段为必填项。
enterprise-save = 保存企业状态
enterprise-writers-only = 企业状态记录由 FastTrack 经理、管理员以及分配到此租户的 FastTrack 架构师或经理添加。
enterprise-reasons = 原因
enterprise-rag = 状态（红色、琥珀色、绿色）
enterprise-summary = 执行摘要
enterprise-summary-help = 是什么让此次参与无法达到绿色：主题、简要说明、影响以及已采取的行动。
enterprise-overview = 部署状态：当前概况
enterprise-activities = 当前的 FastTrack 活动
enterprise-risks = 风险
enterprise-brand = 公开名称或品牌名称
enterprise-awareness = 知情情况
enterprise-next-update = 下次更新
enterprise-reason-it-maturity = IT 成熟度
enterprise-reason-over-50k-seats = 超过 50,000 个席位
enterprise-reason-executive-relationship = 高管关系
enterprise-reason-reactive = 被动响应
enterprise-reason-major-brand = 知名品牌
enterprise-reason-new-feature-experiment = 新功能或试验
rag-red = 红色
rag-amber = 琥珀色
rag-green = 绿色
rag-about-red = 目前未在进行入门
rag-about-amber = 正在入门，但受阻或明显慢于计划
rag-about-green = 按预期进度入门
history-kind-enterprise-status = 企业状态
history-thing-enterprise-status = 企业状态记录 { $id }
invalid-enterprise-required = 此项为必填项，请填写
invalid-enterprise-reasons-required = 请至少选择一个原因
invalid-enterprise-next-update-past = { $date } 已经过去；请选择 { $today } 或之后的日期
field-reasons = 原因
field-rag = 状态（红色、琥珀色、绿色）
field-summary = 执行摘要
field-overview = 部署状态：当前概况
field-activities = 当前的 FastTrack 活动
field-risks = 风险
field-brand = 公开名称或品牌名称
field-awareness = 知情情况
field-next-update = 下次更新

## Predicted gain
grid-gain = 预计 6 个月 AU 增长
grid-gain-title = 根据租户增长最快的服务最近六个月数据的趋势，预计其在六个月内活跃使用率将增加的百分点（负数表示下降）。
grid-prioritised = 优先排序的租户组合
grid-prioritised-title = 预计在未来六个月内活跃使用率增长最多的租户排在最前面。
## Reports
reports = 报表
reports-intro = 每份报表都在相同的筛选条件下读取采用数据和租户记录，可下载为 CSV，其中每个数字都链接到其背后的租户。
report-filters = 报表筛选条件
report-any = （全部）
report-partner = 合作伙伴组织
report-manager = FastTrack 经理
report-team = 交付团队
report-overall-status = 总体状态
report-scenario = 参与方案
report-service-status = 服务状态
report-none = 在这些筛选条件下没有可显示的内容。
report-rows = 数字背后的租户
report-rows-cut = 显示 { $total } 行中的前 { $shown } 行；CSV 下载包含全部行。
report-total = 合计
report-fix = 处理方法
report-milestones = 按使用里程碑的表现
report-milestones-about = 有使用数据的服务按活跃使用率区间分布，以及每项服务还需要多少活跃用户才能达到 10% 和 40%。
report-by-bucket-chart = 按活跃使用率区间的服务
report-by-bucket-of = { $service }：按活跃使用率区间的服务
report-col-as-of = 数据日期
report-col-active-users = 活跃用户
report-col-qualified = 合格席位
report-col-au = 活跃使用率
report-col-needed-10 = 达到 10% 仍需用户数
report-col-needed-40 = 达到 40% 仍需用户数
report-stale = 未更新的总体状态说明
report-stale-about = 总体状态说明超过 14 天未更新或从未填写的活跃租户。请在租户的“状态”选项卡中填写每两周一次的状态说明。
report-stale-mine = 分配给我的
report-stale-all = 我可查看的所有租户
report-stale-fix = 更新状态
report-col-last-note = 最近的状态说明
report-col-days = 间隔天数
report-never = 从未
report-compliance = 合规
report-compliance-about = 由合作伙伴主导的工作中，记录会导致合作伙伴无法获得认可或付款的情况。
report-rm-not-partner = 区域经理不是合作伙伴
report-rm-not-partner-about = 与合作伙伴共享、有合作伙伴主导或协助的服务，但租户主要区域经理不是合作伙伴用户的租户。合作伙伴应将自己添加为租户主要区域经理。
report-col-rm = 租户主要区域经理
report-rm-fix = 打开分配
report-scenario-not-partner-led = 参与方案不是合作伙伴主导
report-scenario-not-partner-led-about = 与合作伙伴共享的租户中，方案既不是 FTC-FTP Led 也不是 Customer-Led with FTP Assist 的服务：其增长不会带来付款。由合作伙伴交付服务时，请在“服务”选项卡上设置方案。
report-scenario-fix = 打开“服务”选项卡
report-forecast = { $milestone }% 预测
report-forecast-about = 按月列出的里程碑预测日期。日期已过但活跃使用率仍低于里程碑的标为红色；日期未到但已达到里程碑的标为绿色；日期为今天的即今天到期。
report-forecast-chart = 按月的预测日期
report-col-month = 月份
report-col-forecasts = 预测日期数
report-col-overdue = 已过期，仍未达到
report-col-due-today = 今天到期
report-col-reached-early = 未到期，已达到
report-col-target = 预测日期
report-col-reached = 达到日期
report-col-status = 状态
report-col-flag = 标记
report-flag-below = 仍低于里程碑
report-flag-reached = 已达到
report-not-reached = 尚未达到
report-past = 已过的日期
report-future = 未到的日期
report-month-shown = 仅列出 { $month } 的日期。
report-all-months = 显示所有月份
report-new-subscriptions = 新订阅
report-new-subscriptions-about = 因新订阅或新工作负载而仍标为“状态未知”的授权。请在租户的“服务”选项卡上为每一项指定正确的使用状态。
report-by-service = 按服务
report-col-rows = 状态行
report-col-entitlements = 授权
report-classify = 分类
report-data-health = 数据健康
report-data-health-about = 会导致其他报表不准确的服务记录，每条都附有应采取的修正方法。
report-health-days = 有合格席位的服务，若最近的使用数据超过 { $days } 天或没有使用数据，就会列出。
report-col-check = 检查项
report-health-no-recent-usage = 没有近期使用数据
report-health-qualified-above-entitled = 合格席位多于授权
report-health-in-progress-without-target = 进行中但没有目标日期
report-health-fix-usage = 检查此租户和服务的使用数据来源
report-health-fix-seats = 在“服务”选项卡上更正席位
report-health-fix-target = 在“服务”选项卡上设置目标日期
report-conversion = 转化率
report-conversion-about = 在活跃使用率已确定（有使用数据和合格席位）的服务中，按最近的数据达到 10% 及以上和 40% 及以上的数量；正好 10% 也计入。
report-col-capped-au = 活跃使用率（上限 100%）
report-col-with-au = 有活跃使用率
report-col-at-10 = 达到 10% 及以上
report-col-at-40 = 达到 40% 及以上
report-col-rate-10 = 达到 10% 及以上的比例
report-col-rate-40 = 达到 40% 及以上的比例

## Work queue and digests

queue-title = 待我处理
queue-empty = 您的租户目前没有待处理事项。
queue-due = 到期
queue-kind = 事项
queue-about = 详情
queue-upcoming = 即将到期
queue-shown = 此处列出 { $total } 项中最紧急的 { $shown } 项。
queue-forecast-detail = { $service }：{ $percent }% 预测日期
queue-kind-next-action = 下一步行动
queue-kind-forecast-missed = 已错过预测日期
queue-kind-stale-status = 需更新总体状态
queue-kind-blocked-task = 任务受阻
queue-kind-au-drop = 活跃使用率下降
queue-kind-new-subscription = 待分类的新订阅
digest-settings = 电子邮件摘要
digest-settings-intro = 汇总需要您处理的事项以及您的租户达到的里程碑，于您所在时区的 08:00 发送。
digest-frequency = 频率
digest-frequency-weekly = 每周一
digest-frequency-daily = 每天
digest-frequency-none = 从不
digest-time-zone = 时区
digest-save = 保存摘要设置
digest-saved = 摘要设置已保存。
field-time-zone = 时区
invalid-time-zone = `{ $value }` 不是已知的时区：请填写 IANA 名称，例如 Asia/Shanghai
digest-subject-weekly =
    { $count ->
        [0] 您的 ftop 一周：没有待处理事项
       *[other] 您的 ftop 一周：{ $count } 项待您处理
    }
digest-subject-daily =
    { $count ->
        [0] 您的 ftop 今日：没有待处理事项
       *[other] 您的 ftop 今日：{ $count } 项待您处理
    }
digest-greeting = { $name }，您好：
digest-milestones = 已达到的里程碑
digest-milestones-none = 本期间您的租户没有服务达到里程碑。
digest-milestone = { $tenant }：{ $service } 于 { $date } 达到 { $percent }% 活跃使用率
digest-footer = 您收到此邮件是因为您的摘要设置；可在 { $link } 更改。
digest-unsubscribe = 不再接收这些邮件
unsubscribe-title = 停止电子邮件摘要
unsubscribe-confirm = 停止向此帐户发送电子邮件摘要？您可以在帐户页面重新开启。
unsubscribe-button = 停止摘要
unsubscribe-done = 已完成：此帐户将不再收到摘要。
unsubscribe-invalid = 此链接无效（可能复制不完整）。

## Usage reports: performance overview, service usage, usage trend
report-performance = 绩效概览
report-performance-about = 基于最新使用数据的采用情况，按参与场景归属于服务的主要负责方：合作伙伴主导或协助时归属合作伙伴，其他情况归属 FastTrack；随后是年初以来活跃用户的增长，以及每月合格席位、活跃用户和活跃使用率的趋势。
report-credit = 按参与场景划分的采用情况
report-credit-about = 当服务的场景为 FTC-FTP Led 或 Customer-Led with FTP Assist 时，该服务归属其合作伙伴；其他任何场景下归属 FastTrack。
report-credit-by-party = 按归属方划分的采用情况
report-credit-partner = 合作伙伴
report-credit-fasttrack = FastTrack
report-col-credited-to = 归属方
report-col-share = 占活跃用户的比例
report-ytd-growth = { $year } 年活跃用户增长
report-col-growth = 年初以来的增长
report-col-chart = 图表
report-qe-au-trend = 每月合格席位、活跃用户和活跃使用率
report-service-usage = 服务使用情况
report-service-usage-about = 按服务列出有使用数据的租户和服务、其合格席位和活跃用户、不设上限及每个服务以 100% 为上限的活跃使用率，以及各区间的服务数量；可基于最新数据，也可基于所选月份月末的数据。
report-as-of-latest = 按每个服务的最新使用数据统计。
report-as-of-month = 按每个服务在 { $month } 的最后一条使用数据统计。
report-month-filter = 月份（留空：最新数据）
report-col-tenants = 租户
report-col-services = 有使用数据的服务
report-usage-trend = 使用趋势
report-usage-trend-about = 按月统计，取每个服务当月最后一条使用数据：活跃用户、合格席位、不设上限及每个服务以 100% 为上限的活跃使用率，以及转化率，即有合格席位的服务中达到 10% 和 40% 的比例。
report-usage-trend-charts = 每月活跃使用率
report-trend-chart-desc = 按月份绘制的折线，并横向标出 10% 和 40% 里程碑；具体数字见下表。
report-conversion-trend = 每月转化率
report-by-month = 按月
