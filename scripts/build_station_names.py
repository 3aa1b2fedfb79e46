"""Write ``peakzero/data/weather/station_names_zh.csv``: the Chinese name of every CSWD station.

The names were transcribed by the peakzero developers from each station's CSWD pinyin name, its
WMO index and its coordinates (the CSWD spells a few names oddly: ``Dongcheng`` at 31.07 N
116.95 E is WMO 58319 Tongcheng 桐城, ``Chaoyang, Shandong`` is 54808 Chaocheng 朝城, ``Exi`` is
57447 Enshi 恩施, ``Zhengcheng`` is 59294 Zengcheng 增城). Each name is checked here against
the pinyin with ``pypinyin`` when it is installed; the differences that remain are listed in
:data:`KNOWN_SPELLINGS`. Run: ``python scripts/build_station_names.py``.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIONS = ROOT / "peakzero" / "data" / "weather" / "stations.csv"
OUT = ROOT / "peakzero" / "data" / "weather" / "station_names_zh.csv"
SOURCE = (
    "Chinese name of CMA station {wmo} transcribed from the CSWD pinyin name, WMO index and "
    "coordinates (scripts/build_station_names.py) [unverified against the CMA station catalogue]"
)

NAMES_ZH = {
    "Anqing": "安庆", "Bengbu": "蚌埠", "Boxian": "亳州", "Dongcheng": "桐城", "Hefei": "合肥",
    "Huoshan": "霍山", "Shouxian": "寿县", "Tunxi": "屯溪", "Beijing": "北京", "Miyun": "密云",
    "Chongqing Shapingba": "重庆沙坪坝", "Youyang": "酉阳", "Congwu": "崇武", "Fuzhou": "福州",
    "Jianou": "建瓯", "Nanping": "南平", "Shanghang": "上杭", "Xiamen": "厦门", "Yongan": "永安",
    "Dunhuang": "敦煌", "Hezuo": "合作", "Jiuquan": "酒泉", "Lanzhou": "兰州", "Minqin": "民勤",
    "Minxian": "岷县", "Pingliang": "平凉", "Tianshui": "天水", "Wudu": "武都",
    "Wushaoling": "乌鞘岭", "Xifengzhen": "西峰镇", "Yumenzhen": "玉门镇", "Yuzhong": "榆中",
    "Dianbai": "电白", "Guangzhou": "广州", "Heyuan": "河源", "Nanxiong": "南雄",
    "Shantou": "汕头", "Shanwei": "汕尾", "Shaoguan": "韶关", "Yangjiang": "阳江",
    "Zhengcheng": "增城", "Baise": "百色", "Duan": "都安", "Guilin": "桂林", "Guiping": "桂平",
    "Hechi": "河池", "Lingshan": "灵山", "Longzhou": "龙州", "Nanning": "南宁", "Qinzhou": "钦州",
    "Wuzhou": "梧州", "Bijie": "毕节", "Guiyang": "贵阳", "Sansui": "三穗", "Tongzi": "桐梓",
    "Weining": "威宁", "Xingyi": "兴义", "Zunyi": "遵义", "Dongfang": "东方", "Haikou": "海口",
    "Qionghai": "琼海", "Chengde": "承德", "Fengning": "丰宁", "Huailai": "怀来",
    "Leting": "乐亭", "Raoyang": "饶阳", "Shijiazhuang": "石家庄", "Xingtai": "邢台",
    "Zhangbei": "张北", "Anda": "安达", "Fujin": "富锦", "Fuyu": "富裕", "Hailun": "海伦",
    "Harbin": "哈尔滨", "Huma": "呼玛", "Jiamusi": "佳木斯", "Jixi": "鸡西", "Keshan": "克山",
    "Mohe": "漠河", "Mudanjiang": "牡丹江", "Nenjiang": "嫩江", "Qiqihar": "齐齐哈尔",
    "Shangzhi": "尚志", "Suifenhe": "绥芬河", "Sunwu": "孙吴", "Tonghe": "通河",
    "Zhaozhou": "肇州", "Anyang": "安阳", "Lushi": "卢氏", "Nanyang": "南阳", "Shangqiu": "商丘",
    "Xinyang": "信阳", "Zhengzhou": "郑州", "Zhumadian": "驻马店", "Exi": "恩施",
    "Laohekou": "老河口", "Macheng": "麻城", "Wuhan": "武汉", "Yichang": "宜昌", "Yunxi": "郧西",
    "Zhongxiang": "钟祥", "Changde": "常德", "Changning": "常宁", "Changsha": "长沙",
    "Jishou": "吉首", "Lingling": "零陵", "Nanxian": "南县", "Shimen": "石门", "Wugang": "武冈",
    "Zhijiang": "芷江", "Zhuzhou": "株洲", "Dongtai": "东台", "Ganyu": "赣榆",
    "Huaiyang-Qingjiang": "淮阴", "Lusi": "吕泗", "Nanjing": "南京", "Xuzhou": "徐州",
    "Ganzhou": "赣州", "Jian": "吉安", "Jingdezhen": "景德镇", "Nanchang": "南昌",
    "Nancheng": "南城", "Suichuan": "遂川", "Yichun": "宜春", "Yushan": "玉山", "Baicheng": "白城",
    "Changchun": "长春", "Donggang": "东岗", "Dunhua": "敦化", "Linjiang": "临江",
    "Qian Gorlos": "前郭尔罗斯", "Siping": "四平", "Yanji": "延吉", "Benxi": "本溪",
    "Chaoyang": "朝阳", "Dalian": "大连", "Dandong": "丹东", "Jinzhou": "锦州", "Kuandian": "宽甸",
    "Shenyang": "沈阳", "Xingcheng": "兴城", "Xinmin": "新民", "Yingkou": "营口",
    "Zhangwu": "彰武", "Abag Qi Hot": "阿巴嘎旗", "Arxan": "阿尔山", "Bailingmiao": "百灵庙",
    "Bairin Zuo Qi": "巴林左旗", "Bayan Mod": "巴彦毛道", "Bugt": "博克图", "Chifeng": "赤峰",
    "Dong Ujimqin Qi": "东乌珠穆沁旗", "Dongsheng": "东胜", "Duolun": "多伦",
    "Ejin Qi": "额济纳旗", "Erenhot": "二连浩特", "Hailar": "海拉尔", "Hailisu": "海力素",
    "Haliut": "海流图", "Hohhot": "呼和浩特", "Huade": "化德", "Jartai": "吉兰太",
    "Jarud Qi": "扎鲁特旗", "Jurh": "朱日和", "Kailu": "开鲁", "Linxi": "林西",
    "Manzhouli": "满洲里", "Otog Qi": "鄂托克旗", "Solon": "索伦", "Tongliao": "通辽",
    "Tulihe": "图里河", "Xi Ujimqin Qi": "西乌珠穆沁旗", "Xilinhot": "锡林浩特", "Guyuan": "固原",
    "Yanchi": "盐池", "Yinchuan": "银川", "Daqaidam": "大柴旦", "Darlag": "达日",
    "Dulan Us": "都兰", "Gangca": "刚察", "Golmud": "格尔木", "Lenghu": "冷湖", "Madoi": "玛多",
    "Minhe": "民和", "Nangqen": "囊谦", "Qumarleb": "曲麻莱", "Tuotuohe": "沱沱河",
    "Xinghai": "兴海", "Xining": "西宁", "Yushu": "玉树", "Ankangan": "安康", "Dingbian": "定边",
    "Hanzhong": "汉中", "Luochuan": "洛川", "Suide": "绥德", "Xian": "西安", "Yanan": "延安",
    "Yulin": "榆林", "Chengshantou": "成山头", "Huimin Xian": "惠民县", "Jinan": "济南",
    "Juxian": "莒县", "Longkou": "龙口", "Weifang": "潍坊", "Yanzhou": "兖州", "Shanghai": "上海",
    "Datong": "大同", "Houma": "侯马", "Jiexiu": "介休", "Taiyuan": "太原", "Yuanping": "原平",
    "Yuncheng": "运城", "Yushe": "榆社", "Barkam": "马尔康", "Chengdu": "成都", "Garze": "甘孜",
    "Hongyuan": "红原", "Huili": "会理", "Jiulong": "九龙", "Leshan": "乐山", "Litang": "理塘",
    "Luzhou": "泸州", "Mianyang": "绵阳", "Nanchong": "南充", "Songpan": "松潘",
    "Wanyuan": "万源", "Xichang": "西昌", "Yibin": "宜宾", "Tianjin": "天津", "Lhasa": "拉萨",
    "Nyingchi": "林芝", "Qamdo": "昌都", "Aksu": "阿克苏", "Altay": "阿勒泰", "Bachu": "巴楚",
    "Fuyun": "富蕴", "Hami": "哈密", "Hoboksar": "和布克赛尔", "Hotan": "和田", "Jinghe": "精河",
    "Karamay": "克拉玛依", "Kashi": "喀什", "Kuqa": "库车", "Minfeng": "民丰", "Ruoqiang": "若羌",
    "Shache": "莎车", "Tacheng": "塔城", "Tikanlik": "铁干里克", "Turpan": "吐鲁番",
    "Urumqi": "乌鲁木齐", "Wusu": "乌苏", "Yanqi": "焉耆", "Yining": "伊宁", "Chuxiong": "楚雄",
    "Deqen": "德钦", "Kunming": "昆明", "Lancang": "澜沧", "Lijiang": "丽江", "Lincang": "临沧",
    "Mengla": "勐腊", "Mengzi": "蒙自", "Simao": "思茅", "Tengchong": "腾冲",
    "Yuanjiang": "元江", "Dinghai": "定海", "Hangzhou": "杭州", "Hongjia": "洪家",
    "Quxian": "衢州", "Wenzhou": "温州",
}
#: (WMO id, Chinese name) where the station is not the one its CSWD name would suggest.
BY_ID = {"548080": "朝城"}  # "Chaoyang, Shandong" at 36.23 N 115.67 E is Chaocheng, not Chaoyang
#: CSWD names that are not the Hanyu pinyin of the Chinese name (Mongolian, Uyghur, Tibetan
#: names, postal spellings and CSWD misspellings): not checked with pypinyin.
KNOWN_SPELLINGS = {
    "Dongcheng", "Zhengcheng", "Exi", "Huaiyang-Qingjiang", "Qian Gorlos", "Abag Qi", "Arxan",
    "Bairin Zuo Qi", "Bayan Mod", "Bugt", "Dong Ujimqin Qi", "Ejin Qi", "Erenhot", "Hailar",
    "Haliut", "Hohhot", "Jartai", "Jarud Qi", "Jurh", "Otog Qi", "Solon", "Xi Ujimqin Qi",
    "Xilinhot", "Daqaidam", "Darlag", "Dulan Us", "Gangca", "Golmud", "Madoi", "Nangqen",
    "Qumarleb", "Ankangan", "Barkam", "Garze", "Lhasa", "Nyingchi", "Qamdo", "Aksu", "Altay",
    "Hoboksar", "Hotan", "Karamay", "Kuqa", "Tikanlik", "Turpan", "Urumqi", "Deqen", "Harbin",
    "Qiqihar", "Boxian", "Quxian", "Huimin Xian", "Chongqing Shapingba", "Duan", "Mengla",
    "Shache", "Yushu", "Bailingmiao", "Abag Qi Hot", "Congwu", "Leting",
    # heteronyms pypinyin reads otherwise: 都 du, 鞘 shao, 朝 chao; 吕 is lü (CSWD writes u)
    "Wudu", "Wushaoling", "Chaoyang", "Lusi",
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def main() -> int:
    with STATIONS.open(encoding="utf-8") as handle:
        stations = list(csv.DictReader(handle))
    rows, problems = [], []
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        lazy_pinyin = None
    for s in stations:
        zh = BY_ID.get(s["wmo_id"]) or NAMES_ZH.get(s["name"])
        if zh is None:
            problems.append(f"{s['name']} ({s['wmo_id']}): no Chinese name")
            continue
        if lazy_pinyin is not None and s["name"] not in KNOWN_SPELLINGS and s["wmo_id"] not in BY_ID:
            spoken = "".join(lazy_pinyin(zh))
            if _plain(spoken) != _plain(s["name"]):
                problems.append(f"{s['name']} ({s['wmo_id']}): {zh} reads {spoken}")
        rows.append({"wmo_id": s["wmo_id"], "name": s["name"], "name_zh": zh,
                     "source": SOURCE.format(wmo=s["wmo_id"][:5])})
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["wmo_id", "name", "name_zh", "source"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} names written to {OUT.relative_to(ROOT)}"
          + ("" if lazy_pinyin else " (pypinyin not installed: pinyin not checked)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
