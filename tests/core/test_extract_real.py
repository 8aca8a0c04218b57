"""HTML extraction over pages of the real-news corpus (skipped where it is absent)."""

import os
from pathlib import Path

import pytest

from annotator.domain import RawArticle
from annotator.readers import read_file

CORPUS = Path(os.environ.get("ANNOTATOR_REALNEWS",
                             Path(__file__).resolve().parents[3] / "shared" / "realnews"))
pytestmark = pytest.mark.skipif(not (CORPUS / "html").is_dir(), reason="real-news corpus absent")


def _read(rel):
    [art] = [a for a in read_file(CORPUS / "html" / rel) if isinstance(a, RawArticle)]
    return art


@pytest.mark.parametrize("rel, snippets", [
    # precise extraction kept only the comment disclaimer, the menu and a comment
    ("zh-hans/gne_163_1.html", ["龙湖实现合约销售金额1056.2亿元"]),
    # text runs after image <div>s
    ("zh-hans/gne_thepaper_4.html", ["770米", "22.5万总吨", "1800人"]),
    ("zh-hans/gne_shanxi_1.html", ["南美站活动将先后在巴西"]),
])
def test_chinese_portal_bodies_are_kept(rel, snippets):
    flat = "".join(_read(rel).text.split())
    for s in snippets:
        assert s in flat


@pytest.mark.parametrize("rel, title", [
    ("zh-hant/hkb_rthk.html", "香港航空往來沖繩4航班延至今日出發"),
    ("zh-hant/twnews_cna.html", "平鎮輪胎行惡火 疏散7人1女命喪"),
    ("zh-hant/hkn_orientaldaily_details.html", "街市重開 鼠患不改"),
    ("zh-hans/gne_baijiahao_1.html", "英国美女在殡仪馆工作太痛苦，转行当美人鱼！每小时收入近千元"),
    ("zh-hans/gne_163_1.html", '多地项目连环爆雷 狂奔的龙湖集团"暗伤"曝露？'),
    ("zh-hant/hkb_wenweipo_details.html", "旺角「殺街」 有人轉場尖沙咀"),
    ("en/scrapinghub_d1c57d7821e5.html", "NASA adds five companies to commercial lunar lander program"),
])
def test_titles_without_site_names(rel, title):
    assert _read(rel).title == title
