"""How Korean reads what is not Hangul, and which particle form follows a sound: the rules of ``ko-particles``.

A Korean particle has two forms chosen by the sound it follows (은/는, 이/가, 을/를, 과/와, 이나/나,
이라/라, 아/야: the first after a final consonant, the second after a vowel; 으로/로: 로 after a vowel *or* ㄹ).
Before a Latin term, a number or a unit the sound is the one of its Korean reading:

- **Latin letters** of an abbreviation (all capitals: ``AML``, ``B2M``): the letter names, 에이 비 씨 디 이 에프
  지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 더블유 엑스 와이 지(제트). Only L, R (ㄹ),
  M and N end in a consonant. A word in lower or mixed case (``Library``, ``mRNA``) has no reading here: it is
  not checked.
- **Numbers**: Sino-Korean (1 일, 3 삼, 10 십, 100 백, 1,000 천, 10,000 만); the last sound is the one of the
  lowest non-zero place (1,500 천오백 -> 백). Decimals end on their last digit (2.5 이점오).
- **A number inside a term** (``TIM-3``, ``IL-6``, ``COVID-19``) is read in Sino-Korean *or* in English
  (삼 / 쓰리): both are heard, so a particle that fits either reading is accepted (below 100; above, Sino-Korean).
- **Abbreviations said as words** (``SAID_AS_WORDS``: PET 펫, LASIK 라식, AIDS 에이즈 ...): either reading.
- **Units** after a number (or alone, when spelled in lower case, or after ``/``): mg 밀리그램, g 그램, kg 킬로그램,
  mcg/µg 마이크로그램, ng 나노그램, mL 밀리리터, dL 데시리터, L 리터, cm 센티미터, mm 밀리미터, kcal 킬로칼로리,
  mmol 밀리몰, nmol 나노몰, IU 아이유, % 퍼센트, °C/°F 도, h 시간, min 분 ...; ``ng/mL`` is read by its last unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VOWEL, RIEUL, CONSONANT = "vowel", "ㄹ", "consonant"

LETTERS = {
    "A": "에이", "B": "비", "C": "씨", "D": "디", "E": "이", "F": "에프", "G": "지", "H": "에이치", "I": "아이",
    "J": "제이", "K": "케이", "L": "엘", "M": "엠", "N": "엔", "O": "오", "P": "피", "Q": "큐", "R": "알",
    "S": "에스", "T": "티", "U": "유", "V": "브이", "W": "더블유", "X": "엑스", "Y": "와이", "Z": "지",
}
#: Abbreviations also said as words: both readings are heard, a particle may fit either (PET 피이티 / 펫).
SAID_AS_WORDS = {
    "PET": "펫", "LASIK": "라식", "AIDS": "에이즈", "SARS": "사스", "MERS": "메르스", "COVID": "코비드",
    "ELISA": "엘라이자", "CAR": "카", "WHO": "후", "NICE": "나이스",
}
#: Units read the same wherever they stand (their spelling is no abbreviation's).
UNITS = {
    "mg": "밀리그램", "g": "그램", "kg": "킬로그램", "mcg": "마이크로그램", "µg": "마이크로그램", "μg": "마이크로그램",
    "ng": "나노그램", "pg": "피코그램", "mL": "밀리리터", "ml": "밀리리터", "dL": "데시리터", "dl": "데시리터",
    "µL": "마이크로리터", "μL": "마이크로리터", "fL": "펨토리터", "cm": "센티미터", "mm": "밀리미터",
    "km": "킬로미터", "kcal": "킬로칼로리", "cal": "칼로리", "mmol": "밀리몰", "nmol": "나노몰",
    "µmol": "마이크로몰", "μmol": "마이크로몰", "mol": "몰", "mmHg": "밀리미터수은주", "mEq": "밀리당량",
    "%": "퍼센트", "％": "퍼센트", "°C": "도", "°F": "도", "℃": "도", "℉": "도", "h": "시간", "hr": "시간",
    "min": "분", "sec": "초", "bpm": "비피엠",
}
#: Units that are also letters or words: a unit only after a number or a ``/``.
UNITS_AFTER_NUMBER = {"L": "리터", "l": "리터", "IU": "아이유", "m": "미터", "s": "초", "U": "유닛"}

_SINO_DIGITS = "영일이삼사오육칠팔구"
_SMALL_PLACES = ("", "십", "백", "천")
_LARGE_PLACES = ("", "만", "억", "조", "경")
_EN_ONES = ["제로", "원", "투", "쓰리", "포", "파이브", "식스", "세븐", "에잇", "나인", "텐", "일레븐", "트웰브",
            "서틴", "포틴", "피프틴", "식스틴", "세븐틴", "에이틴", "나인틴"]
_EN_TENS = {2: "트웬티", 3: "서티", 4: "포티", 5: "피프티", 6: "식스티", 7: "세븐티", 8: "에이티", 9: "나인티"}

#: (form after a consonant, form after a vowel); 으로/로 takes 로 after ㄹ too.
PAIRS: tuple[tuple[str, str], ...] = (
    ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이나", "나"), ("이라", "라"),
    ("이란", "란"), ("아", "야"),
)
#: What may follow a particle inside the same word (으로 + 는 = 으로는), for the check without the analyser.
_TAILS = {
    "과": ("", "의", "는", "도", "만"), "으로": ("", "는", "도", "서", "써", "서는", "부터", "의", "만"),
    "이나": ("", "마"), "이라": ("", "고", "는", "도", "면", "서", "고도", "고는"),
}
_UNIT_END = re.compile(r"\d\s?(" + "|".join(sorted(map(re.escape, {**UNITS, **UNITS_AFTER_NUMBER}),
                                                key=len, reverse=True)) + r")$")


@dataclass(frozen=True, slots=True)
class Particle:
    """A particle form as written, with its pair."""

    written: str                  #: the form written (를)
    pair: tuple[str, str]         #: (after a consonant, after a vowel)

    def right_after(self, sound: str) -> str:
        """The form that follows a final sound (VOWEL, RIEUL, CONSONANT)."""
        consonant_form, vowel_form = self.pair
        if sound == VOWEL or (sound == RIEUL and consonant_form == "으로"):
            return vowel_form
        return consonant_form


def _chains() -> dict[str, Particle]:
    chains: dict[str, Particle] = {}
    for pair in PAIRS:
        for form in pair:
            base = pair[0]
            for tail in _TAILS.get(base, ("",)):
                chains.setdefault(form + tail, Particle(form, pair))
    return chains


#: Every word-final string the check reads as a particle without the analyser (을, 으로는, 라고 ...).
CHAINS = _chains()
_FORMS = sorted({form for pair in PAIRS for form in pair}, key=len, reverse=True)


def particle_chain(hangul: str) -> Particle | None:
    """The particle that a whole Hangul run is (를, 으로는, 이라고), or None when the run is more than that."""
    return CHAINS.get(hangul)


def particle_prefix(hangul: str) -> Particle | None:
    """The particle form a Hangul run starts with (longest first), whatever follows it."""
    for form in _FORMS:
        if hangul.startswith(form):
            return next(Particle(form, pair) for pair in PAIRS if form in pair)
    return None


def syllable_sound(syllable: str) -> str | None:
    """VOWEL, RIEUL or CONSONANT: how a Hangul syllable ends; None for anything else."""
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return None
    final = code % 28
    return VOWEL if final == 0 else RIEUL if final == 8 else CONSONANT


def sino_korean(number: str) -> str:
    """The Sino-Korean reading of a number as written (``1,500`` 천오백, ``2.5`` 이점오, ``0`` 영)."""
    whole, _, fraction = number.replace(",", "").partition(".")
    value = int(whole or "0")
    if value == 0:
        words = "영"
    else:
        groups: list[str] = []
        place = 0
        while value:
            value, group = divmod(value, 10000)
            if group:
                text = ""
                for index, digit in enumerate(reversed(f"{group}")):
                    if digit != "0":
                        text = ("" if digit == "1" and index else _SINO_DIGITS[int(digit)]) + \
                            _SMALL_PLACES[index] + text
                groups.insert(0, ("" if text == "일" and place == 1 else text) + _LARGE_PLACES[place])
            place += 1
        words = "".join(groups)
    return words + ("점" + "".join(_SINO_DIGITS[int(d)] for d in fraction) if fraction else "")


def english_number(number: str) -> str | None:
    """The English reading, in Hangul, of a whole number below 100 (3 쓰리, 19 나인틴); None otherwise."""
    if not number.isdigit() or int(number) >= 100:
        return None
    value = int(number)
    if value < 20:
        return _EN_ONES[value]
    tens, ones = divmod(value, 10)
    return _EN_TENS[tens] + (_EN_ONES[ones] if ones else "")


def readings(word: str, *, after_number: bool = False) -> tuple[str, ...]:
    """The Korean readings of a Latin term, number or unit as it stands before a particle; empty when unknown.

    ``after_number``: the word follows a number (``10 mg``), so ``L`` and ``IU`` are units.
    """
    word = re.split(r"[~\u2013\u301c\uff5e]", word)[-1].strip("-+'")
    if not word:
        return ()
    if "/" in word:
        last = word.rsplit("/", 1)[1]
        unit = UNITS.get(last) or UNITS_AFTER_NUMBER.get(last)
        return (unit,) if unit else readings(last) if last else ()
    if word in UNITS:
        return (UNITS[word],)
    if after_number and word in UNITS_AFTER_NUMBER:
        return (UNITS_AFTER_NUMBER[word],)
    if (unit_end := _UNIT_END.search(word)) is not None:
        unit = unit_end[1]
        return (UNITS.get(unit) or UNITS_AFTER_NUMBER[unit],)
    return _term_readings(word)


def _term_readings(word: str) -> tuple[str, ...]:
    """Readings of an abbreviation or number, run by run (B2M 비투엠, TIM-3 티아이엠삼 / 티아이엠쓰리)."""
    if word in SAID_AS_WORDS:
        return ("".join(LETTERS[c] for c in word), SAID_AS_WORDS[word])
    parts = re.findall(r"[A-Za-z]+|\d[\d,]*(?:\.\d+)?|.", word)
    has_letters = any(p.isascii() and p.isalpha() for p in parts)
    spoken = ""
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part.isascii() and part.isalpha():
            if not part.isupper():
                if last:
                    return ()
                spoken += part
            else:
                spoken += "".join(LETTERS[c] for c in part)
        elif part[0].isdigit():
            english = english_number(part) if has_letters else None
            if last:
                return (spoken + sino_korean(part),) + ((spoken + english,) if english else ())
            spoken += english or sino_korean(part)
        elif last:
            return ()
    return (spoken,) if spoken else ()
