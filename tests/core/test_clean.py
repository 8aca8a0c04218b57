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
