"""Chinese figures: numerals, units, ranges, changes, dates and what is not a figure."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _one(source, **want):
    figs = extract_figures(source)
    assert len(figs) == 1, [(f.text, f.kind) for f in figs]
    f = figs[0]
    for key, value in want.items():
        assert getattr(f, key) == value, (key, getattr(f, key), value)
    return f


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("三百五十", "三百五十", 350),
        ("两千", "两千", 2000),
        ("1.8万", "1.8万", 18000),
        ("二十一万亿", "二十一万亿", 21e12),
        ("４，５６５", "４，５６５", 4565),
        ("负三十二", "负三十二", -32),
        ("一万三", "一万三", 13000),
        ("四万万", "四万万", 4e8),
        ("两千三点一", "两千三点一", 2300.1),
        ("壹佰伍拾", "壹佰伍拾", 150),
        ("兩千四百五", "兩千四百五", 2450),
        ("五分之一", "五分之一", 0.2),
        ("3又一千分之23", "3又一千分之23", 3.023),
    ],
)
def test_numerals(text, surface, value):
    _one(text, text=surface, value=value)


def test_counts_with_classifiers_and_qualifiers():
    _one("共吸引超过50家企业参展", text="超过50家", kind="count", unit="家", qualifier="over", value=50)
    _one("有近5000名人士", text="近5000名", unit="名", qualifier="nearly")
    _one("工资开到4万多了", text="4万多", value=40000, qualifier="over")
    _one("带了10多家园区公司", text="10多家", value=10, qualifier="over", unit="家")
    _one("十多家企业", text="十多家", value=10, qualifier="over")


def test_percent_forms():
    _one("增长百分之三十", text="百分之三十", kind="percent", value=30, unit="%")
    _one("上升2.4个百分点", text="2.4个百分点", kind="percent", value=2.4, unit="pp")
    _one("占比约95%", text="约95%", qualifier="approximately", value=95)
    _one("占全国比重近八成", text="近八成", value=80, qualifier="nearly")
    _one("卡纸率低于0.02‰", text="低于0.02‰", unit="‰", qualifier="less than")


def test_money():
    _one("营收规模为2604.31亿元", text="2604.31亿元", kind="money", value=260431000000, currency="CNY")
    _one("每股1.95港元", currency="HKD", value=1.95)
    _one("市值16万亿美元", currency="USD", value=16e12)
    figs = extract_figures("月入中位数分别达到3.1万及5.5万港元")
    assert [(f.text, f.kind, f.currency, f.value) for f in figs] == [
        ("3.1万", "money", "HKD", 31000),
        ("5.5万港元", "money", "HKD", 55000),
    ]


def test_ranges_and_changes():
    _one("缺口将达到6万至6.5万", kind="range", value=60000, value_max=65000)
    _one("招揽5-6名研发人员", text="5-6名", kind="range", value=5, value_max=6, unit="名")
    figs = extract_figures("需求预计将由2023年的6.02万人增至2028年的9.64万人")
    changes = [f for f in figs if f.kind == "change"]
    assert [(f.value, f.role) for f in changes] == [(60200, "from"), (96400, "to")]
    assert figs[changes[0].link] is changes[1] and figs[changes[1].link] is changes[0]
    assert [f.value for f in figs if f.kind == "year"] == [2023, 2028]
    figs = extract_figures("名单再扩容，从13所增加至22所。")
    assert [(f.text, f.role) for f in figs] == [("13所", "from"), ("22所", "to")]


@pytest.mark.parametrize(
    "text, surface, unit",
    [
        ("共有2000人参加", "2000人", "人"),
        ("招聘了2000名员工", "2000名", "名"),
        ("有1950家企业参展", "1950家", "家"),
        ("共2100所学校", "2100所", "所"),
        ("全港有1900間學校", "1900間", "间"),
        ("恒指收报2050点", "2050点", "点"),
    ],
)
def test_a_year_like_number_with_a_classifier_is_a_count(text, surface, unit):
    _one(text, text=surface, kind="count", unit=unit, value=float(surface[:4]))


@pytest.mark.parametrize("text, surface", [("2000年", "2000年"), ("2024届毕业生", "2024届"),
                                           ("2024款车型", "2024款"), ("2023年度报告", "2023年")])
def test_a_classifier_naming_a_year_keeps_the_year(text, surface):
    _one(text, text=surface, kind="year")


def test_jian_closing_between_is_no_classifier():
    _one("10000与20000间", text="10000与20000间", kind="range", value=10000, value_max=20000, unit=None)
    _one("3间学校", text="3间", kind="count", unit="间")


def test_year_ranges():
    _one("在2019年至2022年间连续下跌", kind="range", unit="year", value=2019, value_max=2022)


def test_dates():
    _one("于2024年10月入驻", kind="date", value=20241000)
    _one("6月28日举办", kind="date", value=628)
    _one("香港亦在今年4月成立", text="今年4月", kind="date", value=400)
    _one("自2022年底推出", text="2022年", kind="year", value=2022)


def test_malformed_dates_keep_a_warning():
    f = _one("于628日举办", kind="date", value=628)
    assert [w.code for w in f.warnings] == ["date.missing_month"]
    f = _one("202410月，名单再扩容", kind="date", value=20241000)
    assert [w.code for w in f.warnings] == ["date.missing_year_marker"]
    for text in ("2024年13月", "2月30日"):
        f = _one(text, kind="date")
        assert [w.code for w in f.warnings] == ["date.impossible"]


def test_ordinals():
    figs = extract_figures("博览会第二季开幕")
    assert [(f.text, f.kind, f.value) for f in figs] == [("第二季", "ordinal", 2)]


def test_quarters():
    figs = extract_figures("2024年至今年一季度，获批人数达到5.02万人")
    assert [(f.text, f.kind, f.value, f.unit) for f in figs] == [
        ("2024年", "year", 2024, None), ("一季度", "ordinal", 1, "季度"), ("5.02万人", "count", 50200, "人")]
    _one("三季度", text="三季度", kind="ordinal", value=3, unit="季度")
    _one("一至三季度", text="一至三季度", kind="range", value=1, value_max=3, unit="季度")
    _one("前三季度", text="三季度", kind="count", value=3)  # the first three quarters
    _one("连续10季度", text="10季度", kind="count", value=10)


@pytest.mark.parametrize(
    "text",
    ["我家在四川", "陆地上有许多动物", "统一思想", "一个原因在于两地教育模式", "《香港数字资产发展政策宣言2.0》",
     "推动“十四五”规划", "千万不要忘记", "深圳九九互动", "需要数十人外包客服团队", "一切都好", "万一出错"],
)
def test_not_figures(text):
    assert extract_figures(text) == []
