from annotator.text.clean import find_boilerplate, is_boilerplate

from tests.conftest import SEEDS


def _marked(text):
    return {sp.kind: [] for sp in find_boilerplate(text)} and [
        (sp.kind, text[sp.start:sp.end]) for sp in find_boilerplate(text)]


def _seed(i):
    return SEEDS[i].read_text(encoding="utf-8")


def test_ad_markers_and_site_title_suffix():
    text = _seed(0)
    marked = _marked(text)
    assert ("ad_marker", "[ad_1]") in marked and ("ad_marker", "[ad_2]") in marked
    assert ("site_suffix", "_Sina Technology_Sina.com") in marked
    assert ("byline", "(Author: Zhu Lina Editor: Yanxia)") in marked


def test_gambling_prefix_related_tail_and_comment_form():
    text = _seed(1)
    spans = find_boilerplate(text)
    marked = [(s.kind, text[s.start:s.end]) for s in spans]
    assert ("gambling_prefix", "欧博体育 – 皇家马德里 官方合作伙伴 –") in marked
    tail = [s for s in spans if s.kind == "comment_form"][0]
    assert text[tail.start:].startswith("Leave a Reply") and tail.end == len(text.rstrip())
    # the unrelated related-posts (with their own figures) are inside the tail
    assert tail.start < text.index("全球出货量突破2000万台") < tail.end
    assert ("image_credit", "图片来源:图虫创意") in marked
    assert ("byline", "界面新闻记者 | 张熹珑") in marked
    # the article itself is not boilerplate
    body = text.index("2025香港国际人才职业博览会")
    assert not is_boilerplate(spans, body, body + 20)


def test_company_metadata_card():
    text = _seed(2)
    marked = [(s.kind, text[s.start:s.end]) for s in find_boilerplate(text)]
    card = [t for k, t in marked if k == "company_metadata"]
    assert card and card[0].startswith("Hong Kong Baptist University")
    assert "Employees: 1001-5000" in card[0] and card[0].endswith("Founded date: 1911")
    assert ("dateline", "February 24, 2025, 10:43 pm") in marked


def test_loading_and_newspaper_footer():
    assert ("loading", "Loading...") in _marked(_seed(3))
    text = _seed(4)
    marked = _marked(text)
    assert ("pressreader_noise", "??  ??") in marked
    foot = [t for k, t in marked if k == "newspaper_footer"][0]
    assert foot.startswith("Newspapers in English") and foot.endswith("Newspapers from China")


def test_nothing_is_deleted_and_spans_are_sorted_disjoint():
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        spans = find_boilerplate(text)
        assert all(0 <= s.start < s.end <= len(text) for s in spans)
        assert all(a.end < b.start for a, b in zip(spans, spans[1:]))


def test_ordinary_sentences_are_not_boilerplate():
    text = ("Sports – the city's budget for sport rose 5% this year.\n"
            "Source: the government said 1,000 jobs were created.\n")
    kinds = [s.kind for s in find_boilerplate(text)]
    assert "image_credit" not in kinds


def test_title_line_skips_boilerplate_lines_and_prefixes():
    from annotator.text.clean import find_boilerplate, title_line

    text = "Loading...\n\n欧博体育 – 皇家马德里 官方合作伙伴 – 香港再出手抢人才\n正文[ad_1]"
    assert title_line(text, find_boilerplate(text)) == "香港再出手抢人才"
    text = "China Daily (Hong Kong)\n\n## HK, mainland agree to inno-tech cooperation\n"
    assert title_line(text, find_boilerplate(text)) == "HK, mainland agree to inno-tech cooperation"
    assert title_line("Loading...\n", find_boilerplate("Loading...\n")) is None
    assert title_line("  \n", []) is None


# --- page chrome from real pages, and rules that must not take real text -------------

def _kinds(text):
    return [(sp.kind, text[sp.start:sp.end]) for sp in find_boilerplate(text)]


_BODY = ("中国人习以为常的很多地方，在老外眼中却是了不得的成就。记者走访了多位在华外国人，"
         "他们说起中国的高铁、移动支付和夜市，都赞不绝口。") * 6


def test_related_heading_at_the_top_marks_no_body():
    text = "中国人习以为常的地方 为何老外却说“了不得”？\n相关新闻：\n" + _BODY + "\n" + _BODY
    spans = find_boilerplate(text)
    body = text.index(_BODY)
    assert not is_boilerplate(spans, body, len(text))


def test_related_heading_at_the_top_marks_its_list_only():
    text = ("标题\n相关新闻：\n- 老外眼中的中国高铁\n- 夜市里的外国人\n" + _BODY)
    marked = _kinds(text)
    assert ("related_tail", "相关新闻：\n- 老外眼中的中国高铁\n- 夜市里的外国人") in marked
    spans = find_boilerplate(text)
    assert not is_boilerplate(spans, text.index(_BODY), len(text))


def test_related_heading_after_the_body_still_marks_the_tail():
    text = _BODY + "\n相关新闻\n" + _BODY
    [sp] = [s for s in find_boilerplate(text) if s.kind == "related_tail"]
    assert sp.end == len(text) and text[sp.start:].startswith("相关新闻")


def test_tour_dates_at_a_casino_are_text():
    # from a Rolling Stone tour list (scrapinghub ground truth)
    text = ("Jonas Brothers announce tour\n\nThe band will play:\n"
            "August 8 – Tinley Park, IL @ Hollywood Casino Amphitheatre – Chicago\n"
            "August 14 – St. Louis, MO @ Hollywood Casino Amphitheatre – St. Louis\n")
    assert not [k for k, _ in _kinds(text) if k == "gambling_prefix"]


def test_copyright_lines():
    for line in ["Copyright © 1996-2019 SINA Corporation", "All Rights Reserved 新浪公司 版权所有",
                 "© Reuters", "© 2019 Science X Network", "Copyright © 2015, Eklektix, Inc.",
                 "本新聞文字、照片、影片專供蘋果《好蘋友》壹會員閱覽，版權所有，禁止任何媒體、社群網站、"
                 "論壇，在紙本或網路部分引用、改寫、轉貼分享，違者必究。"]:
        assert _kinds(_BODY + "\n" + line) == [("copyright", line)], line
    assert _kinds("该书的版权所有人已同意再版，首印3万册。") == []


def test_footer_contact_and_masthead_date_lines():
    footer = ("| 主办单位：山西医科大学纪检监察室 版权所有 地址：太原市新建南路56号 邮编：030001 "
              "电话：0351-3985088 |")
    assert [k for k, _ in _kinds(_BODY + "\n" + footer)] == ["footer_contact"]
    masthead = "| 2020年 08月 07日 星期五    \\|          氣 溫 ： 30 度 |"
    assert _kinds(masthead + "\n" + _BODY) == [("masthead_date", masthead)]
    # one address in an article is text
    assert _kinds("營地地址：新竹縣尖石鄉玉峰村6鄰20號") == []


def test_report_hotline_share_and_qr_lines():
    for line, kind in [("违法和不良信息举报电话：010-62675637", "report_hotline"),
                       ("举报邮箱：jubao@vip.sina.com", "report_hotline"),
                       ("分享到：", "share_qr"), ("扫描二维码分享话题", "share_qr"),
                       ("- 扫描二维码,向CSDN吐槽", "share_qr"),
                       ("微信扫一扫 关注该公众号", "share_qr"),
                       ("更多猛料！欢迎扫描左方二维码关注新浪新闻官方微信（xinlang-xinwen）", "share_qr"),
                       ("24小时滚动播报最新的财经资讯和视频，更多粉丝福利扫描二维码关注（sinafinance）",
                        "share_qr")]:
        assert _kinds(_BODY + "\n" + line) == [(kind, line)], line
    assert _kinds("他扫描二维码后，被骗走3万元。") == []


def test_hot_lists_under_their_heading():
    lines = ["热点新闻", "态度原创", "跟贴排行", "点击排行", "- 163675成龙参观张北草原天路当地",
             "- 239523女子喝醉后惨遭\"捡尸\"强奸"]
    text = _BODY + "\n" + "\n".join(lines) + "\n" + _BODY
    [(kind, marked)] = _kinds(text)
    assert kind == "hot_list" and marked == "\n".join(lines)
    # a heading with prose under it is not a list
    assert _kinds("热门推荐\n" + _BODY) == []


def test_shop_box_lines():
    text = ("Apple AirPods with Charging Case (Latest Model)\n\n$139.00\n\nAvailable from Amazon\n"
            "BGR may receive a commission\n\nBuy Now\n")
    # neighbouring lines of one rule are one span
    assert [m for _, m in _kinds(text)] == [
        "Available from Amazon\nBGR may receive a commission\n\nBuy Now"]
