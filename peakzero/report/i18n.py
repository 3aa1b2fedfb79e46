"""Report labels in Chinese and English, and number formatting.

Every word the report shows comes from :data:`LABELS` (one place for both languages, following
the project glossary: 碳达峰 carbon peak, 碳中和 carbon neutrality, 分时电价 TOU tariff,
峰/平/谷/尖峰 peak/flat/valley/critical peak, 合同能源管理 energy management contract (EMC),
自投 self-investment). Keys that are not known (a new bill component, a new measure) fall back
to a readable form of the key itself, so the report never fails on a label.

>>> label("npv_yuan", "en")
'Net present value (NPV)'
>>> label("period_valley", "zh")
'谷'
>>> label("some_new_measure", "en")
'Some new measure'
>>> fmt_number(1234567.4)
'1,234,567'
>>> fmt_number(0.8234, 3)
'0.823'
>>> fmt_percent(0.1234)
'12.3%'
>>> label("fuel:natural_gas", "zh")
'天然气'
>>> province_name("Jiangsu", "zh"), station_name("Shanghai", "zh")
('江苏', '上海')
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Literal

from peakzero.data import read_table

Lang = Literal["zh", "en"]

LANGS: tuple[Lang, ...] = ("zh", "en")

#: label key -> (Chinese, English)
LABELS: dict[str, tuple[str, str]] = {
    # --- report structure
    "report": ("双碳报告", "Dual-carbon report"),
    "generated": ("生成时间 (北京时间)", "Generated (China Standard Time)"),
    "version": ("peakzero 版本", "peakzero version"),
    "page": ("页", "Page"),
    "of": ("/", "of"),
    "sec_summary": ("摘要", "Summary"),
    "sec_site": ("场址与屋顶", "Site and roof"),
    "sec_pv": ("光伏发电", "PV generation"),
    "sec_dispatch": ("典型日运行与分时电价", "Typical-day dispatch and TOU tariff"),
    "sec_bill": ("电费", "Electricity bill"),
    "sec_finance": ("投资收益", "Investment returns"),
    "sec_emc": ("合同能源管理 (EMC)", "Energy management contract (EMC)"),
    "sec_inventory": ("碳排放清单", "Emissions inventory"),
    "sec_trajectory": (
        "排放轨迹: 碳达峰与碳中和",
        "Emissions trajectory: carbon peak and neutrality",
    ),
    "sec_pathway": ("减排路径", "Abatement pathway"),
    "sec_assumptions": ("假设与数据来源", "Assumptions and sources"),
    "sec_notes": ("模型说明", "Model notes"),
    "sec_self": ("自投", "Self-investment"),
    "business_model": ("商业模式", "Business model"),
    "not_reached": ("未实现", "not reached"),
    "no_irr": ("无", "n/a"),
    "none": ("—", "—"),
    # --- summary / design keys
    "pv_kwp": ("光伏装机容量", "PV capacity"),
    "battery_kw": ("储能功率", "Battery power"),
    "battery_kwh": ("储能容量", "Battery energy"),
    "battery": ("储能", "Battery"),
    "capex_yuan": ("总投资", "Investment"),
    "npv_yuan": ("净现值 (NPV)", "Net present value (NPV)"),
    "irr": ("内部收益率 (IRR)", "Internal rate of return (IRR)"),
    "payback_years": ("静态投资回收期", "Simple payback"),
    "discounted_payback_years": ("动态投资回收期", "Discounted payback"),
    "lcoe_yuan_per_kwh": ("平准化度电成本 (LCOE)", "Levelised cost of electricity (LCOE)"),
    "annual_bill_bau_yuan": ("年电费 (现状)", "Annual bill (today)"),
    "annual_bill_yuan": ("年电费 (方案后)", "Annual bill (with system)"),
    "annual_savings_yuan": ("年节省电费", "Annual savings"),
    "self_consumption_fraction": ("光伏自发自用比例", "PV self-consumption"),
    "co2_avoided_t_per_year": ("年减排量 (首年)", "CO2 avoided per year (year 1)"),
    "co2_avoided_t_lifetime": ("全生命周期减排量", "CO2 avoided over lifetime"),
    "peak_year": ("碳达峰年份", "Carbon peak year"),
    "neutral_year": ("碳中和年份", "Carbon neutrality year"),
    "before": ("方案前", "before"),
    "after": ("方案后", "after"),
    "target": ("目标", "target"),
    "status": ("求解状态", "Solver status"),
    "solve_seconds": ("求解时间", "Solve time"),
    "discount_fraction": ("业主分享的节省比例", "Host's share of the bill saving"),
    "years": ("合同期", "Contract term"),
    "host_savings_yuan_per_year": ("业主年节省", "Host savings per year"),
    "investor_npv_yuan": ("投资方净现值", "Investor NPV"),
    "investor_irr": ("投资方内部收益率", "Investor IRR"),
    "investor_payback_years": ("投资方回收期", "Investor payback"),
    # --- site / roof / pv
    "province": ("省份", "Province"),
    "station": ("气象站", "Weather station"),
    "distance_km": ("气象站距离", "Station distance"),
    "latitude_deg": ("纬度", "Latitude"),
    "longitude_deg": ("经度", "Longitude"),
    "modules": ("组件数量", "Modules"),
    "kwp": ("屋顶装机容量", "Roof capacity"),
    "row_pitch_m": ("排间距", "Row pitch"),
    "gcr": ("地面覆盖率 (GCR)", "Ground coverage ratio (GCR)"),
    "tilt_deg": ("倾角", "Tilt"),
    "azimuth_deg": ("方位角 (180 = 正南)", "Azimuth (180 = south)"),
    "area_m2": ("可用面积", "Usable area"),
    "annual_ac_kwh": ("年发电量", "Annual AC generation"),
    "specific_yield_kwh_per_kwp": ("等效利用小时数", "Specific yield"),
    "performance_ratio": ("系统效率 (PR)", "Performance ratio (PR)"),
    "fig_layout": ("屋顶组件排布", "Roof layout"),
    # --- inventory
    "inventory_year": ("核算年份", "Inventory year"),
    "total_t": ("排放总量", "Total emissions"),
    "scope1": ("范围一 (直接排放)", "Scope 1 (direct)"),
    "scope2_location": ("范围二 (基于位置)", "Scope 2 (location-based)"),
    "scope2_market": ("范围二 (基于市场)", "Scope 2 (market-based)"),
    "source_name": ("排放源", "Source"),
    "emissions_t": ("排放量", "Emissions"),
    # --- trajectory
    "baseline_gross_t": ("基准情景 (无方案)", "Baseline (no solution)"),
    "with_solution_gross_t": ("实施光储方案", "With PV + storage"),
    "pathway_gross_t": ("实施减排路线图 (总排放)", "With the roadmap (gross)"),
    "pathway_net_t": (
        "实施减排路线图 (扣除碳汇与抵消后的净排放)",
        "With the roadmap (net of sinks and offsets)",
    ),
    "with_design": ("光储方案", "with the design"),
    "with_roadmap": ("路线图", "with the roadmap"),
    "peak_target": ("碳达峰目标", "Carbon peak target"),
    "neutral_target": ("碳中和目标", "Neutrality target"),
    # --- pathway
    "total_cost_yuan": (
        "路径总成本 (现值, 已扣残值)",
        "Pathway total cost (present value, net of salvage)",
    ),
    "discounted_spend_yuan": ("投资与运维支出 (现值)", "Capex and opex (present value)"),
    "salvage_credit_pv_yuan": (
        "期末残值抵扣 (现值)",
        "Salvage credit after the horizon (present value)",
    ),
    "measure": ("措施", "Measure"),
    "cost_yuan_per_t": ("减排成本", "Abatement cost"),
    "abatement_t": ("减排量", "Abatement"),
    "units": ("数量", "Units"),
    "cost_yuan": ("支出 (投资+运维)", "Spend (capex + opex)"),
    "year": ("年份", "Year"),
    "dual_yuan_per_t": ("目标影子价格", "Shadow price of target"),
    "note": ("说明", "Note"),
    "target_costs": ("目标的边际成本", "Marginal cost of the targets"),
    "roadmap_table": ("路线图 (新增措施)", "Roadmap (new measures)"),
    "amounts_yuan": ("金额单位: 元", "Amounts in yuan"),
    "colon": ("：", ": "),  # punctuation in the report's language
    "sentence_end": ("。", "."),
    # --- assumptions
    "group": ("类别", "Group"),
    "name": ("参数", "Parameter"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "source": ("来源", "Source"),
    # --- units
    "u_yuan": ("元", "yuan"),
    "u_yuan_per_kwh": ("元/kWh", "yuan/kWh"),
    "u_yuan_per_t": ("元/吨CO2", "yuan/tCO2"),
    "u_t": ("吨CO2", "tCO2"),
    "u_t_per_year": ("吨CO2/年", "tCO2/yr"),
    "u_years": ("年", "years"),
    "u_kwh": ("kWh", "kWh"),
    "u_mwh": ("MWh", "MWh"),
    "u_kwh_per_kwp": ("kWh/kWp", "kWh/kWp"),
    "u_km": ("km", "km"),
    "u_s": ("秒", "s"),
    "u_deg": ("°", "°"),
    "u_m": ("m", "m"),
    "u_m2": ("m²", "m²"),
    "u_yuan_per_year": ("元/年", "yuan/yr"),
    "u_pieces": ("块", "modules"),
    # --- charts
    "fig_monthly": ("月发电量", "Monthly PV generation"),
    "month": ("月份", "Month"),
    "ax_energy_mwh": ("发电量 [MWh]", "Generation [MWh]"),
    "fig_day_summer": ("夏季典型日运行", "Typical summer day dispatch"),
    "fig_day_winter": ("冬季典型日运行", "Typical winter day dispatch"),
    "hour": ("时刻 [h]", "Hour of day [h]"),
    "ax_power_kw": ("功率 [kW]", "Power [kW]"),
    "ax_soc_kwh": ("储能电量 [kWh]", "Battery state of charge [kWh]"),
    "ax_soc_kwh_short": ("储能电量\n[kWh]", "SOC\n[kWh]"),
    "load_kw": ("负荷", "Load"),
    "pv_kw": ("光伏出力", "PV output"),
    "battery_charge_kw": ("储能充电", "Battery charge"),
    "battery_discharge_kw": ("储能放电", "Battery discharge"),
    "grid_import_kw": ("电网购电", "Grid import"),
    "grid_export_kw": ("上网电量", "Grid export"),
    "soc_kwh": ("储能电量", "State of charge"),
    "period_critical_peak": ("尖峰", "critical peak"),
    "period_peak": ("峰", "peak"),
    "period_flat": ("平", "flat"),
    "period_valley": ("谷", "valley"),
    "tou_periods": ("分时电价时段", "TOU tariff periods"),
    "fig_bill": ("年电费构成: 方案前后对比", "Annual bill by component: before and after"),
    "ax_bill_yuan": ("年电费 [万元]", "Annual bill [10k yuan]"),
    "bill_bau": ("现状", "Today"),
    "bill_after": ("方案后", "With system"),
    "energy_critical_peak_yuan": ("尖峰电量电费", "Energy, critical peak"),
    "energy_peak_yuan": ("峰时电量电费", "Energy, peak"),
    "energy_flat_yuan": ("平时电量电费", "Energy, flat"),
    "energy_valley_yuan": ("谷时电量电费", "Energy, valley"),
    "demand_yuan": ("需量/容量电费", "Demand / capacity charge"),
    "export_credit_yuan": ("上网收入", "Export credit"),
    "fixed_yuan": ("基本费用", "Fixed charges"),
    "total": ("合计", "Total"),
    "fig_cash": ("现金流 (自投)", "Cash flows (self-investment)"),
    "ax_cash_yuan": ("现金流 [万元]", "Cash flow [10k yuan]"),
    "net_yuan": ("年净现金流", "Net cash flow"),
    "cumulative_yuan": ("累计现金流", "Cumulative cash flow"),
    "om_yuan": ("运维", "O&M"),
    "replacement_yuan": ("更换", "Replacement"),
    "savings_yuan": ("电费节省", "Bill savings"),
    "export_revenue_yuan": ("上网收入", "Export revenue"),
    "fig_trajectory": ("排放轨迹", "Emissions trajectory"),
    "ax_emissions_t": ("年排放 [吨CO2]", "Annual emissions [tCO2]"),
    "fig_macc": ("边际减排成本曲线", "Marginal abatement cost curve"),
    "ax_abatement_t": ("年减排量 [吨CO2/年]", "Abatement [tCO2/yr]"),
    "ax_cost_yuan_per_t": ("减排成本 [元/吨CO2]", "Abatement cost [yuan/tCO2]"),
    "fig_roadmap": ("减排路线图 (按措施)", "Abatement roadmap by measure"),
    # --- proposal (issue 12)
    "generated_utc": ("生成时间 (协调世界时)", "Generated (UTC)"),
    "recommend_1": ("建议在厂房屋顶建设", "We recommend"),
    "recommend_pv": ("光伏", "of rooftop PV"),
    "recommend_and": ("，配置", " with"),
    "recommend_battery": ("储能", "of battery storage"),
    "recommend_2": ("，总投资", ", an investment of"),
    "recommend_3": ("；首年节省电费", "; it saves"),
    "recommend_4": ("，静态回收期", " in its first year and pays back in"),
    "recommend_5": ("。", "."),
    "first_year_savings_yuan": ("首年节省电费", "First-year saving"),
    "levelised_savings_yuan": ("全寿命平均年节省 (平准化)", "Levelised annual saving"),
    "lifetime_savings_yuan": ("累计节省", "Cumulative saving"),
    "def_savings": (
        "首年节省：第 1 年的电费节省 (含碳收益)，按第 1 年光伏发电量计；平准化年节省：优化所用代表年的电费节省，光伏发电量取全寿命衰减后的平均值，故低于首年；累计节省：分析期内电费节省、上网收入与碳收益之和，未扣投资与运维。",  # noqa: E501
        "First-year saving: the bill saving of year 1 (with carbon revenue), at year-1 PV output. Levelised annual saving: the saving of the representative year the design is optimised on, whose PV output is the average over the degrading life, hence lower than year 1. Cumulative saving: bill savings, export and carbon revenue over the analysis period, before investment and O&M.",  # noqa: E501
    ),
    "col_with_design": ("实施光储方案", "with the design"),
    "col_with_roadmap": ("实施减排路线图", "with the roadmap"),
    "def_peak": (
        "各达峰年份均为排放轨迹图中对应曲线 (总排放) 的最大值所在年份；碳中和年份为净排放 (扣除碳汇与抵消) 首次降至零并保持的年份。",  # noqa: E501
        "Each peak year is the year of the largest value of the matching line (gross emissions) in the trajectory chart; a neutrality year is the first year from which net emissions (after sinks and offsets) stay at or below zero.",  # noqa: E501
    ),
    "next_steps": ("下一步", "Next steps"),
    "step_1": (
        "现场踏勘：屋顶结构与荷载复核、配电室与变压器容量确认。",
        "Site survey: roof structure and load, switchroom and transformer capacity.",
    ),
    "step_2": (
        "取得近 12 个月电费单与 15 分钟负荷数据，复核方案规模与收益。",
        "Twelve months of bills and 15-minute load data to confirm sizes and savings.",
    ),
    "step_3": (
        "确定投资模式 (自投、合同能源管理或贷款)，启动电网接入申请与备案。",
        "Choose the business model (self-investment, EMC or loan) and start the grid-connection application and project filing.",  # noqa: E501
    ),
    "contact": ("联系人：您的方案工程师", "Contact: your sales engineer"),
    "sec_business": ("投资模式对比", "Business models side by side"),
    "emc_terms": (
        "合同能源管理（节能效益分享型），按模型条款：投资方出资建设、拥有并运维系统，承担运维与更换费用；合同期内系统带来的电费节省（方案前后电费之差，不含上网收入，上网收入归投资方）中，业主保留上表所列比例，其余付给投资方；合同期满系统移交业主，此后业主享有全部节省并承担运维。",
        "EMC (shared savings) as modelled: the investor builds, owns and operates the system and pays its O&M and replacements; during the contract the host keeps the share in the table of the system's bill saving (bill before minus bill after, export revenue excluded, which the investor keeps) and pays the rest to the investor; then the system passes to the host, who keeps the whole saving and pays the O&M.",  # noqa: E501
    ),
    "sec_equipment": (
        "可采购的设备清单 (按标准产品取整)",
        "Equipment list (rounded to standard products)",
    ),
    "item": ("设备", "Item"),
    "product": ("型号", "Product"),
    "rating": ("规格", "Rating"),
    "quantity": ("数量", "Quantity"),
    "rounded_pv_kwp": ("取整后光伏容量", "PV capacity as built"),
    "inverter_ac_kw": ("逆变器交流容量", "Inverter AC capacity"),
    "dc_ac_ratio": ("容配比", "DC/AC ratio"),
    "rounded_battery_kw": ("取整后储能功率", "Battery power as built"),
    "rounded_battery_kwh": ("取整后储能容量", "Battery energy as built"),
    "dead_load_kg_per_m2": ("光伏系统屋面恒载", "PV dead load on the roof"),
    "equipment_note": (
        "设备清单由优化容量按整串组件、标准逆变器额定功率与标准储能柜/集装箱取整得到；本报告的全部财务与减排数字均为取整后容量的数字 (按取整容量重新优化全年运行)，与连续最优解的差异见附录。",  # noqa: E501
        "The list rounds the optimised sizes to whole strings, standard inverter ratings and standard battery cabinets or containers; every financial and carbon figure in this report is that of the rounded sizes (the full year re-optimised at them); the appendix compares them with the continuous optimum.",  # noqa: E501
    ),
    "sec_losses": ("发电量损失分解 (从辐照到交流)", "Loss breakdown from irradiation to AC"),
    "loss_step": ("环节", "Step"),
    "change": ("变化", "Change"),
    "sec_monthly_energy": ("逐月电量平衡", "Monthly energy balance"),
    "sec_monthly_bill": ("逐月电费对比", "Monthly bill before and after"),
    "total_before_yuan": ("现状电费", "Bill today"),
    "total_after_yuan": ("方案后电费", "Bill with system"),
    "energy_saving_yuan": ("电量电费节省", "Energy charge saving"),
    "demand_saving_yuan": ("需量电费节省", "Demand charge saving"),
    "export_credit_saving_yuan": ("上网收入增加", "Export credit gained"),
    "total_saving_yuan": ("合计节省", "Total saving"),
    "sec_demand": ("需量电费为何变化", "Why the demand charge changes"),
    "demand_intro": (
        "需量电费按每月最大购电功率计收。储能在谷时从电网充电时，充电功率叠加在负荷上，可能形成新的月最大需量；下表列出每月方案前后的最大需量、新最大需量出现的时刻、此时的负荷与储能充电功率，以及需量电费的变化 (正值为增加)。",  # noqa: E501
        "The demand charge is billed on each month's largest grid import. When the battery charges from the grid in valley hours its charging adds to the load and can set a new monthly maximum; the table gives each month's maximum before and after, when the new one occurs, the load and the battery's grid charging at that time, and the change in the demand charge (positive = higher).",  # noqa: E501
    ),
    "peak_after_time": ("新最大需量时刻", "Time of the new maximum"),
    "load_at_peak_kw": ("此时负荷", "Load then"),
    "src_plan_file": ("方案文件", "plan file"),
    "src_roof": ("屋顶排布计算", "roof layout"),
    "src_default": ("peakzero 默认值", "peakzero default"),
    "src_site_optimiser": ("本方案的站点优化结果", "site optimiser, this plan"),
    "src_see_csv": ("文献见 CSV", "see assumptions.csv"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "grp_weather": ("气象", "Weather"),
    "grp_tariff": ("电价", "Tariff"),
    "grp_pv": ("光伏", "PV"),
    "grp_battery": ("储能", "Battery"),
    "grp_economics": ("经济参数", "Economics"),
    "grp_emc": ("合同能源管理", "EMC"),
    "grp_carbon": ("碳排放", "Carbon"),
    "grp_baseline": ("基准情景", "Baseline"),
    "grp_pathway": ("减排路径", "Pathway"),
    "target_peak": ("碳达峰目标", "Carbon peak target"),
    "target_neutral": ("碳中和目标", "Neutrality target"),
    "assumptions_note": (
        "全文见 assumptions.csv；† 未经核实",
        "full text in assumptions.csv; † unverified",
    ),
    "period_deep_valley": ("深谷", "deep valley"),
    "sec_risk": ("风险与不确定性", "Risk and uncertainty"),
    "risk_intro": (
        "年发电量按水平面年辐照量的年际波动计算：P50 为中位年，P90 为 90% 的年份可达到的发电量；波动标准差",  # noqa: E501
        "Annual yield from the year-to-year variability of annual irradiation: P50 is the median year, P90 the yield exceeded in 90 % of years; standard deviation",  # noqa: E501
    ),
    "yield_factor": ("发电量系数", "Yield factor"),
    "driver": ("因素", "Driver"),
    "low_setting": ("低值", "Low setting"),
    "high_setting": ("高值", "High setting"),
    "payback_low_years": ("回收期 (低)", "Payback, low [years]"),
    "payback_high_years": ("回收期 (高)", "Payback, high [years]"),
    "npv_low_yuan": ("净现值 (低) [元]", "NPV, low [yuan]"),
    "npv_high_yuan": ("净现值 (高) [元]", "NPV, high [yuan]"),
    "risk_settings": (
        "低值/高值为相对当前的系数 (电价水平、峰谷价差、投资、发电量) 或上网电价 [元/kWh]；防逆流场址上网电价不影响收益。",  # noqa: E501
        "Settings are factors on today's value (price level, peak-valley spread, investment, yield) or the export price [yuan/kWh]; on a zero-export site the export price has no effect.",  # noqa: E501
    ),
    "risk_sources": ("来源", "Sources"),
    "case_low": ("低值情景", "Low case"),
    "case_high": ("高值情景", "High case"),
    "ax_npv_wan": ("净现值 [万元]", "NPV [10k yuan]"),
    "fig_tornado": ("敏感性分析 (龙卷风图)", "Sensitivity of NPV (tornado)"),
    "roadmap_by_period": ("路线图 (按措施与五年期汇总)", "Roadmap by measure and five-year period"),
    "period": ("时期", "Period"),
    "abatement_end_t": ("期末年减排量", "Abatement in the period's last year"),
    "roadmap_note": (
        "数量与投资为该时期内新增之和；投资含运维，负值为节省的运行费用大于投资；逐年明细见附录。",
        "Units and cost are the period's sums of new additions; cost includes operation, negative where running savings exceed spending; the yearly detail is in the appendix.",  # noqa: E501
    ),
    # --- measures (pathway); unknown names fall back to the name itself
    "rooftop_pv": ("屋顶光伏", "Rooftop PV"),
    "pv": ("屋顶光伏", "Rooftop PV"),
    "pv_storage": ("光伏+储能", "PV + storage"),
    "storage": ("储能", "Battery storage"),
    "led_lighting": ("LED 照明改造", "LED lighting"),
    "efficient_motors": ("高效电机", "Efficient motors"),
    "vfd": ("变频改造", "Variable-speed drives"),
    "heat_pump": ("热泵替代锅炉", "Heat pumps"),
    "compressed_air": ("空压系统优化", "Compressed-air upgrade"),
    "waste_heat_recovery": ("余热回收", "Waste-heat recovery"),
    "electric_boiler": ("电锅炉", "Electric boiler"),
    "ev_fleet": ("电动车队", "Electric fleet"),
    "electric_forklifts": ("电动叉车", "Electric forklifts"),
    "green_power": ("绿电交易", "Green power purchase"),
    "green_certificates": ("绿证", "Green certificates"),
    "offsets": ("碳抵消 (CCER)", "Offsets (CCER)"),
    "ccer": ("碳抵消 (CCER)", "Offsets (CCER)"),
}


def label(key: str, lang: Lang) -> str:
    """Return the label for ``key`` in ``lang``; unknown keys become readable text.

    Parameters
    ----------
    key
        A key of :data:`LABELS`, or any identifier such as a new bill component.
    lang
        ``"zh"`` or ``"en"``.
    """
    pair = LABELS.get(key) or data_labels().get(key)
    if pair is not None:
        return pair[0] if lang == "zh" else pair[1]
    text = key.split(":", 1)[-1].removesuffix("_yuan").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else key


@lru_cache(maxsize=1)
def data_labels() -> dict[str, tuple[str, str]]:
    """Labels kept as data (``peakzero/data/report/labels.csv``): key -> (Chinese, English).

    Inventory source keys (``fuel:natural_gas``), measure names and kinds, equipment items, loss
    steps, risk drivers and table columns; :data:`LABELS` takes precedence for keys in both.
    """
    frame = read_table("report/labels.csv")
    return {
        str(k): (str(zh), str(en))
        for k, zh, en in zip(frame["key"], frame["zh"], frame["en"], strict=True)
    }


@lru_cache(maxsize=1)
def _places() -> dict[tuple[str, str], tuple[str, str]]:
    frame = read_table("report/places.csv")
    return {
        (str(kind), str(key).casefold()): (str(zh), str(en))
        for kind, key, zh, en in zip(
            frame["kind"], frame["key"], frame["zh"], frame["en"], strict=True
        )
    }


@lru_cache(maxsize=1)
def _station_keys() -> dict[str, list[tuple[str, str]]]:
    """English station name (case-folded) -> [(WMO id, province)], from the station list."""
    frame = read_table("weather/stations.csv")
    out: dict[str, list[tuple[str, str]]] = {}
    for n, w, p in zip(frame["name"], frame["wmo_id"], frame["province"], strict=True):
        out.setdefault(str(n).casefold(), []).append((str(w), str(p).casefold()))
    return out


def province_name(name: str, lang: Lang) -> str:
    """A province as the report shows it (``"Jiangsu"`` -> ``"江苏"``); unknown names unchanged.

    Accepts the spellings of the station list (``"Nei Mongol"``) and common ones (``"Inner
    Mongolia"``), in any case.
    """
    pair = _places().get(("province", name.strip().casefold()))
    if pair is None:
        return name
    return pair[0] if lang == "zh" else pair[1]


def station_name(name_or_wmo_id: str | int, lang: Lang, *, province: str | None = None) -> str:
    """A CSWD weather station by English name or WMO id (``"Shanghai"`` -> ``"上海"``).

    Two stations share an English name (Chaoyang in Liaoning and in Shandong): give their
    ``province`` (as in the station list) or the WMO id. Unknown or ambiguous names come back
    unchanged (a user's weather file keeps its own name).
    """
    key = str(name_or_wmo_id).strip()
    wmo: str | None = key
    if not key.isdigit():
        matches = _station_keys().get(key.casefold(), [])
        if province is not None:
            matches = [m for m in matches if m[1] == province.strip().casefold()]
        wmo = matches[0][0] if len(matches) == 1 else None
    pair = _places().get(("station", wmo)) if wmo is not None else None
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


#: Unit words as the report shows them in Chinese (units that are symbols stay as they are).
_UNITS_ZH: dict[str, str] = {
    "yuan": "元",
    "pcs": "个",
    "strings": "串",
    "x flat": "倍平段电价",
    "cycles/day": "次/日",
    "yuan/vehicle": "元/辆",
    "yuan/kW heat": "元/kW (热)",
    "1/year": "/年",
    "years": "年",
    "year": "年",
    "deg C": "°C",
    "deg": "°",
    "-": "",
}


def unit_text(text: str, lang: Lang) -> str:
    """A unit or rating as the report shows it: ``"yuan/kWh"`` -> ``"元/kWh"`` in Chinese.

    >>> unit_text("yuan/kW-month", "zh"), unit_text("590 W", "zh"), unit_text("deg C", "en")
    ('元/kW·月', '590 W', '°C')
    """
    text = str(text)
    if lang == "en":
        return text.replace("deg C", "°C")
    if text in _UNITS_ZH:
        return _UNITS_ZH[text]
    out = text.replace("-month", "·月").replace("deg C", "°C").replace(" at ", " @ ")
    for word, zh in (("yuan", "元"), ("month", "月"), ("year", "年"), ("/yr", "/年")):
        out = out.replace(word, zh)
    return out


#: Regional power grids of the MEE grid factors (peakzero/data/carbon/grid_factors.csv).
_GRID_REGIONS_ZH = {
    "national": "全国",
    "north": "华北",
    "northeast": "东北",
    "east": "华东",
    "central": "华中",
    "northwest": "西北",
    "south": "南方",
    "southwest": "西南",
}


def grid_region_name(region: str, lang: Lang) -> str:
    """A grid region or province of the grid factors as the report shows it.

    >>> grid_region_name("east", "zh"), grid_region_name("Jiangsu", "zh")
    ('华东', '江苏')
    >>> grid_region_name("east", "en")
    'east'
    """
    if lang == "en":
        return region
    return _GRID_REGIONS_ZH.get(region.strip().casefold()) or province_name(region, lang)


#: Tariff kinds in tariff ids (``jiangsu_2025_two_part``).
_TARIFF_KINDS = {"two_part": ("两部制", "two-part"), "single_part": ("单一制", "single-part")}


def tariff_name(tariff_id: str, lang: Lang) -> str:
    """A bundled tariff id as words: ``"jiangsu_2025_two_part"`` -> ``"江苏 2025 两部制"``.

    >>> tariff_name("jiangsu_2025_two_part", "en"), tariff_name("my tariff", "zh")
    ('Jiangsu 2025 two-part', 'my tariff')
    """
    m = re.fullmatch(r"([a-z_]+?)_(\d{4})_([a-z_]+)", tariff_id)
    if m is None or m.group(3) not in _TARIFF_KINDS:
        return tariff_id
    province = province_name(m.group(1).replace("_", " "), lang)
    if province == m.group(1).replace("_", " "):
        return tariff_id
    kind = _TARIFF_KINDS[m.group(3)]
    return f"{province} {m.group(2)} {kind[0] if lang == 'zh' else kind[1]}"


def fmt_number(value: float, decimals: int = 0) -> str:
    """Format with thousands separators and a fixed number of decimals.

    ``-0`` is shown as ``0``; NaN and infinities as an em dash.
    """
    if not math.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and text.strip("-0.,") == "":
        text = text[1:]
    return text


def fmt_percent(fraction: float, decimals: int = 1) -> str:
    """Format a fraction [-] as a percentage, ``0.1234 -> '12.3%'``."""
    return f"{fmt_number(fraction * 100.0, decimals)}%"


def count_unit_label(unit: str, count: object, lang: Lang) -> str:
    """The label of a measure's ``unit`` after a count: the singular (``unit:X:one``) where the
    count is 1 and a singular is given.

    >>> count_unit_label("vehicle", 1, "en"), count_unit_label("vehicle", 5, "en")
    ('vehicle', 'vehicles')
    """
    one = f"unit:{unit}:one"
    if count == 1 and (one in LABELS or one in data_labels()):
        return label(one, lang)
    return label(f"unit:{unit}", lang)
