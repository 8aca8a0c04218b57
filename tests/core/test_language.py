"""Language labels: ISO 639-1 codes, zh and en decided as the figure engines always did,
other languages labelled (never as zh or en) and not read by the figure engines."""

import pytest

from annotator.text.language import detect_language, language_name, not_read_note, reads_figures
from annotator.text.pipeline import analyse


def test_chinese_english_and_no_letters():
    assert detect_language("香港整体人力短缺达18万人") == "zh"
    assert detect_language("據香港入境事務處數據，獲批人數達5.02萬人。") == "zh"
    assert detect_language("Hong Kong faces a talent shortage.") == "en"
    assert detect_language("2024 - 12 / 30") == "und"


@pytest.mark.parametrize("text, code", [
    # short lines of the corpus's Japanese, Korean, Russian and other pages
    ("商品の改造が商標法違反に！？先日、不正に改造したiPhoneを販売したとして、"
     "商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。", "ja"),
    ("トレンドマイクロ、公衆無線LANを安全に使うためのアプリ「フリーWi-Fiプロテクション」", "ja"),
    ("‘그녀말’ 남상미 연기가 ‘숨바꼭질’ 이유리보다 돋보인 이유 주말 밤 9시 MBC와 SBS는", "ko"),
    ("В восьмидесятых годах чешская красавица заявила о себе на весь мир.", "ru"),
    ("Die elektronische Patientenakte (ePA) – der lange Marsch ins Digitale "
     "Gesundheitswesen", "de"),
    ("Black Friday per nostalgici: le occasioni da non perdere. Il black Friday "
     "incombe e le offerte sono tante.", "it"),
    ("Desde la inesperada postulación de Pekín hasta la decisión del comité olímpico, "
     "los juegos de invierno han sido polémicos.", "es"),
    ("Viver uma verdadeira experiência amorosa é um dos maiores prazeres da vida.", "pt"),
])
def test_other_languages_are_labelled_never_zh_or_en(text, code):
    assert detect_language(text) == code


def test_a_language_switch_in_kana_leaves_a_chinese_page_chinese():
    # CNA's page offers "こちらのページは日本語です" among its Chinese text
    text = ("中央社記者今天報導，行政院會通過明年度總預算案，歲出規模達2兆8881億元，"
            "較今年增加4.8%。" * 3 + "こちらのページは日本語です")
    assert detect_language(text) == "zh"


def test_mixed_chinese_and_english_stays_chinese():
    assert detect_language("苹果公司CEO Tim Cook表示，iPhone 11的销量超出预期。") == "zh"


def test_english_with_a_few_chinese_names_stays_english():
    assert detect_language("The company, known as 腾讯 in China, reported revenue of "
                           "$20 billion for the quarter, up 15% from a year earlier.") == "en"


def test_reads_figures_and_names():
    assert reads_figures("zh") and reads_figures("en") and reads_figures("und")
    assert not reads_figures("ja") and not reads_figures("de")
    assert language_name("ja") == "Japanese"
    assert language_name("de") == "German"
    assert language_name("und") == "unknown"
    assert language_name("qqq") == "qqq"


def test_not_read_note():
    assert not_read_note({"zh": 4, "en": 2}) == ""
    assert not_read_note({"ja": 2, "de": 1, "zh": 5}) == (
        "3 article(s) in languages the figure engines do not read (no claims): "
        "Japanese 2, German 1")


def test_an_article_in_german_has_no_claims_and_no_script():
    a = analyse("Die Stadt hat 2023 insgesamt 1,5 Millionen Euro für neue Radwege "
                "ausgegeben, 20 Prozent mehr als im Vorjahr.")
    assert a.language == "de"
    assert a.claims == []


def test_a_japanese_article_has_no_claims_no_script_and_is_searchable_by_kanji():
    a = analyse("東京都は2023年に新しい自転車道のために150万円を使いました。"
                "これは前年より20パーセント多いです。")
    assert a.language == "ja"
    assert a.claims == [] and a.script is None
    assert "京" in a.index_chars and "京都" in a.index_tokens


def test_chinese_and_english_articles_still_have_claims():
    assert analyse("香港整体人力短缺达18万人。").claims
    assert analyse("Only 200 people were hired, 15% of them graduates.").claims
