"""Numbers real news prints that are not figures, one class per test (excerpts of real
articles of the development and held-out sets); each class has a case that must stay."""

from __future__ import annotations

import pytest

from annotator.text.figures import extract_figures


def _surfaces(text):
    return [f.text for f in extract_figures(text)]


@pytest.mark.parametrize(
    "text, kept",
    [
        # bare Chinese numerals opening a line and followed by a comma number the points
        ("刀哥也想说八点：\n一，如果给西方国家整体对华态度划分一个光谱，大部分可以做三等份。\n"
         "二，“八国联军”是中华民族近代百年屈辱的开始。", ["八点", "百年"]),
        # 第一板斧是，…: an ordinal and its noun opening a point, then 是 and a comma
        ("对华挥出“三板斧”：\n第一板斧是，5月28日拉布威胁称，\n第二板斧是，6月2日拉布在议会中表示",
         ["5月28日", "6月2日"]),
        # a number alone on its line between paragraphs is a section number
        ("“八国联盟”目前一共找着18个人。\n1\n美国方面是“中国人民的老对手”。\n2\n在“八国联盟”中",
         ["18个"]),
        # "1) Deviled, 2) Scotch": items of an inline list, not only the first
        ("Our favorite ways to eat eggs are: 1) Deviled, 2) Scotch, 3) Scrambled, 4) Pickled.", []),
    ],
)
def test_list_and_section_numbering(text, kept):
    assert _surfaces(text) == kept


def test_a_quantity_opening_a_line_stays():
    assert _surfaces("三，五年内投资20亿元") == ["五年", "20亿元"]
    assert _surfaces("第三季度，营收增长5%") == ["第三季度", "5%"]
    assert _surfaces("第一季度是，全年最弱的") == ["第一季度"]


@pytest.mark.parametrize(
    "text, kept",
    [
        # a plenum's name: 十九届四中全会 is the fourth plenary session of the 19th committee
        ("贯彻落实十九届四中全会精神，抓好3件事", ["3件"]),
        # economic sectors are terms
        ("其中第三产业投资完成119.90亿元，三次产业投资占比由去年同期的1.1:8.7:90.2调整",
         ["119.90亿元", "1.1", "8.7", "90.2"]),
        # a generation (the 00s-born), not zero
        ("网友纷纷祝袁隆平长命超百岁，成为“00后”！", ["百岁"]),
        # weekdays: 周三晚上 is Wednesday evening, not three nights
        ("早在周三晚上，成千上万中国人就开始踏上出行之路。从今天到下周四，", []),
        # the terminal and the entrances of a building are names
        ("與張姓妻子在桃園機場第二航廈出境大廳爭吵", []),
        ("★1号、2号、3号入口处可通往出发大厅", []),
        # set phrases jieba tags as numerals, and a basketball term
        ("昨晚收舖後，老鼠四處游走", []),
        ("这块芯片只是阿里万里长征第一步", []),
        ("最终全场砍下“13+14”的两双数据，外加2次抢断", ["13", "14", "2次"]),
    ],
)
def test_names_terms_and_weekdays(text, kept):
    assert _surfaces(text) == kept


@pytest.mark.parametrize(
    "text, surface",
    [
        ("他一周三天在家办公", "三天"),
        ("一周三次", "三次"),
        ("截至12月1号，共有20人", "12月1号"),
        ("他第二次来到香港", "第二次"),
        ("共有三县两区，第二产业增长3%", "3%"),
        ("他第二航班延误两小时", "两小时"),
        ("这是第一步", "第一"),
        ("买了两双鞋", "两双"),
    ],
)
def test_counts_beside_those_words_stay(text, surface):
    assert surface in _surfaces(text)


@pytest.mark.parametrize(
    "text, kept",
    [
        # a clock time written with 卅 (thirty)
        ("目擊者指出，昨天凌晨零時卅五分，萬與張女站在樓梯間", []),
        # a hotline after 致電, grouped in fours
        ("任何人如有資料提供，請致電3661 3800與調查人員聯絡。", []),
        # copyright lines
        ("This article originally appeared at The Aviationist. Copyright 2015. Follow us.", []),
        ("© 2019 Science X Network", []),
        ("Copyright © 1996-2019 SINA Corporation", []),
    ],
)
def test_clock_times_hotlines_and_copyright(text, kept):
    assert _surfaces(text) == kept


def test_a_year_after_the_word_copyright_in_prose_stays():
    assert "2015" in _surfaces("The copyright law of 2015 changed this.")


def test_a_dash_in_a_list_of_dashes_is_a_bullet_not_a_sign():
    text = "- 2019年09月07日\n- 09:02\n- APP专享\n- 王茜\n- 20,566\n24小时滚动播报"
    assert all(f.value is None or f.value >= 0 for f in extract_figures(text))
    # a lone value after a dash with no list around it is still negative
    lone = extract_figures("气温变化：\n- 5\n")
    assert [f.value for f in lone] == [-5]


@pytest.mark.parametrize(
    "text, surface, value, unit",
    [
        # 一 and a span of time, after a verb of lasting or before 内/后/左右
        ("排十二個公眾街市陸續提早一小時關閉", "一小時", 1, "小时"),
        ("神舟九号飞船返回舱在一天内返回地面", "一天", 1, "天"),
        ("仅成立一年的平头哥半导体为何这么快", "一年", 1, "年"),
        ("李男送醫搶救仍於一周後傷重不治", "一周", 1, "周"),
        ("在过去一年左右的时间里才真正流行起来", "一年左右", 1, "年"),
        # three days with no month: no date
        ("紅磡及土瓜灣街市停市三日大清洗後昨重開", "三日", 3, "日"),
        # a half of a span
        ("在武汉解除封锁约半年后，这座城市再度充满活力", "约半年", 0.5, "年"),
        # a dictionary word that is the quantity itself
        ("44歲的鍾旭華星期日下午，與十多人在伯公坳玩滑翔傘", "十多人", 10, "人"),
        # one span in two units
        ("她已经可以在水下屏住呼吸2分35秒了", "2分35秒", 155, "秒"),
        ("全程用时1小时20分钟", "1小时20分钟", 80, "分钟"),
    ],
)
def test_spans_of_time(text, surface, value, unit):
    got = {f.text: f for f in extract_figures(text)}
    assert surface in got and got[surface].value == value and got[surface].unit == unit


@pytest.mark.parametrize("text", ["总有一天会明白", "一年一度的盛会", "他一年到头很忙", "上半年增长很快"])
def test_one_day_as_some_day_stays_out(text):
    assert not [f for f in extract_figures(text) if f.unit in ("天", "年")]


def test_an_english_date_with_a_comma_after_the_month_is_one_date():
    figs = extract_figures("launched Tuesday, Nov, 29, 2016 the Soyuz-FG rocket")
    assert [(f.text, f.value) for f in figs] == [("Nov, 29, 2016", 20161129)]
    assert [f.kind for f in extract_figures("In May, 29 people died")] == ["date", "count"]


def test_between_the_ages_of_is_a_range():
    f, = extract_figures("men and women between the ages of 25 and 54 compared to")
    assert (f.kind, f.value, f.value_max) == ("range", 25, 54)


@pytest.mark.parametrize(
    "text, surface, value",
    [
        ("在辛亥革命後遷居天津的陶湘以藏匿古籍聞名，於光緒十七年娶妻。", "光緒十七年", 1891),
        ("康熙六十一年，雍正帝即位", "康熙六十一年", 1722),
        ("民国十七年", "民国十七年", 1928),
    ],
)
def test_reign_era_years_are_years(text, surface, value):
    f = next(f for f in extract_figures(text) if f.text == surface)
    assert (f.kind, f.value) == ("year", value) and "era" in f.reading


def test_a_count_of_years_stays_a_count():
    f, = extract_figures("他工作了十七年")
    assert (f.kind, f.value, f.unit) == ("count", 17, "年")


@pytest.mark.parametrize(
    "text, surface, unit",
    [
        ("潘振声创作的大量儿童歌曲，有一千余首在全国各地报刊电台发表", "一千余首", "首"),
        ("最终全场砍下两双数据，外加2次抢断、2记盖帽", "2记", "记"),
        ("岸线总长770米，建成22.5万总吨和10万总吨邮轮泊位各1个", "22.5万总吨", "总吨"),
    ],
)
def test_measure_words_of_songs_blocks_and_tonnage(text, surface, unit):
    got = {f.text: f.unit for f in extract_figures(text)}
    assert got.get(surface) == unit


@pytest.mark.parametrize(
    "text, surface, unit, currency",
    [
        ("the number infected has passed 20,000, with more than 7,842 deaths in the epidemic",
         "more than 7,842", "deaths", None),
        ("The virus has killed 1,500 people, including 584 deaths.", "584", "deaths", None),
        ("equivalent to 0.0001 ethereum, or less than 5 US cents each", "less than 5 US cents",
         "cent", "USD"),
    ],
)
def test_english_nouns_ending_in_ths_and_us_cents(text, surface, unit, currency):
    f = next(f for f in extract_figures(text) if f.text == surface)
    assert (f.unit, f.currency) == (unit, currency)


def test_fractions_in_ths_stay_fractions():
    assert [(f.text, f.value) for f in extract_figures("two fifths of them")] == [("two fifths", 0.4)]


@pytest.mark.parametrize(
    "text, kept",
    [
        # digits opening a quoted term glued to a noun name a thing
        ("有网友爆料，有60万个“12306账号”和410万条联系人数据在网上出售", ["60万个", "410万条"]),
        ("反对“996工作制”", []),
        # a numeral quoted to talk about the numeral
        ("古今中外好像都特别痴迷“八”这个数字，曹操有八十万大军", ["八十万"]),
        # a moon's designation
        ("木衛三十九被以希臘神話中的美惠五女神之一的名稱命名", []),
        # a page widget's bullets: a date over a clock time, a bare count
        ("- 2019年09月07日\n- 09:02\n- APP专享\n- 王茜\n- 20,566\n24小时滚动播报", ["24小时"]),
    ],
)
def test_quoted_names_mentioned_numerals_moons_and_widgets(text, kept):
    assert _surfaces(text) == kept


@pytest.mark.parametrize("text, surface", [("获得“3000元”奖金", "3000元"),
                                           ("- 30 people were injured\n- 2,500 homes\n", "2,500"),
                                           ("衛生署3名官員到場", "3名")])
def test_quantities_in_quotes_and_bullets_stay(text, surface):
    assert surface in _surfaces(text)


def test_a_count_after_a_preposition_is_no_product_name():
    # a headline drops the measure word: 向6險企 is "to six insurers", not a name 向6
    assert [(f.text, f.value) for f in extract_figures("銀保監向6險企發監管函 劍指違規投資")] == [("6", 6)]
