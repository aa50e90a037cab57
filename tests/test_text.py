"""Tests of the Hindi text layer: fold/normalize with offsets, sentence splitting, the spaCy pipeline."""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import text as T
from pipeline.text import (
    NormText,
    Sentence,
    fold,
    get_nlp,
    make_doc,
    normalize,
    phrase_matcher,
    split_sentences,
)

ZWJ, ZWNJ, BOM, SHY, NBSP, NUKTA = "\u200d", "\u200c", "\ufeff", "\u00ad", "\u00a0", "\u093c"

# --------------------------------------------------------------------------------------------------
# fold (existing behaviour) and normalize


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("हज़ार", "हजार"),
        ("ह\u091c\u093cार", "हजार"),  # decomposed nukta
        ("केन्द्र", "केंद्र"),
        ("सम्बन्ध", "संबंध"),
        ("पहुँचे", "पहुंचे"),
        ("२५३४", "2534"),
        ("डाॅ.", "डॉ."),
        ("आॅफिस", "ऑफिस"),
        ("  CoWIN\u00a0 पोर्टल ", "cowin पोर्टल"),
        ("टीका\u200dकरण", "टीकाकरण"),
        ("\u0929\u0928\u093c", "नन"),  # ऩ composed or not: nukta-free like the other nukta letters
    ],
)
def test_fold(raw: str, key: str) -> None:
    assert fold(raw) == key


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("हज़ार लोग", "हजार लोग"),
        ("ड़ ढ़ क़ ख़ ग़ ज़ फ़ य़", "ड ढ क ख ग ज फ य"),
        ("केन्द्रों पर", "केंद्रों पर"),
        ("पहुँचे", "पहुंचे"),
        ("१४६ केंद्र", "146 केंद्र"),
        ("डाॅ. सिंह", "डॉ. सिंह"),
        ("आॅनलाइन", "ऑनलाइन"),
        ("टीका\u200d\u200c\ufeff\u00adकरण", "टीकाकरण"),
        ("एक\u00a0\u00a0 दो\t\tतीन", "एक दो तीन"),
        ("  दो  ", " दो "),
        ("पहली पंक्ति\nदूसरी", "पहली पंक्ति\nदूसरी"),
        ("पहली\r\nदूसरी\rतीसरी\u2028चौथी", "पहली\nदूसरी\nतीसरी\nचौथी"),
        ("पहली  \n\n  दूसरी", "पहली \n\n दूसरी"),
        ("CoWIN App", "cowin app"),
        ("", ""),
    ],
)
def test_normalize_norm(raw: str, norm: str) -> None:
    nt = normalize(raw)
    assert nt.norm == norm
    assert nt.original == raw
    assert len(nt.index) == len(nt.norm) + 1
    assert nt.index[-1] == len(raw)


@pytest.mark.parametrize(
    ("raw", "phrase", "quote"),
    [
        ("कुल २७ हज़ार टीके", "27 हजार", "२७ हज़ार"),
        ("कुल २७ ह\u091c\u093cार टीके", "27 हजार", "२७ ह\u091c\u093cार"),
        ("सीएमएचओ डाॅ. रत्नेश ने", "डॉ. रत्नेश", "डाॅ. रत्नेश"),
        ("टीका\u200d\u200d लगा", "टीका", "टीका"),  # trailing ZWJ run not quoted
        ("कुल\u00a0\u00a0 146\u00a0केन्द्रों पर", "146 केंद्रों", "146\u00a0केन्द्रों"),
        ("कुल\u00a0\u00a0 146 केन्द्रों", "कुल 146", "कुल\u00a0\u00a0 146"),
        ("लोग पहुँचे थे", "पहुंचे", "पहुँचे"),
        ("\ufeffजबलपुर में", "जबलपुर", "जबलपुर"),  # leading BOM not quoted
        ("डोज़\u200c लगी", "डोज", "डोज़"),  # the nukta belongs to its letter, the ZWNJ does not
        ("यह CoWIN का सर्वर", "cowin", "CoWIN"),
        ("पहली\r\nदूसरी पंक्ति", "दूसरी", "दूसरी"),
        ("पहली\r\nदूसरी", "पहली\nदूसरी", "पहली\r\nदूसरी"),
        ("सम्बन्धित विभाग", "संबंधित", "सम्बन्धित"),
        ("ऑफिस आॅफिस", "ऑफिस ऑफिस", "ऑफिस आॅफिस"),
    ],
)
def test_to_original_quotes_what_was_written(raw: str, phrase: str, quote: str) -> None:
    nt = normalize(raw)
    i = nt.norm.index(phrase)
    a, b = nt.to_original(i, i + len(phrase))
    assert raw[a:b] == quote


def test_to_original_single_characters_and_empty_spans() -> None:
    raw = "ह\u200dज़ार\u00a0\u00a0टीके"
    nt = normalize(raw)
    assert nt.norm == "हजार टीके"
    assert [raw[slice(*nt.to_original(i, i + 1))] for i in range(4)] == ["ह", "ज़", "ा", "र"]
    space = nt.norm.index(" ")
    assert raw[slice(*nt.to_original(space, space + 1))] == NBSP
    assert nt.to_original(2, 2) == (nt.index[2], nt.index[2])
    assert nt.to_original(len(nt.norm), len(nt.norm)) == (len(raw), len(raw))
    with pytest.raises(ValueError):
        nt.to_original(3, 2)
    with pytest.raises(ValueError):
        nt.to_original(0, len(nt.norm) + 1)


def test_normalize_nfc_and_expanding_lower_keep_a_valid_index() -> None:
    raw = "Cafe\u0301 İstanbul"  # e + combining acute composes; İ lowers to two characters
    nt = normalize(raw)
    assert nt.norm == fold(raw)
    assert nt.norm.startswith("café ")
    i = nt.norm.index("i̇stanbul")
    a, b = nt.to_original(i, i + len("i̇stanbul"))
    assert raw[a:b] == "İstanbul"
    a, b = nt.to_original(0, 4)
    assert raw[a:b] == "Cafe\u0301"


def test_hardcoded_whitespace_classes_match_python() -> None:
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    breaks = {c for c in spaces if len(("a" + c + "b").splitlines()) == 2}
    assert set(T._LINE_BREAK_CHARS) == breaks
    assert set(T._HSPACE_CHARS) == spaces - breaks
    assert [chr(c) for c in range(0x110000) if len(chr(c).lower()) != 1] == ["\u0130"]


_DEVANAGARI = [chr(c) for c in range(0x0900, 0x0980)]
_TRICKY = [ZWJ, ZWNJ, BOM, SHY, NBSP, " ", "  ", "\t", "\u2009", "ाॅ", "आॅ", "न्द", "म्ब", "ँ", NUKTA, "क़", "ज़"]
_ALPHABET = st.sampled_from(
    [*_DEVANAGARI, *_TRICKY, "a", "B", "Σ", "İ", "é", "e\u0301", "0", "9", ".", ",", "-", ":", "।", "?", "…"]
)
single_line = st.lists(_ALPHABET, max_size=40).map("".join)
any_text = st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(single_line)
def test_normalize_agrees_with_fold(text: str) -> None:
    assert normalize(text).norm.strip() == fold(text)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_normalize_agrees_with_fold_on_any_single_line_unicode(text: str) -> None:
    text = "".join(" " if c in T._LINE_BREAK_CHARS else c for c in text)
    assert normalize(text).norm.strip() == fold(text)


def _assert_index_sound(nt: NormText) -> None:
    idx = nt.index
    assert len(idx) == len(nt.norm) + 1
    assert idx[-1] == len(nt.original)
    assert all(x <= y for x, y in itertools.pairwise(idx))
    assert all(0 <= x < len(nt.original) for x in idx[:-1])


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(single_line, any_text, st.lists(st.sampled_from([*_TRICKY, "\n", "\r\n", "क"])).map("".join))
)
def test_index_is_monotonic_and_in_range(text: str) -> None:
    _assert_index_sound(normalize(text))


@settings(max_examples=300, deadline=None)
@given(single_line, st.data())
def test_to_original_spans_are_ordered_and_non_empty(text: str, data: st.DataObject) -> None:
    nt = normalize(text)
    n = len(nt.norm)
    s = data.draw(st.integers(0, n))
    e = data.draw(st.integers(s, n))
    a, b = nt.to_original(s, e)
    assert 0 <= a <= b <= len(text)
    assert (a < b) == (s < e)
    if s < e:
        # tight: the quote neither starts nor ends with a removed character
        assert text[a] not in T._ZERO_WIDTH_CHARS
        assert text[b - 1] not in T._ZERO_WIDTH_CHARS
        assert not text[a].isspace() or nt.norm[s].isspace()
        assert not text[b - 1].isspace() or nt.norm[e - 1].isspace()


_WORDS = st.lists(
    st.lists(
        st.sampled_from(
            ["क", "ज़", "न्", "द", "ा", "ॅ", "आ", "ँ", "ि", "२", "ह", NUKTA, ZWJ, "म्", "ब", "C", "o"]
        ),
        min_size=1,
        max_size=6,
    ).map("".join),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.lists(st.sampled_from([" ", "  ", NBSP, " \u200d ", "\t"]), min_size=6, max_size=6))
def test_whole_words_map_back_to_their_spelling(words: list[str], seps: list[str]) -> None:
    text = "".join(w + sep for w, sep in zip(words, seps, strict=False)).rstrip()
    nt = normalize(text)
    for m in re.finditer(r"[^ ]+", nt.norm):
        a, b = nt.to_original(m.start(), m.end())
        assert fold(text[a:b]) == fold(m.group())


@pytest.mark.parametrize("text", ["ज़ड़ढ़फ़ क़ख़ग़य़", "टीका\u200dकरण\u200c\ufeff", "एक\u00a0दो", "ऩ ऱ ऴ", "डॉ. सिंह"])
def test_indic_nlp_normaliser_agrees_on_shared_transforms(text: str) -> None:
    assert normalize(text).norm == _indic_normalize(text)


def _indic_normalize(text: str) -> str:
    from indicnlp.normalize.indic_normalize import IndicNormalizerFactory

    normaliser = IndicNormalizerFactory().get_normalizer("hi", remove_nuktas=True)
    return re.sub(" +", " ", normaliser.normalize(text))


# Characters both normalisers treat alike (no pipes/colons/quotes, nasal clusters, chandras, digits).
_SHARED = st.sampled_from(
    [
        *"कखगजडढफयरलवसहािीुूेैोौं्",
        *"\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f\u0931\u0934",  # not ऩ: न् is a nasal cluster
        NUKTA,
        ZWJ,
        ZWNJ,
        BOM,
        SHY,
        NBSP,
        "a",
        "z",
        ".",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_SHARED, max_size=30).map("".join))
def test_indic_nlp_normaliser_agrees_property(text: str) -> None:
    assert normalize(text).norm == _indic_normalize(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_DEVANAGARI, *_TRICKY, "a", "B"]), max_size=30).map("".join))
def test_fold_is_idempotent_on_hindi(text: str) -> None:
    assert fold(fold(text)) == fold(text)


# --------------------------------------------------------------------------------------------------
# Sentences

SPLIT_CASES: list[tuple[str, list[str]]] = [
    # dandas and spacing around them
    ("टीका लगाया गया। लोग खुश थे।", ["टीका लगाया गया।", "लोग खुश थे।"]),
    ("टीका लगाया गया।लोग खुश थे।", ["टीका लगाया गया।", "लोग खुश थे।"]),
    ("टीका लगाया गया ।लोग खुश थे ।", ["टीका लगाया गया ।", "लोग खुश थे ।"]),
    ("पहला वाक्य।। दूसरा वाक्य।", ["पहला वाक्य।।", "दूसरा वाक्य।"]),
    ("पहला वाक्य॥ दूसरा वाक्य", ["पहला वाक्य॥", "दूसरा वाक्य"]),
    ("पहला वाक्य। । दूसरा वाक्य", ["पहला वाक्य। ।", "दूसरा वाक्य"]),
    ("टीके लगे | लोग खुश हुए |", ["टीके लगे |", "लोग खुश हुए |"]),
    ("क्या टीका सुरक्षित है? डॉक्टर ने कहा हां।", ["क्या टीका सुरक्षित है?", "डॉक्टर ने कहा हां।"]),
    ("सर्वर फिर डाउन! लोग लौट गए।", ["सर्वर फिर डाउन!", "लोग लौट गए।"]),
    ("क्या?! सच में ऐसा हुआ।", ["क्या?!", "सच में ऐसा हुआ।"]),
    ('उन्होंने कहा, "सभी टीका लगवाएं।" इसके बाद सभा हुई।', ['उन्होंने कहा, "सभी टीका लगवाएं।"', "इसके बाद सभा हुई।"]),
    # honorifics
    (
        "सीएमएचओ डॉ. रत्नेश कुररिया ने निरीक्षण किया। फिर बैठक हुई।",
        ["सीएमएचओ डॉ. रत्नेश कुररिया ने निरीक्षण किया।", "फिर बैठक हुई।"],
    ),
    ("सीएमएचओ डॉ रत्नेश ने बताया। टीके लगे।", ["सीएमएचओ डॉ रत्नेश ने बताया।", "टीके लगे।"]),
    ("प्राचार्य डाॅ. मुक्ता भटेले मौजूद रहीं।", ["प्राचार्य डाॅ. मुक्ता भटेले मौजूद रहीं।"]),
    ("डॉ.मुक्ता भटेले मौजूद रहीं। टीके लगे।", ["डॉ.मुक्ता भटेले मौजूद रहीं।", "टीके लगे।"]),
    ("डॉ0 अनिल सिंह ने टीका लगवाया. फिर भीड़ बढ़ी.", ["डॉ0 अनिल सिंह ने टीका लगवाया.", "फिर भीड़ बढ़ी."]),
    ("डा. अनिल सिंह ने टीका लगवाया. फिर भीड़ बढ़ी.", ["डा. अनिल सिंह ने टीका लगवाया.", "फिर भीड़ बढ़ी."]),
    ("प्रो. पीसी अग्रवाल को पहला टीका लगा।", ["प्रो. पीसी अग्रवाल को पहला टीका लगा।"]),
    ("इंजी. तरुण कुमार आनंद ने उद्घाटन किया. शिविर चला.", ["इंजी. तरुण कुमार आनंद ने उद्घाटन किया.", "शिविर चला."]),
    ("श्रीमती. रश्मि दिवाकर और श्री. संजय यादव आए।", ["श्रीमती. रश्मि दिवाकर और श्री. संजय यादव आए।"]),
    ("सु. नेहा और कु. प्रिया ने पंजीयन कराया।", ["सु. नेहा और कु. प्रिया ने पंजीयन कराया।"]),
    ("मो. इरफान ने बताया कि टीके लगे।", ["मो. इरफान ने बताया कि टीके लगे।"]),
    (
        "टीका लगाया गया. इंजी. आनंद ने कहा कि व्यवस्था अच्छी थी.",
        ["टीका लगाया गया.", "इंजी. आनंद ने कहा कि व्यवस्था अच्छी थी."],
    ),
    ("शिविर में नि:शुल्क टीके लगाए गए। अगला शिविर कल।", ["शिविर में नि:शुल्क टीके लगाए गए।", "अगला शिविर कल।"]),
    # initials and Devanagari abbreviations
    ("रेल अधिकारी एस.के. अलबेला ने व्यवस्था देखी।", ["रेल अधिकारी एस.के. अलबेला ने व्यवस्था देखी।"]),
    ("रेल अधिकारी एस. के. अलबेला ने व्यवस्था देखी।", ["रेल अधिकारी एस. के. अलबेला ने व्यवस्था देखी।"]),
    ("आई.के.शर्मा ने बताया कि सर्वर चला।", ["आई.के.शर्मा ने बताया कि सर्वर चला।"]),
    ("आई. के. शर्मा ने बताया. सर्वर चला.", ["आई. के. शर्मा ने बताया.", "सर्वर चला."]),
    ("आई. पी. सिंह ने बताया कि टीके लगे. शाम को भीड़ घटी.", ["आई. पी. सिंह ने बताया कि टीके लगे.", "शाम को भीड़ घटी."]),
    ("शा. उ.मा. विद्यालय में शिविर लगा।", ["शा. उ.मा. विद्यालय में शिविर लगा।"]),
    ("उ.मा.वि. परिसर में केंद्र बनाया गया।", ["उ.मा.वि. परिसर में केंद्र बनाया गया।"]),
    ("प्रा.स्वा.केंद्र में 50 टीके लगे. कल फिर लगेंगे.", ["प्रा.स्वा.केंद्र में 50 टीके लगे.", "कल फिर लगेंगे."]),
    ("वार्ड नं. 5 और क्र. 7 में शिविर लगा।", ["वार्ड नं. 5 और क्र. 7 में शिविर लगा।"]),
    ("रु. 500 शुल्क नहीं लिया गया।", ["रु. 500 शुल्क नहीं लिया गया।"]),
    ("जबलपुर (सं.)। टीके लगे।", ["जबलपुर (सं.)।", "टीके लगे।"]),
    ("वैक्सीन आई. इसके बाद टीके लगे.", ["वैक्सीन आई.", "इसके बाद टीके लगे."]),
    ("चेयरमैन वी.के. यादव ने बताया.", ["चेयरमैन वी.के. यादव ने बताया."]),
    ("उ.प्र. के 15 जिलों में शिविर लगे.", ["उ.प्र. के 15 जिलों में शिविर लगे."]),
    ("डब्ल्यू.एच.ओ. ने चेताया. सतर्क रहें.", ["डब्ल्यू.एच.ओ. ने चेताया.", "सतर्क रहें."]),
    ("फार्मा इंडस्ट्रीज लि. ने टीका बनाया.", ["फार्मा इंडस्ट्रीज लि. ने टीका बनाया."]),
    ("द. कोरिया में टीके लगे. भारत में भी.", ["द. कोरिया में टीके लगे.", "भारत में भी."]),
    ("भा.प्र.से. अधिकारी ने जांच की. फिर बैठक हुई.", ["भा.प्र.से. अधिकारी ने जांच की.", "फिर बैठक हुई."]),
    # numbers
    ("जिले में 19.45 लाख टीके लगे। इसके बाद", ["जिले में 19.45 लाख टीके लगे।", "इसके बाद"]),
    ("जिले में १९.४५ लाख टीके लगे.", ["जिले में १९.४५ लाख टीके लगे."]),
    ("सुबह 9.30 बजे से टीकाकरण शुरू हुआ।", ["सुबह 9.30 बजे से टीकाकरण शुरू हुआ।"]),
    ("शाम 5.30 बजे तक 200 टीके लगे. इसके बाद सर्वर बंद हुआ.", ["शाम 5.30 बजे तक 200 टीके लगे.", "इसके बाद सर्वर बंद हुआ."]),
    ("दिनांक 04.06.2021 को शिविर लगा।", ["दिनांक 04.06.2021 को शिविर लगा।"]),
    ("1. पहली डोज के 200 टीके लगे.", ["1. पहली डोज के 200 टीके लगे."]),
    ("टीके लगे जून 2021. इसके बाद सर्वर चला.", ["टीके लगे जून 2021.", "इसके बाद सर्वर चला."]),
    # Latin
    ("Dr. Sharma ने कहा कि टीका सुरक्षित है।", ["Dr. Sharma ने कहा कि टीका सुरक्षित है।"]),
    ("वार्ड No. 5 में शिविर लगा।", ["वार्ड No. 5 में शिविर लगा।"]),
    ("U.P. में टीकाकरण तेज हुआ। e.g. लखनऊ", ["U.P. में टीकाकरण तेज हुआ।", "e.g. लखनऊ"]),
    ("Dr. S. K. Albela ने बताया।", ["Dr. S. K. Albela ने बताया।"]),
    ("www.mohfw.gov.in पर जानकारी दी गई।", ["www.mohfw.gov.in पर जानकारी दी गई।"]),
    ("https://cowin.gov.in/?lang=hi पर पंजीयन करें।", ["https://cowin.gov.in/?lang=hi पर पंजीयन करें।"]),
    ("The portal crashed. People waited.", ["The portal crashed.", "People waited."]),
    # "." as the full stop
    ("टीका लगाया गया. लोग खुश थे.", ["टीका लगाया गया.", "लोग खुश थे."]),
    ("केंद्रों का निरीक्षण किया. इसके बाद बैठक हुई.", ["केंद्रों का निरीक्षण किया.", "इसके बाद बैठक हुई."]),
    ("टीका लगाया गया.इसके बाद बैठक हुई.", ["टीका लगाया गया.", "इसके बाद बैठक हुई."]),
    ("जिले में टीकाकरण महाअभियान. कल फिर शिविर.", ["जिले में टीकाकरण महाअभियान.", "कल फिर शिविर."]),
    ("भीड़ से बचें. मास्क पहनें.", ["भीड़ से बचें.", "मास्क पहनें."]),
    ("टीका लगवाने की अपील की. कल फिर शिविर लगेगा", ["टीका लगवाने की अपील की.", "कल फिर शिविर लगेगा"]),
    ("शिविर में भीड़ थी. टीके कम पड़े", ["शिविर में भीड़ थी.", "टीके कम पड़े"]),
    (
        "जिले के 146 केंद्रों पर टीकाकरण हुआ. डॉ. रत्नेश कुररिया ने बताया कि 22 हजार टीके लगे.",
        ["जिले के 146 केंद्रों पर टीकाकरण हुआ.", "डॉ. रत्नेश कुररिया ने बताया कि 22 हजार टीके लगे."],
    ),
    # ellipsis and truncation
    ("सर्वर डाउन होने से लोग परेशान रहे…", ["सर्वर डाउन होने से लोग परेशान रहे…"]),
    (
        "सर्वर डाउन होने से लोग परेशान रहे… दोपहर में पोर्टल चला।",
        ["सर्वर डाउन होने से लोग परेशान रहे…", "दोपहर में पोर्टल चला।"],
    ),
    ("लोगों ने कहा कि टीका लगवाएं... फिर आगे आएं।", ["लोगों ने कहा कि टीका लगवाएं...", "फिर आगे आएं।"]),
    ("27 हजार 200 टीकों का लक्ष्य था। अब तक 22 ला…", ["27 हजार 200 टीकों का लक्ष्य था।", "अब तक 22 ला…"]),
    ("टीकाकरण जारी है। अंतिम वाक्य बिना विराम", ["टीकाकरण जारी है।", "अंतिम वाक्य बिना विराम"]),
    # lines: headlines, bullets, stamps, blank lines
    (
        "जबलपुर: 146 केंद्रों पर टीकाकरण - सर्वर डाउन\nजबलपुर: 146 केंद्रों पर टीकाकरण - सर्वर डाउन\nडिजिटल डेस्क जबलपुर। गुरुवार को टीके लगे।",
        [
            "जबलपुर: 146 केंद्रों पर टीकाकरण - सर्वर डाउन",
            "जबलपुर: 146 केंद्रों पर टीकाकरण - सर्वर डाउन",
            "डिजिटल डेस्क जबलपुर।",
            "गुरुवार को टीके लगे।",
        ],
    ),
    (
        "वैक्सीन लगवाने पहुंचे लोग! सर्वर डाउन - मायूस लौटे\nवैक्सीन लगवाने पहुंचे लोग! सर्वर डाउन - मायूस लौटे\nटीके लगे।",
        ["वैक्सीन लगवाने पहुंचे लोग! सर्वर डाउन - मायूस लौटे"] * 2 + ["टीके लगे।"],
    ),
    ("क्या आपको टीका लगा? ऐसे करें पंजीयन\nटीके लगे।", ["क्या आपको टीका लगा? ऐसे करें पंजीयन", "टीके लगे।"]),
    (
        "* सर्वर डाउन होने से टीकाकरण प्रभावित\n* लोग घंटों इंतजार करते रहे",
        ["* सर्वर डाउन होने से टीकाकरण प्रभावित", "* लोग घंटों इंतजार करते रहे"],
    ),
    ("Created On : 04-Jun-2021 3:57 PM\nटीकाकरण हुआ।", ["Created On : 04-Jun-2021 3:57 PM", "टीकाकरण हुआ।"]),
    ("पहला वाक्य।\n\n\nदूसरा वाक्य।", ["पहला वाक्य।", "दूसरा वाक्य।"]),
    ("पहली पंक्ति\r\nदूसरी पंक्ति\r\n", ["पहली पंक्ति", "दूसरी पंक्ति"]),
    ("  \n  टीके लगे।  \n ", ["टीके लगे।"]),
    ("", []),
    ("   ", []),
    # odd characters stay in the original text
    ("टीका\u00a0लगाया गया।\u200d लोग खुश।", ["टीका\u00a0लगाया गया।", "लोग खुश।"]),
    ("\ufeffडाॅ.\u00a0सिंह ने टीका लगवाया।", ["डाॅ.\u00a0सिंह ने टीका लगवाया।"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT_CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_long_danda_free_line_is_split_on_question_marks() -> None:
    first = "क्या सभी केंद्रों पर टीका उपलब्ध है " * 8 + "?"
    line = first + " हां, सभी केंद्रों पर टीका उपलब्ध है"
    assert [s.text for s in split_sentences(line)] == [first, "हां, सभी केंद्रों पर टीका उपलब्ध है"]


def test_sentence_objects() -> None:
    text = "शीर्षक\nपहला वाक्य। दूसरा।"
    assert split_sentences(text) == [
        Sentence(0, 6, "शीर्षक"),
        Sentence(7, 18, "पहला वाक्य।"),
        Sentence(19, 25, "दूसरा।"),
    ]


_SENTENCE_ALPHABET = st.sampled_from(
    [
        "टीका",
        "लगा",
        "गया",
        "डॉ",
        "डाॅ",
        "एस",
        "के",
        "आई",
        "की",
        "19",
        "५",
        "Dr",
        "U",
        "P",
        " ",
        "  ",
        "\n",
        "\r\n",
        ".",
        "..",
        "।",
        "।।",
        "?",
        "!",
        "…",
        "|",
        ":",
        "-",
        '"',
        ")",
        "*",
        ZWJ,
        BOM,
        NBSP,
        NUKTA,
        "ज़",
        "न्द",
    ]
)


def _visible(c: str) -> bool:
    return not c.isspace() and fold(c) != ""


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(_SENTENCE_ALPHABET, max_size=50).map("".join), st.text(max_size=60)))
def test_sentences_cover_every_visible_character(text: str) -> None:
    sentences = split_sentences(text)
    covered = [False] * len(text)
    last_end = 0
    for s in sentences:
        assert last_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.text[0] not in T._ZERO_WIDTH_CHARS and s.text[-1] not in T._ZERO_WIDTH_CHARS
        covered[s.start : s.end] = [True] * (s.end - s.start)
        last_end = s.end
    missing = [(i, c) for i, c in enumerate(text) if _visible(c) and not covered[i]]
    assert missing == []


@settings(max_examples=200, deadline=None)
@given(st.lists(_SENTENCE_ALPHABET, max_size=50).map("".join))
def test_no_sentence_crosses_a_line_break(text: str) -> None:
    for s in split_sentences(text):
        assert not any(c in T._LINE_BREAK_CHARS for c in s.text)


# --------------------------------------------------------------------------------------------------
# abbreviations.toml

DATA = Path(T.__file__).with_name("data") / "abbreviations.toml"


def _data() -> dict[str, dict[str, list[str]]]:
    with DATA.open("rb") as fh:
        return tomllib.load(fh)


def test_abbreviations_file_shape() -> None:
    data = _data()
    assert set(data) == {"abbreviations", "sentence_final", "tokens"}
    assert set(data["abbreviations"]) == {"honorifics", "devanagari", "latin"}
    assert set(data["sentence_final"]) == {"words"}
    assert set(data["tokens"]) == {"colon_words"}
    lists = [*data["abbreviations"].values(), *data["sentence_final"].values(), *data["tokens"].values()]
    for words in lists:
        assert words, "empty list"
        assert all(isinstance(w, str) and w and w == w.strip() and " " not in w for w in words)
        assert len({fold(w) for w in words}) == len(words), "duplicates (after folding)"


def test_abbreviation_lists_are_consistent() -> None:
    data = _data()
    abbr = data["abbreviations"]
    all_abbr = [fold(w) for key in ("honorifics", "devanagari", "latin") for w in abbr[key]]
    assert len(set(all_abbr)) == len(all_abbr), "an abbreviation listed twice"
    assert all(not w.endswith(".") for w in all_abbr)
    assert all(re.fullmatch("[a-z]+", w) for w in abbr["latin"])
    dev = re.compile("[\u0900-\u0963\u0970-\u097f]+")
    assert all(dev.fullmatch(w) for w in abbr["honorifics"] + abbr["devanagari"])
    final = [fold(w) for w in data["sentence_final"]["words"]]
    assert set(final).isdisjoint(all_abbr)
    # longer words end sentences anyway: the list is only for the short ones
    assert all(dev.fullmatch(w) and len(w) <= 2 for w in final)
    assert all(":" in w for w in data["tokens"]["colon_words"])


# --------------------------------------------------------------------------------------------------
# spaCy


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("सीएमएचओ डॉ. रत्नेश", ["सीएमएचओ", "डॉ.", "रत्नेश"]),
        ("डॉ रत्नेश", ["डॉ", "रत्नेश"]),
        ("डाॅ. रत्नेश", ["डाॅ.", "रत्नेश"]),
        ("डॉ0 सिंह और डॉ० वर्मा", ["डॉ0", "सिंह", "और", "डॉ०", "वर्मा"]),
        ("डा0 सिंह", ["डा0", "सिंह"]),
        ("प्रो. अग्रवाल", ["प्रो.", "अग्रवाल"]),
        ("इंजी. आनंद", ["इंजी.", "आनंद"]),
        ("श्री. यादव और श्रीमती. दिवाकर", ["श्री.", "यादव", "और", "श्रीमती.", "दिवाकर"]),
        ("नि:शुल्क टीकाकरण", ["नि:शुल्क", "टीकाकरण"]),
        ("(डॉ. सिंह)", ["(", "डॉ.", "सिंह", ")"]),
        ("डॉ.मुक्ता भटेले", ["डॉ.", "मुक्ता", "भटेले"]),
        ("27 हजार 200 टीके।", ["27", "हजार", "200", "टीके", "।"]),
        ("3,60,075 लोग", ["3,60,075", "लोग"]),
    ],
)
def test_tokenizer(text: str, tokens: list[str]) -> None:
    assert [t.text for t in make_doc(text)] == tokens


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("अस्सी", True),
        ("हजार", True),
        ("हज़ार", True),
        ("ह\u091c\u093cार", True),
        ("डेढ़", True),
        ("ढाई", True),
        ("लाख", True),
        ("करोड़", True),
        ("२५३४", True),
        ("3,60,075", True),
        ("19.45", True),
        ("27", True),
        ("1/2", True),
        ("टीके", False),
        ("डॉ.", False),
        ("वर्ष", False),
        (",", False),
        ("5:40", False),
        ("पहली", False),
    ],
)
def test_like_num(word: str, expected: bool) -> None:
    doc = make_doc(word)
    assert len(doc) == 1
    assert doc[0].like_num is expected


def test_norm_is_fold() -> None:
    doc = make_doc("टीकाकरण केन्द्र पर हज़ार लोग पहुँचे CoWIN डाॅ. २५")
    assert [t.norm_ for t in doc] == [fold(t.text) for t in doc]


def test_phrase_matcher_matches_spelling_variants() -> None:
    matcher = phrase_matcher(["टीकाकरण केंद्र", "CoWIN"], "SITE")
    for text in ["नए टीकाकरण केन्द्र पर", "नए टीकाकरण केंद्र पर", "नए टीकाकरण  केन्द्र पर", "कोई cowin", "कोई COWIN"]:
        doc = make_doc(normalize(text).norm)
        assert len(matcher(doc)) == 1, text
    raw = make_doc("नए टीकाकरण केन्द्र पर")  # NORM folds even without normalize()
    assert [raw[s:e].text for _, s, e in matcher(raw)] == ["टीकाकरण केन्द्र"]
    assert matcher(make_doc("टीकाकरण शिविर")) == []


def test_phrase_matcher_without_terms_matches_nothing() -> None:
    assert phrase_matcher([], "NONE")(make_doc("टीकाकरण केंद्र")) == []


def test_nlp_is_cached_blank_and_leaves_spacy_defaults_alone() -> None:
    nlp = get_nlp()
    assert nlp is get_nlp()
    assert nlp.lang == "hi"
    assert nlp.pipe_names == []
    fresh = spacy.blank("hi")
    assert fresh("हजार")[0].like_num is False  # spaCy's own Hindi list still lacks हजार


def test_normalize_is_stable_on_unicode_nfc() -> None:
    text = "क़\u093c"  # precomposed nukta letter plus a stray nukta
    assert unicodedata.is_normalized("NFC", normalize(text).norm)
    assert normalize(text).norm == "क"
