"""Words of the web pages in Chinese (default) and English: ``t(key, lang)``."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

#: Consent text shown beside the checkbox and stored with each lead (PIPL arts. 13, 14, 17).
CONSENT = {
    "zh": (
        "我同意{org}收集并保存我在本表单中填写的姓名、公司、电话、电子邮箱、留言和估算结果，"
        "仅用于联系我并为我准备光伏与储能方案；信息保存在{org}的服务器上，最长保存24个月，"
        "不会提供给第三方。我可以随时要求查阅或删除这些信息（《个人信息保护法》）。"
    ),
    "en": (
        "I agree that {org} collects and keeps the name, company, phone, e-mail, message and "
        "estimate I enter in this form, only to contact me and prepare a PV and storage "
        "proposal; they are kept on {org}'s server for at most 24 months and not given to third "
        "parties. I can ask at any time to see or delete them (Personal Information Protection "
        "Law of the PRC)."
    ),
}

_WORDS: dict[str, tuple[str, str]] = {
    "switch_lang": ("English", "中文"),
    "hero_title": (
        "迈向2030碳达峰、2060碳中和",
        "On the road to the 2030 carbon peak and 2060 neutrality",
    ),
    "hero_text": (
        "屋顶光伏加储能，是工厂和园区降低电费与碳排放最快的一步。填写几项信息，立即得到估算。",
        "Rooftop PV with storage is the quickest step a factory or park can take to cut its "
        "power bill and emissions. Fill in a few fields for an instant estimate.",
    ),
    "estimate_title": ("即时估算", "Instant estimate"),
    "estimate_button": ("立即估算", "Estimate now"),
    "talk_expert": ("联系我们的专家", "Talk to our expert"),
    "leave_message": ("留言", "Leave a message"),
    "name": ("姓名", "Name"),
    "company": ("公司", "Company"),
    "phone": ("电话", "Phone"),
    "email": ("电子邮箱", "E-mail"),
    "message": ("留言内容", "Message"),
    "send": ("提交", "Send"),
    "thanks": ("谢谢！我们的专家会尽快与您联系。", "Thank you! Our expert will contact you soon."),
    "pv_kwp": ("建议光伏容量", "Suggested PV size"),
    "annual_yield": ("年发电量", "Annual yield"),
    "first_year_saving": ("首年节省电费", "First-year saving"),
    "payback": ("静态回收期", "Simple payback"),
    "co2_avoided": ("年减排二氧化碳", "CO2 avoided per year"),
    "peak_effect": ("对碳达峰的影响", "Effect on your peak year"),
    "peak_effect_text": (
        "用电碳排放减少 {cut}%，相当于按每年2%的增长抵消约 {years} 年的排放增长。",
        "Electricity emissions fall by {cut} %: at 2 %/yr growth that offsets about {years} "
        "years of emissions growth.",
    ),
    "years": ("年", "years"),
    "station": ("气象站", "Weather station"),
    "chart_title": ("每月光伏发电量与用电量", "Monthly PV yield and electricity use"),
    "pv": ("光伏", "PV"),
    "load": ("用电", "Use"),
    "estimate_note": (
        "估算基于典型气象年、省级分时电价和行业负荷曲线，仅计电量电费；专家方案会加入储能、需量电费和现金流。",
        "The estimate uses a typical weather year, the provincial time-of-use tariff and a "
        "building-type load shape, and counts the energy charge only; the expert's proposal "
        "adds storage, demand charges and cash flows.",
    ),
    "bill_note": (
        "年用电量 {kwh} kWh 由月电费按该电价的负荷加权平均电度电价 {price} 元/kWh 折算"
        "（未单独计需量电费）。",
        "Annual use {kwh} kWh from the bill at the tariff's load-weighted mean energy price "
        "{price} yuan/kWh (demand charges not separated).",
    ),
    "error": ("请检查输入", "Please check the input"),
    "files_heading": (
        "或上传电表数据、电费单、屋顶轮廓",
        "Or upload meter data, bills, a roof outline",
    ),
    "files_help": (
        "电表数据（一年的逐时或15分钟读数）或一年的电费单（CSV/xlsx）代替上面的用电量；屋顶轮廓"
        "（JSON 或 CSV 的 x,y 米坐标）代替屋顶面积。每个文件不超过 {mb} MB。",
        "A meter file (a year of hourly or 15-minute readings) or a year of bills (CSV/xlsx) "
        "replaces the electricity use above; a roof outline (JSON or CSV, x,y in metres) "
        "replaces the roof area. At most {mb} MB per file.",
    ),
    "request_too_large": (
        "提交内容过大（最多 {mb} MB），请上传更小的文件。",
        "The form is too large (at most {mb} MB); upload smaller files.",
    ),
    "fix_fields": ("请修正标出的字段。", "Please fix the fields marked below."),
    "default": ("默认", "default"),
    "step": ("步长", "step"),
    "meter_file": ("电表数据文件", "Meter file"),
    "bills_file": ("电费单文件", "Bills file"),
    "roof_file": ("屋顶轮廓文件", "Roof outline file"),
    "too_many": ("提交过于频繁，请稍后再试。", "Too many requests; please try again later."),
    "consent_required": ("请勾选同意条款。", "Please tick the consent box."),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "password": ("密码", "Password"),
    "login_failed": ("邮箱或密码错误。", "Wrong e-mail or password."),
    "locked": (
        "登录失败次数过多，账户已锁定15分钟。",
        "Too many failed logins: the account is locked for 15 minutes.",
    ),
    "leads": ("客户线索", "Leads"),
    "projects": ("项目", "Projects"),
    "outbox": ("发件箱", "Outbox"),
    "admin": ("管理", "Admin"),
    "status": ("状态", "Status"),
    "assigned": ("负责专家", "Assigned to"),
    "created": ("创建时间", "Created"),
    "search": ("搜索", "Search"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "All"),
    "save": ("保存", "Save"),
    "notes": ("备注", "Notes"),
    "add_note": ("添加备注", "Add note"),
    "history": ("历史记录", "History"),
    "new_project": ("由此线索创建项目", "Create a project from this lead"),
    "upload": ("上传", "Upload"),
    "uploads": ("文件", "Files"),
    "run_plan": ("运行完整方案", "Run the full plan"),
    "runs": ("运行记录", "Runs"),
    "compare": ("对比", "Compare"),
    "download": ("下载", "Download"),
    "report_pdf": ("方案报告 PDF", "Report PDF"),
    "yuan": ("元", "yuan"),
    "sum_pv": ("光伏", "PV"),
    "sum_battery": ("储能", "Battery"),
    "sum_capex": ("总投资", "Investment"),
    "sum_first_year": ("首年节省", "First-year saving"),
    "sum_payback": ("静态回收期 (年)：自投 / 贷款", "Payback [years]: self / loan"),
    "sum_irr": ("内部收益率", "IRR"),
    "sum_npv": ("净现值", "NPV"),
    "sum_emc": ("合同能源管理：业主首年收益", "EMC: host's year-1 gain"),
    "sum_co2": ("年减碳", "CO2 avoided per year"),
    "sum_peak": ("达峰年：现状 / 光伏储能 / 路线图", "Peak year: today / design / roadmap"),
    "sum_roof_load": ("屋面荷载校核", "Roof load check"),
    "sum_transformer": ("变压器校核", "Transformer check"),
    "check_pass": ("通过", "pass"),
    "check_fail": ("不通过", "fail"),
    "check_open": ("待确认", "to confirm"),
    "plan_fields": ("方案参数", "Plan fields"),
    "users": ("用户", "Users"),
    "api_keys": ("API 密钥", "API keys"),
    "person_data": ("个人信息查阅与删除", "Personal data: access and deletion"),
    "export": ("导出", "Export"),
    "delete": ("删除", "Delete"),
    "role": ("角色", "Role"),
    "create": ("创建", "Create"),
    "revoke": ("撤销", "Revoke"),
    "estimate": ("估算", "Estimate"),
    "unassigned": ("未分配", "Unassigned"),
    "status_new": ("新线索", "New"),
    "status_contacted": ("已联系", "Contacted"),
    "status_site_survey": ("现场勘察", "Site survey"),
    "status_proposal": ("方案阶段", "Proposal"),
    "status_won": ("成交", "Won"),
    "status_lost": ("流失", "Lost"),
    "job_queued": ("排队中", "Queued"),
    "job_running": ("运行中", "Running"),
    "job_succeeded": ("完成", "Succeeded"),
    "job_failed": ("失败", "Failed"),
    "job_timed_out": ("超时", "Timed out"),
    "job_infeasible": ("目标不可行", "Infeasible"),
}


def t(key: str, lang: str = "zh") -> str:
    """The word for ``key`` in ``lang`` (the key itself when unknown, so a gap shows)."""
    pair = _WORDS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def pick_lang(query: str | None, cookie: str | None) -> Lang:
    """Language of a request: ``?lang=`` first, then the cookie, then Chinese."""
    for value in (query, cookie):
        if value == "en":
            return "en"
        if value == "zh":
            return "zh"
    return "zh"
