"""The Korean checks: the reading table, the particle rules with and without the analyser, the register of the
bundled articles, what ``l10n check`` says when the analyser is missing.

The golden cases (``tests/cases/checks/korean-*``) run them through the CLI; here the rules are pinned one by one.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks.languages import korean
from pipeline.checks.languages.korean import (
    particle_offsets,
    particle_problems,
    read_msgstr,
    sentence_register,
    sentences,
    spacing_problems,
)
from pipeline.checks.languages.korean_readings import english_number, readings, sino_korean
from pipeline.po.files import read_po, write_po

from .helpers import copy_project, run_cli
from .test_checks import finding_lines, make_case


def fixes(msgstr: str, *, analyser: bool = True, brands: dict[str, str] | None = None) -> list[str]:
    """What ko-particles would have written instead, one per wrong particle (word, marker, right form)."""
    reading = read_msgstr(msgstr, brands or {})
    offsets = particle_offsets(reading) if analyser else None
    return [f"{p.word}{p.between}{p.right}{p.rest}" for p in particle_problems(reading, offsets)]


def test_after_a_parenthesis_the_finding_names_the_word_before_it():
    reading = read_msgstr("철분(Fe)를 먹습니다.", {})
    [problem] = particle_problems(reading, particle_offsets(reading))
    assert problem.message() == ("wrong particle \u201c를\u201d in \u201c철분(Fe)를\u201d: the particle follows "
                                 "\u201c철분\u201d, not \u201c(Fe)\u201d, so write \u201c철분(Fe)을\u201d")


# ---- the reading table ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("word, spoken", [
    ("AML", ("에이엠엘",)), ("B2M", ("비투엠",)), ("ANC", ("에이엔씨",)), ("MRI", ("엠알아이",)), ("D", ("디",)),
    ("TIM-3", ("티아이엠삼", "티아이엠쓰리")), ("IL-6", ("아이엘육", "아이엘식스")),
    ("3", ("삼",)), ("10", ("십",)), ("100", ("백",)), ("1,000", ("천",)), ("1,500", ("천오백",)),
    ("10,000", ("만",)), ("0", ("영",)), ("2.5", ("이점오",)),
    ("mg", ("밀리그램",)), ("mL", ("밀리리터",)), ("ng/mL", ("밀리리터",)), ("70%", ("퍼센트",)), ("38°C", ("도",)),
    ("10mg", ("밀리그램",)), ("Library", ()), ("mRNA", ()), ("PET", ("피이티", "펫")),
])
def test_latin_terms_numbers_and_units_are_read_as_the_table_says(word, spoken):
    assert readings(word) == spoken


def test_capital_l_and_iu_are_units_only_after_a_number():
    assert readings("L") == ("엘",) and readings("L", after_number=True) == ("리터",)
    assert readings("IU", after_number=True) == ("아이유",)


def test_number_readings():
    assert sino_korean("12,345") == "만이천삼백사십오"
    assert sino_korean("110") == "백십"
    assert english_number("19") == "나인틴" and english_number("21") == "트웬티원"
    assert english_number("100") is None


# ---- particles -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("analyser", [True, False], ids=["analyser", "no-analyser"])
@pytest.mark.parametrize("msgstr, wanted", [
    ("AML를 치료하는 약입니다.", ["AML을"]),                     # 에이엠엘: ㄹ is a consonant for 을/를
    ("AML으로 진단받았습니다.", ["AML로"]),                      # ...but takes 로: ㄹ before 으로/로
    ("AML로 진단받았습니다.", []),
    ("B2M가 높습니다.", ["B2M이"]),                              # 비투엠
    ("ANC이 낮습니다.", ["ANC가"]),                              # 에이엔씨
    ("AML와 ANC과 함께", ["AML과", "ANC와"]),
    ("AML라고 부릅니다.", ["AML이라고"]),
    ("비타민 D이나 칼슘", ["D나"]),
    ("하루 10 mg로 늘립니다.", ["mg으로"]),                     # 밀리그램
    ("하루 10 mg으로 늘립니다.", []),
    ("시럽 5 mL을 먹습니다.", ["mL를"]),                        # 밀리리터
    ("약 40%~70%을 차지합니다.", ["40%~70%를"]),                  # 퍼센트
    ("3를 더합니다.", ["3을"]),                                 # 삼
    ("3을 더합니다.", []),
    ("1,000를 넘습니다.", ["1,000을"]),                         # 천
    ("TIM-3는 단백질입니다.", []),                              # 쓰리 ...
    ("TIM-3은 단백질입니다.", []),                              # ... or 삼
    ("페리틴[1]는 단백질입니다.", ["페리틴[1]은"]),             # the particle follows 페리틴, not [1]
    ("단백질[PM4]으로 알려져 있습니다.", ["단백질[PM4]로"]),
    ("<b>철분</b>를 드세요.", ["철분</b>을"]),
    ("<b>철분</b>을 드세요.", []),
    ("600 IU(15마이크로그램)가 권장량입니다.", []),             # 아이유 before the parenthesis
    ("최저점(나디르)이라고 합니다.", []),
    ("철분(Fe)를 먹습니다.", ["철분(Fe)을"]),                   # Fe has no reading; 철분 takes 을
    ("\u201cAML\u201d를 봅니다.", ["AML\u201d을"]),                 # through a closing quote
    ("3가지 방법이 있습니다.", []),                             # 가지 is no particle
    ("수치가 50 nmol/L이면 낮습니다.", []),                     # the copula 이면 may follow a vowel
    ("PET을 찍습니다.", []), ("PET를 찍습니다.", []),             # 펫 or 피이티
    ("Health Library를 봅니다.", []),                           # no reading for an English word: not checked
    ("철분를 먹습니다.", []),                                   # plain Hangul: not this check's
])
def test_particles_agree_with_the_word_they_follow(msgstr, wanted, analyser):
    assert fixes(msgstr, analyser=analyser) == wanted


@pytest.mark.parametrize("msgstr, wanted", [
    ("ANC이라든가 다른 수치", ["ANC라든가"]),                   # more than a particle follows it in the word
    ("AML를까지 봅니다", ["AML을까지"]),
])
def test_the_analyser_finds_particles_inside_longer_words(msgstr, wanted):
    assert fixes(msgstr) == wanted
    assert fixes(msgstr, analyser=False) == []


def test_a_placeholder_with_known_content_is_read_as_its_content():
    assert fixes("<span/>를 씁니다.", brands={"span": "AML"}) == ["AML을"]
    assert fixes("<span/>을 씁니다.", brands={"span": "AML"}) == []
    assert fixes("<span/>를 씁니다.", brands={"span": "건강 도서관"}) == ["도서관을"]
    assert fixes("<span/>를 씁니다.") == []                        # a date or count: content unknown
    reading = read_msgstr("<span/>와 TIM-3", {"span": "B2M"})
    assert [p.message() for p in particle_problems(reading, particle_offsets(reading))] == [
        "wrong particle \u201c와\u201d in \u201c<span/>와\u201d: <span/> is \u201cB2M\u201d, read 비투엠, "
        "so write \u201c<span/>과\u201d"]


def test_the_message_names_the_wrong_and_the_right_particle():
    reading = read_msgstr("B2M를 봅니다", {})
    [problem] = particle_problems(reading, particle_offsets(reading))
    assert problem.message() == ("wrong particle \u201c를\u201d in \u201cB2M를\u201d: \u201cB2M\u201d is read "
                                 "비투엠, so write \u201cB2M을\u201d")


def test_without_the_analyser_check_says_so_and_still_finds_word_final_particles(tmp_path, monkeypatch):
    monkeypatch.setattr(korean, "analyser", lambda: None)
    monkeypatch.setattr(korean, "analyser_identity", lambda: None)     # no kiwipiepy distribution either
    result = run_cli(make_case("korean-particles", tmp_path), "check", "--jobs", "1", "--only", "ko-particles")
    lines = finding_lines(result.output)
    infos = [line for line in lines if "info[ko-particles]" in line]
    assert [line.split(":")[0] for line in infos] == ["locales/ko/dosing.po", "locales/ko/markers.po"]
    assert all("kiwipiepy) is not installed" in line and ".[ko]" in line for line in infos)
    assert len([line for line in lines if "error[ko-particles]" in line]) == 6
    assert result.exit_code == 1


# ---- register ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, register", [
    ("수치가 높습니다.", "formal"), ("검사가 필요합니까?", "formal"), ("수치가 높아요.", "polite"),
    ("검사가 필요해요.", "polite"), ("무엇인가요?", "polite"), ("괜찮죠?", "polite"),
    ("의료진과 상의하세요.", None), ("복용하지 마세요:", None), ("의료진에게 문의하십시오.", None),
    ("여기 계세요.", None), ("중요:", None), ("철 저장량 부족 가능성", None),
    ("섭취 시간 조절하기:", None),
])
def test_sentence_endings(sentence, register):
    assert sentence_register(sentence) == register


def test_quotations_tags_and_markers_are_left_out_of_sentences():
    assert sentences("<b>주의:</b> “괜찮아요”라는 말은 믿지 마세요.[1] 수치가 높습니다. [2]") == \
        ["주의:", "라는 말은 믿지 마세요.", "수치가 높습니다."]


def test_the_bundled_korean_is_formal_and_a_mixed_article_fails(tmp_path):
    project = copy_project(tmp_path)
    assert finding_lines(run_cli(project, "check", "-l", "ko", "--only", "ko-register").output) == []
    path = project / "locales" / "ko" / "ferritin-levels.po"
    po = read_po(path)
    changed = 0
    for entry in po:
        if entry.msgstr.endswith("함께 해석하는지 설명합니다."):
            entry.msgstr = entry.msgstr.replace("설명합니다.", "설명해요.")
            changed += 1
    assert changed == 1
    write_po(path, po)
    result = run_cli(project, "check", "-l", "ko", "--only", "ko-register")
    [line] = finding_lines(result.output)
    assert re.match(r"locales/ko/ferritin-levels\.po:\d+: warning\[ko-register\]: 해요체 \(polite\) ending where "
                    r"the article is in 합니다체 \(formal\) \(\d+ of \d+ sentences\): .*설명해요\.\u201d$", line), line
    assert result.exit_code == 0                                # a warning
    text = (project / "l10n.yaml").read_text(encoding="utf-8")
    (project / "l10n.yaml").write_text(text + "checks:\n  locales:\n    ko: {register: polite}\n", encoding="utf-8")
    lines = finding_lines(run_cli(project, "check", "-l", "ko", "--only", "ko-register").output)
    assert len(lines) > 20 and all("l10n.yaml sets 해요체 (polite) for ko" in line for line in lines)


# ---- spacing -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("msgstr, found", [
    ("<b>철분</b> 을 드세요.", 1), ("<b>철분</b>을 드세요.", 0),
    ("페리틴 [1]은 단백질입니다.", 1), ("페리틴[1]은 단백질입니다.", 0),
    ("<b>중요:</b> 이 내용은 일반 정보입니다.", 0),              # 이 = "this", not a particle
    ("높습니다.[1] 수치는", 0), ("높습니다. [1]", 0),
    ("열이 납니다.[1] 도 단위로 잽니다.", 0),                      # after a sentence: 도 starts the next one
])
def test_spacing_around_placeholders_and_markers(msgstr, found):
    assert len(spacing_problems(msgstr)) == found


_PIECES = ["철분", "을", "는", "으로", "가", "AML", "mg", "10", "2.5", "%", " ", "  ", "\n", "\u00a0", "\t", "(", ")",
           "\u201c", "\u201d", '"', "'", "\u300d", "[1]", "<b>", "</b>", "-", "/", ",", "."]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_particle_pre_filter_answers_as_the_word_search(text):
    """The quick test before the analyser is asked (only segments after something other than a plain space, or
    at a tag or marker, can follow a word) agrees with the search for the word before every segment, on any mix
    of Hangul, Latin, spaces, quotes and marks."""
    reading = korean.read_msgstr(text, {})
    breaks = reading.breaks()
    assert korean.follows_some_word(reading) == \
        any(korean._words_before(reading.text, start, breaks) for start, _ in korean._segments(reading))


_PARTICLE_PIECES = [*_PIECES, "가지", "이면", "이라고", "이라든가", "를까지", "와", "과", "이나", "나", "라", "로", "B2M",
                    "ANC", "mL", "TIM-3", "안내서", "</a>", "[PM4]", "(Fe)", "는다"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PARTICLE_PIECES), max_size=12).map("".join), st.data())
def test_a_reading_the_analyser_is_not_asked_about_has_no_finding_whatever_it_would_say(text, data):
    """``could_disagree`` lets ko-particles skip the analyser; that is safe only if, for such a reading, no answer
    the analyser could give (any tags at any Hangul run, or none at all) makes a finding."""
    reading = korean.read_msgstr(text, {})
    if korean.could_disagree(reading):
        return
    starts = [start for start, _ in korean._segments(reading)]
    tags = st.dictionaries(st.sampled_from(starts), st.sampled_from(["JKS", "JKO", "JX", "VCP", "NNG"])) \
        if starts else st.just({})
    for offsets in (None, {}, dict.fromkeys(starts, "JKS"), dict.fromkeys(starts, "VCP"), data.draw(tags)):
        assert particle_problems(reading, offsets) == []


#: Hangul, spaces and punctuation that make no word before a particle; and what can: a Latin letter, a digit, a
#: unit sign, a quote or parenthesis that closes, a tag, marker or placeholder.
_PLAIN_PIECES = ["가", "나는", "이", "을", "으로", "은", "야", " ", ",", ".", "~", "-", "·", "(", "「", "\u3000", "１",
                 "\u0663", "ｍ", "é", "?", "…"]
_WORD_ENDS = ["A", "z", "1", "%", "％", "°", "µ", "/", "+", "\u2013", "\u301c", "\uff5e", ")", "\u201d", "'", "」",
              "<b>", "[1]", "{x}", "%s"]
_PLAIN = st.lists(st.sampled_from(_PLAIN_PIECES), max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(_PLAIN, st.sampled_from(["", *_WORD_ENDS]), st.sampled_from(["가", "을", "으로", "이라고"]), _PLAIN)
def test_a_msgstr_ko_particles_passes_over_has_no_particle_after_a_word(before, end, particle, after):
    """ko-particles passes over a msgstr without a character that could end a word it reads (plain Hangul and
    punctuation); that is safe only if no Hangul run of its reading follows such a word."""
    text = before + end + particle + after
    if korean._MAY_FOLLOW_A_WORD.search(text):
        return
    reading = korean.read_msgstr(text, {})
    breaks = reading.breaks()
    assert not any(korean._words_before(reading.text, start, breaks) for start, _ in korean._segments(reading))


def test_a_right_particle_after_a_term_is_checked_without_loading_the_analyser(tmp_path, monkeypatch):
    """Loading kiwipiepy takes about a second. Once a first check has kept its answers, an edited translation
    whose particle after a Latin term is right (AML을) is checked without it; a wrong one (AML를) still loads it
    and is found."""
    loaded = []
    real = korean.analyser

    def counted():
        loaded.append(True)
        return real()

    monkeypatch.setattr(korean, "analyser", counted)
    (tmp_path / "sample").mkdir()
    project = copy_project(tmp_path / "sample", with_outputs=True)
    assert run_cli(project, "check", "--jobs", "1", "--only", "ko-particles").exit_code == 0
    catalog = project / "locales" / "ko" / "ferritin-levels.po"
    sentence = "페리틴은 몸속에서 철을 보관하는"
    assert sentence in catalog.read_text(encoding="utf-8")
    for particle, exit_code in (("을", 0), ("를", 1)):
        loaded.clear()
        text = catalog.read_text(encoding="utf-8").replace(sentence, f"페리틴은 몸속에서 AML{particle} 보관하는")
        catalog.write_text(text.replace("AML을 보관하는", f"AML{particle} 보관하는"), encoding="utf-8")
        result = run_cli(project, "check", "--jobs", "1", "--only", "ko-particles")
        assert result.exit_code == exit_code, result.output
        assert bool(loaded) == (particle == "를")
    assert "wrong particle \u201c를\u201d in \u201cAML를\u201d" in result.output
