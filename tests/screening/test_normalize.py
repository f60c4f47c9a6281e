"""Normalisation before matching, and the way back: every finding names the original characters it came from."""

from __future__ import annotations

import pytest

from govmedia.screening.normalize import normalize


def test_full_width_forms_become_half_width_and_case_is_folded():
    assert normalize("ＡＢＣ１２３，ＱＱ").text == "abc123,qq"


def test_traditional_characters_become_simplified_one_for_one():
    norm = normalize("網絡賭博與發展")
    assert norm.text == "网络赌博与发展"
    assert norm.index == list(range(7))


@pytest.mark.parametrize("written", ["网 络 赌 博", "网*络*赌*博", "网·络·赌·博", "网\u200b络\u200c赌\u200d博", "网　络　赌　博",
                                     "网＊络－赌・博", "网 * 络赌博"])
def test_interference_between_chinese_characters_is_dropped(written):
    norm = normalize(written)
    assert norm.text == "网络赌博"
    assert [written[i] for i in norm.index] == ["网", "络", "赌", "博"]


@pytest.mark.parametrize("written", ["abc def", "2024-03-08", "a*b", "网络 2024 赌博", "网络    赌博", "网络 ", " 网络"])
def test_interference_is_kept_where_it_does_not_separate_two_chinese_characters(written):
    # Between Latin or digits, around a number, a run longer than three, or at either end: it stays.
    assert normalize(written).text == written.lower()


def test_each_normalised_character_points_back_to_the_character_it_came_from():
    original = "Ｋ粉 ㈠ 網·絡 ﬁle"
    norm = normalize(original)
    assert len(norm.index) == len(norm.text)
    for i, ch in enumerate(norm.text):
        source = original[norm.index[i]]
        assert ch in normalize(source).text or ch in source.lower()
    assert norm.index == sorted(norm.index)


def test_a_normalised_span_maps_back_to_the_original_span():
    original = "警惕網 絡*賭博陷阱"
    norm = normalize(original)
    start = norm.text.index("网络赌博")
    a, b = norm.span(start, start + 4)
    assert original[a:b] == "網 絡*賭博"


def test_an_expanding_character_maps_back_whole():
    original = "第㈠条"
    norm = normalize(original)
    assert norm.text == "第(一)条"
    a, b = norm.span(1, 4)
    assert original[a:b] == "㈠"


def test_finding_offsets_are_offsets_in_the_original_text(screener):
    text = "警惕網 絡*賭博！Ｋ粉勿碰。電話１８６５１２３４５６７"
    findings = screener.scan_text(text)
    assert [(f.category, text[f.start:f.end]) for f in findings] == [
        ("sensitive", "網 絡*賭博"), ("sensitive", "Ｋ粉"), ("privacy", "１８６５１２３４５６７")]


def test_a_lone_surrogate_is_scanned_without_crashing_and_offsets_hold():
    from govmedia.screening import Screener

    findings = Screener().scan_text("abc\ud800身份证320509198504120213")
    ids = [f for f in findings if f.rule == "id_card"]
    assert [(f.start, f.end) for f in ids] == [(7, 25)]
