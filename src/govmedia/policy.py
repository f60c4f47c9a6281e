"""Every number and list the regulation sets, in one place, each with its article.

Source: 苏州市吴江区人社局政务新媒体管理制度 (2023-11-07). 第十四条/第十五条 let higher-level documents
tighten these; change them here and nowhere else. No Django import: the screening engine uses it too.
"""

from __future__ import annotations

# 第三条: file every opening, change, closure and cancellation within 3 working days.
FILING_WORKDAYS = 3
# A filing is "due soon" when its deadline is within this many calendar days.
FILING_DUE_SOON_DAYS = 2

# 第四条: the four preconditions for opening an account, each with its evidence.
OPENING_PRECONDITIONS = {
    "managing_body": "有明确的管理机构",
    "trained_staff": "有专职管理人员且掌握应用新媒体的基本技能",
    "funding": "有必要的经费保障",
    "rules": "政务新媒体各项管理制度健全、完备",
}
# 第四条: no accounts for one-off campaigns or projects; a purpose containing these is refused.
CAMPAIGN_PURPOSE_WORDS = ("专项活动", "专项工作", "专题活动", "活动专用", "临时活动", "临时账号", "一次性")

# 第四条: platforms the office starts its approved list with.
INITIAL_PLATFORMS = (
    "微信公众号", "微信视频号", "新浪微博", "抖音", "快手", "今日头条",
    "哔哩哔哩", "小红书", "移动客户端", "小程序",
)

# 第五条: one account per platform per unit; accounts on other platforms whose names are at least
# this similar are listed as consolidation candidates.
ACCOUNTS_PER_PLATFORM_PER_UNIT = 1
CONSOLIDATION_NAME_SIMILARITY = 0.6

# 第十二条(一) applied to the platform's own sign-in, with 等保 2.0 expectations.
LOGIN_PASSWORD_MIN_LENGTH = 8
LOGIN_PASSWORD_MIN_CLASSES = 3          # of: digits, lower-case, upper-case, symbols
LOGIN_PASSWORD_MAX_AGE_DAYS = 90        # 原则上密码每3个月变更一次
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_MINUTES = 30
SESSION_IDLE_MINUTES = 30               # 不使用账号时须及时退出登录

# Import limits for the ledger (refuse clearly rather than stall).
LEDGER_IMPORT_MAX_BYTES = 5 * 1024 * 1024
LEDGER_IMPORT_MAX_ROWS = 5000

# 第九条/第十一条 screening: limits on untrusted files, so one attachment cannot stall a worker or a page.
SCREEN_MAX_FILE_BYTES = 50 * 1024 * 1024
SCREEN_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024   # all entries of a .docx/.xlsx together
SCREEN_MAX_ZIP_ENTRIES = 2000
SCREEN_MAX_COMPRESSION_RATIO = 200                   # an entry that inflates more than this is a bomb
SCREEN_SECONDS_PER_FILE = 30

# 第十一条(三) de-identification (去标识化): characters kept at the start and end of each kind of value.
MASK_KEEP = {
    "id_card": (6, 4),      # 320509********0213
    "mobile": (3, 4),       # 186****4567
    "bank_card": (6, 4),
    "name": (1, 0),         # 孙* (compound surnames keep both characters)
}
MASK_CHAR = "*"

# 第八条: the review chain — 初审 (信息员), 复审 (科室负责人), 签发 (签发人); 终审 (主要负责人) for major information.
REVIEW_STAGES = ("first", "second", "sign")
MAJOR_REVIEW_STAGES = ("first", "second", "sign", "final")
# 第六条: superiors' important items are reprinted within 24 hours.
REPRINT_HOURS = 24
# 第六条: the unit's 信息员 and 科室负责人 are reminded of a reprint once it is due within this many hours
# (and again once it is overdue), so the 24 hours are not missed for want of notice.
DIRECTIVE_REMIND_HOURS = 6

# 第六条: every account is updated at least weekly. An account's update state is derived from its last post:
# ok → due (the weekly update falls due within UPDATE_DUE_SOON_DAYS) → overdue (more than UPDATE_WEEKLY_DAYS)
# → veto (UPDATE_VETO_DAYS or more: the national indicator's single veto, 单项否决) → dormant
# (UPDATE_DORMANT_DAYS or more: a consolidation candidate under 第五条).
UPDATE_WEEKLY_DAYS = 7
UPDATE_DUE_SOON_DAYS = 2
UPDATE_VETO_DAYS = 14
UPDATE_DORMANT_DAYS = 90

# 第十三条: problems found are fixed within 1–5 working days, the deadline chosen by severity.
RECTIFY_WORKDAYS = {
    "severe": 1,    # 严重：涉密、违法有害信息、严重表述错误
    "major": 3,     # 较重：泄露个人信息、长期不更新
    "general": 5,   # 一般：其他问题
}
RECTIFY_SEVERITY_LABELS = {"severe": "严重", "major": "较重", "general": "一般"}

# 第十二条(一): account passwords — at least two of digits, letters and symbols, a minimum length,
# changed in principle every 3 months; a new password may not repeat the account's last few.
CREDENTIAL_MIN_LENGTH = 8
CREDENTIAL_MIN_CLASSES = 2              # of: digits, letters, symbols
CREDENTIAL_MAX_AGE_DAYS = 90            # 原则上每3个月变更一次
CREDENTIAL_DUE_SOON_DAYS = 14
CREDENTIAL_HISTORY = 5

# Issue 5 — patrols, inspections and rectification (govmedia.inspections).
# 第九条/第十三条: the rectification severity of a blocking patrol finding, by screening category; any other
# category is PATROL_DEFAULT_SEVERITY. 涉密、敏感 → 严重 (1 working day); 隐私、表述错误 → 较重 (3).
PATROL_SEVERITY = {"secrecy": "severe", "sensitive": "severe", "privacy": "major", "expression": "major"}
PATROL_DEFAULT_SEVERITY = "general"
# 第七条 (网友诉求是否及时回应) and the national indicator on interaction: a message or comment still unanswered
# this many working days after it arrived fails the inspection's 互动回应 item.
INTERACTION_REPLY_WORKDAYS = 5
# A rectification item is "due soon" (home page, daily reminder) when its deadline is within this many days.
RECTIFY_DUE_SOON_DAYS = 1

# --- monitoring (issue 5): bounds on imports and fetching; not from the regulation, they keep one file or one
# slow platform from stalling a worker or a page.
POST_IMPORT_MAX_BYTES = 10 * 1024 * 1024      # an .xlsx/.csv of posts or interactions
POST_IMPORT_MAX_ROWS = 5000
FEED_TIMEOUT_SECONDS = 10                     # each HTTP request to a feed or platform API
FEED_MAX_BYTES = 5 * 1024 * 1024              # each response body
FEED_MAX_PAGES = 10                           # pages of a platform's list read in one fetch
FEED_FETCH_SECONDS = 60                       # one source's whole fetch, all pages together

# --- security (issue 6): account custody and staff changes (govmedia.security).
# 第十二条(一): after a staff change the password is changed, platform permissions and devices are taken back, and
# a new custodian named "及时" — working days from the departure, per handover task.
HANDOVER_WORKDAYS = {
    "change_password": 1,   # 修改密码
    "revoke_access": 1,     # 收回平台权限
    "recover_devices": 3,   # 收回登录设备
    "new_custodian": 3,     # 指定新保管人
}
CREDENTIAL_MAX_LENGTH = 128             # not from the regulation: bounds what one form or request may hash

# 第二条: outsourcing (服务外包). A vendor's contract and its confidentiality and security agreement are flagged
# when they end within VENDOR_EXPIRY_ALERT_DAYS; the office is reminded on each of VENDOR_EXPIRY_REMIND_DAYS
# (days left, 0 = the last day). Contract and agreement files are limited in size.
VENDOR_EXPIRY_ALERT_DAYS = 30
VENDOR_EXPIRY_REMIND_DAYS = (30, 14, 7, 3, 1, 0)
VENDOR_FILE_MAX_BYTES = 10 * 1024 * 1024

# 第十二条(三): public reports of counterfeit accounts. Reports per client address per hour (the next one is
# refused), how long the page's arithmetic question stays answerable, the screenshot's size limit, and how many
# of the registry's closest genuine accounts the office sees beside a case.
COUNTERFEIT_REPORTS_PER_HOUR = 5
COUNTERFEIT_CHALLENGE_MINUTES = 30
COUNTERFEIT_SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024
COUNTERFEIT_SIMILAR_SHOWN = 3

# --- platform sign-in (issue 6; govmedia.web): 等保 2.0 level 3 for the platform's own accounts.
# Roles whose holders sign in with a second factor (a TOTP code from an authenticator app) after the password:
# 签发人, 主要负责人 and the administrators (局办公室管理员, 系统管理员, 安全管理员).
SECOND_FACTOR_ROLES = ("signer", "director", "office", "sysadmin", "secadmin")
SECOND_FACTOR_STEP_MINUTES = 5          # between the password and the code; after that the password is asked again
# 三权分立: system, security and audit administration are held by three different people.
SEPARATED_ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")

# --- incidents (issue 6; govmedia.incidents). 第十条: each unit keeps an emergency plan (应急预案) and drills it;
# a unit whose last drill is older than this many months (or that has none) is flagged.
EMERGENCY_DRILL_MONTHS = 12
EMERGENCY_PLAN_MAX_BYTES = 20 * 1024 * 1024   # an emergency plan's document
