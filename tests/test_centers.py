"""Tests of the `center` extractor (extractors/centers.py) and its vocabulary (extractors/data/centers.toml).

All example sentences are written for these tests (not taken from the corpus or the seed report).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from extractors.centers import extract
from extractors.common import DATA
from extractors.context import build_document
from pipeline.parse import article_from_text
from pipeline.text import fold

HEADLINE = "जिले में टीकाकरण अभियान जारी"
SEED = Path("/work/shared/seed/bhaskarhindi-jabalpur-2021-06-04.txt")


def _facts(body: str, headline: str = HEADLINE) -> list[dict[str, Any]]:
    return extract(build_document(article_from_text(f"{headline}\n{body}")))


def _centers(body: str) -> list[tuple[str, str | None]]:
    return [(f["name"], f["organizer"]) for f in _facts(body)]


# ---------------------------------------------------------------------------------------- name spans
NAMED = [
    # ‹Org› द्वारा ‹Place› स्थित ‹Site› में … शिविर आयोजित
    (
        "भोपाल। लायंस क्लब भोपाल सेंट्रल द्वारा गांधी नगर स्थित सरस्वती शिशु मंदिर में नि:शुल्क टीकाकरण शिविर"
        " आयोजित किया गया।",
        [("सरस्वती शिशु मंदिर", "लायंस क्लब भोपाल सेंट्रल")],
    ),
    # ‹Org› के द्वारा ‹Site› में: "के" is stripped from the organizer
    ("आर्य समाज के द्वारा दयानंद धर्मशाला में वैक्सीनेशन कैंप लगाया गया।", [("दयानंद धर्मशाला", "आर्य समाज")]),
    # ‹Site› में ‹Org› की ओर से
    (
        "माहेश्वरी महिला मंडल की ओर से माहेश्वरी भवन में टीकाकरण शिविर लगाया गया।",
        [("माहेश्वरी भवन", "माहेश्वरी महिला मंडल")],
    ),
    (
        "शहर के गोल बाजार स्थित लक्ष्मी धर्मशाला में अग्रवाल युवा संघ द्वारा आयोजित शिविर में 320 लोगों ने टीका लगवाया।",
        [("लक्ष्मी धर्मशाला", "अग्रवाल युवा संघ")],
    ),
    # a time phrase between the organizer and the site
    (
        "सिंधी सेवा समिति द्वारा रविवार (11 जुलाई) को झूलेलाल मंदिर में टीकाकरण शिविर लगाया गया।",
        [("झूलेलाल मंदिर", "सिंधी सेवा समिति")],
    ),
    # ‹Dept› के सहयोग से is help, not organisation
    ("जिला स्वास्थ्य विभाग के सहयोग से महर्षि विद्या मंदिर में शिविर लगाया गया।", [("महर्षि विद्या मंदिर", None)]),
    ("श्रीनगर के राजकीय इंटर कॉलेज में व्यापार मंडल के सहयोग से कैंप लगाया गया।", [("राजकीय इंटर कॉलेज", None)]),
    # a body as ने-subject arranging the camp; a party unit
    (
        "पतंजलि योग समिति ने शनिवार को आर्य कन्या महाविद्यालय में टीकाकरण कैंप आयोजित किया।",
        [("आर्य कन्या महाविद्यालय", "पतंजलि योग समिति")],
    ),
    ("भाजपा युवा मोर्चा ने वार्ड 12 के राम मंदिर में टीकाकरण शिविर लगाया।", [("राम मंदिर", "भाजपा युवा मोर्चा")]),
    # headline-style "‹Org› ने … सेंटर बढ़ाए": every listed site
    (
        "नगर निगम ने अंबेडकर भवन और तुलसी मानस भवन में टीकाकरण सेंटर बढ़ाए।",
        [("अंबेडकर भवन", "नगर निगम"), ("तुलसी मानस भवन", "नगर निगम")],
    ),
    # an official's action is no organisation
    ("विधायक ने सामुदायिक भवन बरेला में लगे कैंप का शुभारंभ किया।", [("सामुदायिक भवन बरेला", None)]),
    # ‹Site› में (नि:शुल्क) टीकाकरण शिविर/कैंप, after a time word
    ("डॉ. भीमराव अंबेडकर भवन में मंगलवार को टीकाकरण शिविर लगा।", [("डॉ. भीमराव अंबेडकर भवन", None)]),
    (
        "गुरुवार को रानी दुर्गावती महिला महाविद्यालय में 18 प्लस के लिए विशेष सत्र आयोजित हुआ।",
        [("रानी दुर्गावती महिला महाविद्यालय", None)],
    ),
    ("वहीं जवाहर नवोदय विद्यालय में छात्रों को टीके लगे।", [("जवाहर नवोदय विद्यालय", None)]),
    ("इसी प्रकार नेहरू युवा केंद्र भवन में 150 लोगों को टीका लगा।", [("नेहरू युवा केंद्र भवन", None)]),
    ("सबसे ज्यादा 600 टीके सीएचसी शहपुरा में लगे।", [("सीएचसी शहपुरा", None)]),
    ("जिला अस्पताल में सुबह 9 बजे से टीकाकरण शुरू हुआ।", [("जिला अस्पताल", None)]),
    ("कोरल मॉल में आज 18 प्लस के लिए वैक्सीनेशन कैंप लगा।", [("कोरल मॉल", None)]),
    # apposition "टीकाकरण केन्द्र ‹Site›" drops the generic lead; dots of उ.मा. stay in the name
    (
        "टीकाकरण केन्द्र शासकीय उ.मा. विद्यालय रामपुर में 300 लोगों को टीका लगा।",
        [("शासकीय उ.मा. विद्यालय रामपुर", None)],
    ),
    # a trailing locality or number after the type is part of the name
    ("उप स्वास्थ्य केंद्र कुंडम में 120 टीके लगे।", [("उप स्वास्थ्य केंद्र कुंडम", None)]),
    (
        "ग्राम पंचायत भवन सिहोरा में शिविर लगाकर 200 ग्रामीणों को टीका लगाया गया।",
        [("ग्राम पंचायत भवन सिहोरा", None)],
    ),
    ("शासकीय कन्या उमावि क्रमांक 1 में 800 लोगों को टीका लगा।", [("शासकीय कन्या उमावि क्रमांक 1", None)]),
    ("ग्राम पंचायत खमरिया में लगे शिविर में 90 लोगों को टीका लगा।", [("ग्राम पंचायत खमरिया", None)]),
    # ‹Village› (गांव) के टीकाकरण केंद्र: the village is the name
    (
        "निवाड़ी ब्लॉक के खजुरिया कलां गांव के टीकाकरण केंद्र पर सुबह से भीड़ रही।",
        [("खजुरिया कलां", None)],
    ),
    # ‹Locality› के ‹Building›: the building; a bare type keeps its locality
    ("मंडला के शासकीय उत्कृष्ट विद्यालय में बने केंद्र पर 400 टीके लगे।", [("शासकीय उत्कृष्ट विद्यालय", None)]),
    (
        "बरगी के सामुदायिक स्वास्थ्य केंद्र में 450 लोगों को टीका लगा।",
        [("बरगी के सामुदायिक स्वास्थ्य केंद्र", None)],
    ),
    # descriptive "‹Landmark› के पास ‹Building›" and "‹Place› स्थित ‹bare type›" keep their span
    (
        "विवेकानंद पार्क के पास सामुदायिक भवन में कैंप लगाया गया, जहां 300 लोगों को टीका लगा।",
        [("विवेकानंद पार्क के पास सामुदायिक भवन", None)],
    ),
    (
        "कांग्रेस सेवादल द्वारा बुधवार को मालवीय चौक स्थित गुरुद्वारा में कैंप लगाया गया।",
        [("मालवीय चौक स्थित गुरुद्वारा", "कांग्रेस सेवादल")],
    ),
    # lists: "A, B, C सहित कुल N केन्द्रों"
    (
        "जिले में नेहरू स्टेडियम, आदर्श कन्या विद्यालय, गुरु नानक धर्मशाला सहित कुल 64 केन्द्रों पर टीके लगाए गए।",
        [("नेहरू स्टेडियम", None), ("आदर्श कन्या विद्यालय", None), ("गुरु नानक धर्मशाला", None)],
    ),
    # "A, B आदि केंद्रों का निरीक्षण"
    (
        "कलेक्टर ने सिविल अस्पताल पिपरिया, केशव सदन आदि केंद्रों का निरीक्षण किया।",
        [("सिविल अस्पताल पिपरिया", None), ("केशव सदन", None)],
    ),
    # "इन नए केंद्रों में A, …, D शामिल हैं"
    (
        "इन नए केंद्रों में महावीर भवन, सेंट जोसेफ स्कूल, कृषि उपज मंडी और रेलवे हॉस्पिटल शामिल हैं।",
        [("महावीर भवन", None), ("सेंट जोसेफ स्कूल", None), ("कृषि उपज मंडी", None), ("रेलवे हॉस्पिटल", None)],
    ),
    # a list under one context, with a locality between items and a headless item
    (
        "जिले में 200 केंद्रों पर टीका लगा। इसी प्रकार मानस भवन, रानीताल खेल परिसर तथा विक्टोरिया अस्पताल में भी भीड़ रही।",
        [("मानस भवन", None), ("रानीताल खेल परिसर", None), ("विक्टोरिया अस्पताल", None)],
    ),
    (
        "एम्स और मेडिकल कॉलेज अस्पताल के टीकाकरण केंद्रों पर भीड़ रही।",
        [("एम्स", None), ("मेडिकल कॉलेज अस्पताल", None)],
    ),
    (
        "पीएचसी बघराजी और उप स्वास्थ्य केंद्र पौड़ी कला के टीकाकरण केंद्रों पर भी टीके लगे।",
        [("पीएचसी बघराजी", None), ("उप स्वास्थ्य केंद्र पौड़ी कला", None)],
    ),
    (
        "उन्होंने बताया कि एनएससीबी, विक्टोरिया अस्पताल और रांझी अस्पताल में बूस्टर डोज के विशेष काउंटर रहेंगे।",
        [("एनएससीबी", None), ("विक्टोरिया अस्पताल", None), ("रांझी अस्पताल", None)],
    ),
    # "‹A› और ‹B› को मेगा सेंटर बनाया गया", a headless site after an organizer
    (
        "मानस भवन और कल्चरल स्ट्रीट को मेगा सेंटर बनाया गया है। नगर निगम द्वारा कल्चरल स्ट्रीट में ड्राइव-थ्रू"
        " केंद्र भी बनाया जाएगा।",
        [("मानस भवन", None), ("कल्चरल स्ट्रीट", "नगर निगम")],
    ),
    ("रोटरी क्लब द्वारा गांधी चौक में वैक्सीनेशन कैंप लगाया गया।", [("गांधी चौक", "रोटरी क्लब")]),
    # "‹Name› (स्थित टीकाकरण) केंद्र का निरीक्षण"
    ("डीएम ने शाम 5 बजे महिला चिकित्सालय स्थित टीकाकरण केंद्र का जायजा लिया।", [("महिला चिकित्सालय", None)]),
    (
        "जिले में 15 केंद्रों पर टीका लगा। इनमें एमएलबी स्कूल, सेंट्रल एकेडमी और होम साइंस कॉलेज के केंद्र प्रमुख रहे।",
        [("एमएलबी स्कूल", None), ("सेंट्रल एकेडमी", None), ("होम साइंस कॉलेज", None)],
    ),
    # a bare "स्कूल परिसर" refers back to the named school
    (
        "इधर, सेंट अलॉयसियस स्कूल प्रबंधन द्वारा स्कूल परिसर में शिविर आयोजित कर 140 अभिभावकों को टीका लगाया गया।",
        [("सेंट अलॉयसियस स्कूल", "सेंट अलॉयसियस स्कूल प्रबंधन")],
    ),
    # a generic lead or an action noun before the name is not part of it
    ("जिले के सबसे बड़े केंद्र जिला अस्पताल में 900 डोज लगीं।", [("जिला अस्पताल", None)]),
    ("शिविर का आयोजन मानस भवन में किया गया।", [("मानस भवन", None)]),
    (
        "नगर के शासकीय बालक उच्चतर माध्यमिक विद्यालय क्रमांक 2 में बनाए गए केंद्र पर 600 लोगों ने टीका लगवाया।",
        [("शासकीय बालक उच्चतर माध्यमिक विद्यालय क्रमांक 2", None)],
    ),
    ("आंगनवाड़ी केंद्र क्रमांक 5 में गर्भवती महिलाओं को टीके लगे।", [("आंगनवाड़ी केंद्र क्रमांक 5", None)]),
    ("प्राथमिक शाला भवन रैपुरा में टीकाकरण सत्र आयोजित हुआ।", [("प्राथमिक शाला भवन रैपुरा", None)]),
    ("हेल्थ एंड वेलनेस सेंटर पिपरिया में 80 लोगों को टीका लगा।", [("हेल्थ एंड वेलनेस सेंटर पिपरिया", None)]),
    ("कलेक्ट्रेट परिसर में कर्मचारियों के लिए टीकाकरण शिविर लगाया गया।", [("कलेक्ट्रेट परिसर", None)]),
    # a bare or weakly named type keeps "‹Place› के"
    ("रांझी के शासकीय अस्पताल में 200 लोगों को टीका लगा।", [("रांझी के शासकीय अस्पताल", None)]),
    ("ग्राम बिलहरी के आंगनवाड़ी केंद्र में 60 लोगों को टीका लगा।", [("बिलहरी के आंगनवाड़ी केंद्र", None)]),
    ("आज से विजय नगर के मैरिज गार्डन में टीका लगेगा।", [("विजय नगर के मैरिज गार्डन", None)]),
    # quotes and a parenthetical between the name and its context
    ("‘आशा सदन’ में 120 लोगों को टीका लगाया गया।", [("आशा सदन", None)]),
    ("जिला अस्पताल (विक्टोरिया) में 300 टीके लगे।", [("जिला अस्पताल", None)]),
    # "के तत्वावधान में" names the organizer
    (
        "जैन सोशल ग्रुप के तत्वावधान में तरण तारण भवन में टीकाकरण शिविर आयोजित हुआ।",
        [("तरण तारण भवन", "जैन सोशल ग्रुप")],
    ),
    (
        "सिविल सर्जन ने बताया कि शहर के प्रमुख टीकाकरण केंद्र सदर अस्पताल, रेड क्रॉस भवन और टाउन हॉल रहे।",
        [("सदर अस्पताल", None), ("रेड क्रॉस भवन", None), ("टाउन हॉल", None)],
    ),
    # the vaccination words may stand in the previous sentence of the paragraph
    (
        "जिले में प्रिकॉशन डोज की शुरुआत हुई। सुभद्रा नर्सिंग होम और माधव अस्पताल में अलग कतारें बनाई गईं।",
        [("सुभद्रा नर्सिंग होम", None), ("माधव अस्पताल", None)],
    ),
    # Latin-derived words and initials
    ("डब्ल्यूसीआर हॉस्पिटल में रेल कर्मियों को टीके लगे।", [("डब्ल्यूसीआर हॉस्पिटल", None)]),
    ("एसजी जैन कन्या शाला भवन में 230 डोज लगीं।", [("एसजी जैन कन्या शाला भवन", None)]),
    # an official arriving: "‹Site› पहुंचकर …" is a visit (the vaccination word may stand in the paragraph)
    (
        "कलेक्टर ने सुभाष चंद्र बोस मेडिकल कॉलेज और गांधी नगर स्थित शहरी प्राथमिक स्वास्थ्य केंद्र पहुंचकर टीकाकरण"
        " की व्यवस्था देखी।",
        [("सुभाष चंद्र बोस मेडिकल कॉलेज", None), ("शहरी प्राथमिक स्वास्थ्य केंद्र", None)],
    ),
    (
        "एसडीएम ने सिविल अस्पताल पहुंचकर व्यवस्थाएं देखीं। टीकाकरण से जुड़ी शिकायतों के लिए हेल्पलाइन नंबर जारी हुआ।",
        [("सिविल अस्पताल", None)],
    ),
    # "‹ACRONYM› टीकाकरण केंद्र": the acronym is the site
    ("डीएम ने जीएमसीएच टीकाकरण केंद्र पर पहुंचकर कर्मचारियों से बात की।", [("जीएमसीएच", None)]),
    (
        "सीएमएचओ ने बताया कि आरकेएम टीकाकरण केंद्र और जिला अस्पताल में भीड़ रही।",
        [("आरकेएम", None), ("जिला अस्पताल", None)],
    ),
    # "‹Building› स्थित ‹Building›": the first is the locality of the second; the list goes on past it
    (
        "जिला अस्पताल, खेल परिसर स्थित ऑडिटोरियम तथा संत जोसेफ स्कूल में युवाओं को टीके लगे।",
        [("जिला अस्पताल", None), ("खेल परिसर स्थित ऑडिटोरियम", None), ("संत जोसेफ स्कूल", None)],
    ),
    (
        "पुलिस लाइन स्टेडियम स्थित सामुदायिक भवन में शिविर लगा, जहां 200 लोगों को टीका लगा।",
        [("पुलिस लाइन स्टेडियम स्थित सामुदायिक भवन", None)],
    ),
    # … but before a weak head ("सेंटर") the building is the site
    ("मेडिकल कॉलेज स्थित सेंटर में 300 लोगों को टीका लगा।", [("मेडिकल कॉलेज", None)]),
    # a headless item before a list item with its locality
    (
        "कलेक्टर ने एम्स और सिविल लाइंस स्थित जिला महिला अस्पताल पहुंचकर टीकाकरण की व्यवस्थाएं देखीं।",
        [("एम्स", None), ("जिला महिला अस्पताल", None)],
    ),
    # "A, B और C सहित ‹N› सत्र": a counted centre noun closes a list whatever its form
    (
        "अहिल्याबाई कन्या महाविद्यालय, रानी लक्ष्मीबाई महिला चिकित्सालय और संजय गांधी संस्थान सहित 12 विशेष सत्र"
        " आयोजित होंगे।",
        [
            ("अहिल्याबाई कन्या महाविद्यालय", None),
            ("रानी लक्ष्मीबाई महिला चिकित्सालय", None),
            ("संजय गांधी संस्थान", None),
        ],
    ),
    # a lone acronym in a sentence about jabs ("यूपी", "ओपीडी" are no sites: see NOT_NAMES)
    ("जीएमसी में 300 लोगों को टीका लगा।", [("जीएमसी", None)]),
    # institutions named after people; संस्थान as a head
    (
        "झांसी की रानी लक्ष्मीबाई महिला अस्पताल में गर्भवती महिलाओं को टीके लगे।",
        [("रानी लक्ष्मीबाई महिला अस्पताल", None)],
    ),
    ("संजय गांधी संस्थान में 500 लोगों को टीका लगा।", [("संजय गांधी संस्थान", None)]),
    # numbered localities: "‹Head› सेक्टर-N", "सेक्टर N के ‹Head›"
    ("सामान्य अस्पताल सेक्टर-6 में 400 लोगों को टीका लगा।", [("सामान्य अस्पताल सेक्टर-6", None)]),
    ("सेक्टर 15 के सामुदायिक भवन में टीकाकरण शिविर लगा।", [("सेक्टर 15 के सामुदायिक भवन", None)]),
    # a religious site's proper name after its head; a committee is a body
    (
        "सिख समाज द्वारा गुरुद्वारा श्री गुरु तेग बहादुर साहिब में टीकाकरण शिविर लगाया गया।",
        [("गुरुद्वारा श्री गुरु तेग बहादुर साहिब", "सिख समाज")],
    ),
    (
        "नानकसर गुरुद्वारा में श्री गुरु नानक सेवा कमेटी द्वारा वैक्सीनेशन कैंप लगाया गया।",
        [("नानकसर गुरुद्वारा", "श्री गुरु नानक सेवा कमेटी")],
    ),
    ("मंदिर ट्रस्ट द्वारा राधा कृष्ण मंदिर में कैंप लगाया गया।", [("राधा कृष्ण मंदिर", "मंदिर ट्रस्ट")]),
    # a pronoun before a name is no part of it
    ("उन्होंने क्षेत्रीय अस्पताल नाहन में बने टीकाकरण केंद्र का दौरा किया।", [("क्षेत्रीय अस्पताल नाहन", None)]),
    # "इनमें ‹list› शामिल हैं" right after a sentence announcing centres; a locality may lead the first item
    (
        "किशोरों के टीकाकरण के लिए शहर में 18 केंद्र बनाए गए हैं। इनमें गांधीनगर स्थित नगर निगम के"
        " स्व. रामलाल वर्मा रोग निदान केंद्र, सदर अस्पताल और रेलवे अस्पताल शामिल हैं।",
        [("स्व. रामलाल वर्मा रोग निदान केंद्र", None), ("सदर अस्पताल", None), ("रेलवे अस्पताल", None)],
    ),
    (
        "जिले में टीकाकरण के 12 शिविर लगे। उनमें पंचायत भवन पिपरिया और बालक छात्रावास शामिल थे।",
        [("पंचायत भवन पिपरिया", None), ("बालक छात्रावास", None)],
    ),
    # a bracketed alias after a list item does not break the list
    (
        "किशोरों के टीकाकरण के लिए जिला अस्पताल (विक्टोरिया), सदर अस्पताल और रेलवे अस्पताल में केंद्र बनाए गए हैं।",
        [("जिला अस्पताल", None), ("सदर अस्पताल", None), ("रेलवे अस्पताल", None)],
    ),
    (
        "टीकाकरण के लिए इंदिरा गांधी शासकीय वैद्यकीय महाविद्यालय (मेयो), सदर अस्पताल व नेत्र चिकित्सालय को केंद्र"
        " बनाया गया।",
        [("इंदिरा गांधी शासकीय वैद्यकीय महाविद्यालय", None), ("सदर अस्पताल", None), ("नेत्र चिकित्सालय", None)],
    ),
    # grounds (a weak head: strong frames only) and railway junctions
    (
        "सदर अस्पताल, रिम्स और हरमू मैदान में बने ड्राइव-थ्रू टीकाकरण केंद्र पर भीड़ रही।",
        [("सदर अस्पताल", None), ("रिम्स", None), ("हरमू मैदान", None)],
    ),
    ("यात्रियों के लिए पटना जंक्शन पर विशेष टीकाकरण केंद्र बनाया गया।", [("पटना जंक्शन", None)]),
]


@pytest.mark.parametrize(("body", "expected"), NAMED)
def test_named_centres(body: str, expected: list[tuple[str, str | None]]) -> None:
    assert _centers(body) == expected


# ------------------------------------------------------------------------------------------ not names
NOT_NAMES = [
    "जिले के सभी केंद्रों पर टीकाकरण हुआ।",
    "शहरी क्षेत्र में 40 केंद्र बनाए गए, जबकि ग्रामीण क्षेत्र में 80 केंद्रों पर टीके लगे।",
    "वार्ड नंबर 15 में घर-घर जाकर टीका लगाया गया।",
    "सरकारी स्कूलों पर बने सेंटर पर भीड़ रही।",
    "केंद्र सरकार ने राज्य को 5 लाख डोज भेजे। केंद्र की मोदी सरकार ने टीके मुफ्त किए।",
    "जबलपुर में 120 केंद्रों पर टीका लगा।",
    "जबलपुर के टीकाकरण केंद्र पर भीड़ रही।",
    "गोरखपुर में टीकाकरण शिविर लगाया गया।",
    # hospitals only for treatment
    "जिला अस्पताल में 25 कोरोना मरीज भर्ती हैं और ऑक्सीजन बेड खाली हैं।",
    "जिले में 5 हजार लोगों को टीका लगा। जिला अस्पताल में 25 कोरोना मरीज भर्ती हैं।",
    # villages named only as awareness areas
    "ग्राम करौंदी, सिमरिया और बिलखिरिया में जागरूकता रथ घुमाया गया।",
    "आशा कार्यकर्ताओं ने टिकरिया, मझगवां व कुम्ही गांवों में घर-घर जाकर लोगों को टीके के लिए प्रेरित किया।",
    # institutions that are no site in the sentence
    "मेडिकल कॉलेज के डॉक्टरों की टीम ने एंटीबॉडी पर अध्ययन किया।",
    "रीवा मेडिकल कॉलेज का अध्ययन बताता है कि दोनों डोज जरूरी हैं।",
    "जिला अस्पताल के डॉक्टर ने बताया कि टीका सुरक्षित है।",
    "मेडिकल कॉलेज में पदस्थ डॉ. राकेश ने बताया कि टीका सुरक्षित है।",
    "स्कूल शिक्षा विभाग के अधिकारियों ने टीकाकरण की समीक्षा की।",
    "जिला पंचायत कार्यालय में समीक्षा बैठक में टीकाकरण की प्रगति देखी गई।",
    "कोतवाली थाना प्रभारी को पहला टीका लगाया गया।",
    "रोटरी क्लब की ओर से लोगों को मास्क बांटे गए।",
    # generic heads
    "इस अस्पताल में भी टीका लगेगा।",
    "लोग नजदीकी टीकाकरण केंद्र पर जाकर टीका लगवाएं।",
    "शहर के स्कूल में भी टीकाकरण होगा।",
    "निजी अस्पतालों में भी टीका लगाया जा रहा है।",
    "मोबाइल टीमें गांव-गांव जाकर टीके लगा रही हैं।",
    # other kinds of centres and camps
    "मेडिकल कॉलेज अस्पताल के क्वारंटाइन सेंटर में 40 लोगों को रखा गया, सभी को टीका लग चुका है।",
    "सदर अस्पताल के नशामुक्ति केंद्र में नई मशीन लगाई गई।",
    "रेडक्रॉस भवन में रक्तदान शिविर लगाया गया।",
    "गांधी मैदान में कोरोना जांच के लिए विशेष शिविर लगाया गया।",
    "इस मौके पर प्राचार्य डॉ. अनिल शर्मा ने बताया कि महाविद्यालय के 320 विद्यार्थियों को टीका लगा।",
    # possessive pronouns: "उनके स्कूल" names nothing
    "प्रधानाचार्य ने बताया कि उनके स्कूल में 300 छात्रों को टीका लगा।",
    "हमारे अस्पताल में भी टीका लगेगा।",
    # "जिला ‹District›" is the district, even when the district's name is also a head (मंडी = market yard)
    "जिला मंडी में आज 180 केंद्रों पर टीका लगा।",
    # an office acronym before "टीकाकरण केंद्र" is the official who went there
    "सीएमएचओ टीकाकरण केंद्र पहुंचे और व्यवस्था देखी।",
    # an arrival for treatment
    "जिले में टीका लगा। एसडीएम जिला अस्पताल पहुंचे और भर्ती मरीजों का हाल जाना।",
    # acronyms that are places or no sites
    "यूपी में 5 लाख लोगों को टीका लगा।",
    "ओपीडी में भीड़ के बीच टीके लगे।",
    "जिले में टीका लगा। जीएमसी में भर्ती मरीजों की संख्या 40 रही।",
    "जिले में टीका लगा। जीएमसी में नई वैक्सीन का ट्रायल सफल रहा।",
    # the temple's committee is no name of the temple
    "राम मंदिर समिति के अध्यक्ष ने टीकाकरण शिविर का शुभारंभ किया।",
    # "इनमें … शामिल" about people, or with no centres announced in the sentence before
    "जिले में 40 लोगों को टीका लगा। इनमें जिला अस्पताल के 12 कर्मचारी शामिल हैं।",
    "टीका लगने के बाद 5 लोग बीमार हुए। इनमें जिला अस्पताल और सदर अस्पताल शामिल हैं।",
    # a ground in a figure of speech, or a playground
    "टीकाकरण के बाद मंत्री चुनावी मैदान में उतरे।",
    "टीका लगवाकर बच्चे खेल मैदान में खेलने गए।",
]


@pytest.mark.parametrize("body", NOT_NAMES)
def test_not_named_centres(body: str) -> None:
    assert _centers(body) == []


# ------------------------------------------------------------------------------ one fact per centre
def test_one_fact_per_centre_and_organizer_from_a_later_mention() -> None:
    body = (
        "शहर के मानस भवन में टीकाकरण शिविर लगा। कलेक्टर ने मानस भवन केंद्र का निरीक्षण किया।"
        " मानस भवन में लायंस क्लब द्वारा आयोजित शिविर में 200 लोगों ने टीका लगवाया।"
    )
    assert _centers(body) == [("मानस भवन", "लायंस क्लब")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a shorter later mention is the same centre
        (
            "सिविल अस्पताल बीना में 500 लोगों को टीका लगा। कलेक्टर ने सिविल अस्पताल का निरीक्षण किया।",
            ["सिविल अस्पताल बीना"],
        ),
        # an abbreviation is the same centre
        (
            "सामुदायिक स्वास्थ्य केंद्र पाटन में 300 टीके लगे। सीएचसी पाटन पहुंचकर सीएमएचओ ने टीकाकरण का जायजा लिया।",
            ["सामुदायिक स्वास्थ्य केंद्र पाटन"],
        ),
        # a weak modifier dropped in a later mention
        (
            "शासकीय महाकौशल कॉलेज में 200 टीके लगे। महाकौशल कॉलेज में कल भी टीकाकरण होगा।",
            ["शासकीय महाकौशल कॉलेज"],
        ),
        # "‹Place› के ‹Type›" = "‹Type› ‹Place›"
        (
            "पाटन के सीएचसी में 300 टीके लगे। दोपहर में सीएचसी पाटन पर वैक्सीन खत्म हो गई।",
            ["पाटन के सीएचसी"],
        ),
        # same type, different places: two centres
        (
            "सामुदायिक स्वास्थ्य केंद्र पाटन में 300 और सामुदायिक स्वास्थ्य केंद्र सिहोरा में 250 टीके लगे।",
            ["सामुदायिक स्वास्थ्य केंद्र पाटन", "सामुदायिक स्वास्थ्य केंद्र सिहोरा"],
        ),
    ],
)
def test_dedupe(body: str, expected: list[str]) -> None:
    assert [name for name, _ in _centers(body)] == expected


def test_short_form_of_a_long_name_is_the_same_centre() -> None:
    """A later mention with fewer words (same first word, same head, 3+ words) is the same centre; "जिला
    अस्पताल" and "जिला महिला अस्पताल" (two words say too little) stay two."""
    body = (
        "कलेक्टर ने केशव बालिका सीनियर सेकेंडरी स्कूल में बने केंद्र का निरीक्षण किया। केशव बालिका स्कूल की"
        " प्राचार्य ने बताया कि उनके स्कूल में 300 छात्राओं को टीका लगा।"
    )
    assert _centers(body) == [("केशव बालिका सीनियर सेकेंडरी स्कूल", None)]
    body = "जिला अस्पताल में 300 और जिला महिला अस्पताल में 200 लोगों को टीका लगा।"
    assert _centers(body) == [("जिला अस्पताल", None), ("जिला महिला अस्पताल", None)]


# ------------------------------------------------------------------------------- flattened tables
TABLES = [
    # a site lead: headed and headless labels; a locality after a comma; dash, colon, unit
    (
        "शहर में 20 केंद्रों पर टीके लगे। स्थलवार आंकड़े इस प्रकार हैं -\n• विक्टोरिया अस्पताल — 640\n"
        "• मोती मगरी - 400\n• आदर्श विद्यालय, सेक्टर-5 — 210\n• गांधी भवन: 310 डोज",
        ["विक्टोरिया अस्पताल", "मोती मगरी", "आदर्श विद्यालय, सेक्टर-5", "गांधी भवन"],
    ),
    # numbered rows under a lead that speaks of vaccination only: headed labels only
    (
        "शहर में टीकाकरण की स्थिति -\n1. जिला अस्पताल — 640\n2. मोती मगरी — 400",
        ["जिला अस्पताल"],
    ),
    # a bulleted row needs no separator; a bar separates label and number
    (
        "केंद्रवार टीकाकरण इस प्रकार रहा -\n• विक्टोरिया अस्पताल 640\n• मोती मगरी 400",
        ["विक्टोरिया अस्पताल", "मोती मगरी"],
    ),
    (
        "केंद्रवार टीकाकरण इस प्रकार रहा -\nविक्टोरिया अस्पताल | 640\nमोती मगरी | 400",
        ["विक्टोरिया अस्पताल", "मोती मगरी"],
    ),
    # a bare "‹Label› ‹N›" line is no row
    ("केंद्रवार टीकाकरण इस प्रकार रहा -\nविक्टोरिया अस्पताल 640", []),
    # the lead written in the row line, rows separated by ";"
    ("केंद्रवार टीकाकरण: टाउन हॉल — 1,302; नेहरू भवन — 800", ["टाउन हॉल", "नेहरू भवन"]),
    # a table of blocks, of patients, or labels that are no names
    ("जिले में टीके लगे। प्रखंडवार आंकड़े इस प्रकार रहे -\n• रामपुर कला — 6,212\n• बेलघाट — 4,100", []),
    ("जिले में टीके लगे। अस्पतालों में भर्ती मरीजों की संख्या -\n• जिला अस्पताल — 45\n• मेडिकल कॉलेज — 120", []),
    ("केंद्रवार स्थिति -\n• प्रथम डोज — 1,204\n• कुल टीकाकरण: 5,756", []),
]


@pytest.mark.parametrize(("body", "expected"), TABLES)
def test_flattened_table_rows(body: str, expected: list[str]) -> None:
    assert [name for name, _ in _centers(body)] == expected


def test_list_announced_by_an_organizer_sentence() -> None:
    body = (
        "टेक्सटाइल कंपनी सूर्या स्पिनर्स लिमिटेड ने शनिवार से तीन नए टीकाकरण केंद्र शुरू किए।"
        " इन नए केंद्रों में मेघदूत गार्डन, सिटी सेंटर मॉल तथा कंपनी का प्रशिक्षण भवन शामिल हैं।"
    )
    assert _centers(body) == [
        ("मेघदूत गार्डन", "सूर्या स्पिनर्स लिमिटेड"),
        ("सिटी सेंटर मॉल", "सूर्या स्पिनर्स लिमिटेड"),
        ("प्रशिक्षण भवन", "सूर्या स्पिनर्स लिमिटेड"),
    ]


def test_headline_and_body_mentions_give_one_fact() -> None:
    facts = _facts(
        "डिजिटल डेस्क सागर। नेहरू भवन में आज 300 लोगों को टीका लगाया गया।",
        headline="नेहरू भवन में लगा टीकाकरण शिविर",
    )
    assert [f["name"] for f in facts] == ["नेहरू भवन"]


def test_report_without_vaccination_names_no_centre() -> None:
    facts = _facts("शहर के एमएलबी स्कूल में बने शिविर में 40 मजदूरों को ठहराया गया।", headline="मजदूरों के लिए रैन बसेरा")
    assert facts == []


def test_other_stories_after_next_story_are_ignored() -> None:
    body = "शहर के गांधी भवन में 200 टीके लगे।\nNext Story\nमेडिकल कॉलेज अस्पताल में 400 लोगों को टीका लगा।"
    assert _centers(body) == [("गांधी भवन", None)]


# ------------------------------------------------------------------------------------------- evidence
@pytest.mark.parametrize("body", [b for b, _ in NAMED[:12]])
def test_evidence_points_at_the_name_as_written(body: str) -> None:
    text = f"{HEADLINE}\n{body}"
    for fact in extract(build_document(article_from_text(text))):
        ev = fact["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["quote"] == fact["name"]
        assert ev["quote"] in ev["sentence"]
        assert fact["type"] == "center"


def test_names_come_out_as_written() -> None:
    """Matching runs on folded text, but the name keeps the report's own spelling (nukta, केन्द्र, NBSP)."""
    text = f"{HEADLINE}\nसामुदायिक  स्वास्थ्य केन्द्र गढ़ाकोटा में 300 लोगों को टीका लगा।"
    (fact,) = extract(build_document(article_from_text(text)))
    assert fact["name"] == "सामुदायिक  स्वास्थ्य केन्द्र गढ़ाकोटा"
    assert fact["evidence"]["quote"] == fact["name"]


# ----------------------------------------------------------------------------------------------- seed
@pytest.mark.skipif(not SEED.exists(), reason="seed report not present")
def test_seed_report_centres() -> None:
    from pipeline.evaluate import names_match

    facts = extract(build_document(article_from_text(SEED.read_text(encoding="utf-8"))))
    expected = [
        ("ओरिएंटल ग्रुप ऑफ इंस्टीट्यूट्स", None),
        ("डीएन जैन विद्यालय परिसर", "डीएन जैन बोर्डिंग हाउस सोसायटी"),
        ("साउथ एवेन्यू मॉल", None),
        ("डब्ल्यूएसईसी स्कूल", "पश्चिम मध्य रेल जबलपुर मंडल"),
    ]
    assert len(facts) == len(expected)
    for (name, organizer), fact in zip(expected, facts, strict=True):
        assert names_match(name, fact["name"]), (name, fact["name"])
        assert fact["organizer"] == organizer


# ------------------------------------------------------------------------------------------ data file
def _data() -> dict[str, Any]:
    with open(DATA / "centers.toml", "rb") as fh:
        return tomllib.load(fh)


REQUIRED = {
    "heads": ["words", "standalone", "unique", "need_locality", "name_after"],
    "modifiers": ["generic", "weak"],
    "boundaries": ["left_stop", "pronouns", "followers", "not_locality", "number_words", "locality_numbers"],
    "context": [
        "center_nouns",
        "camp_nouns",
        "plural_center_nouns",
        "fillers",
        "visit_nouns",
        "reach_verbs",
        "made_verbs",
        "list_closers",
        "included",
        "vaccination_cues",
        "not_vaccination_cues",
        "not_site_after",
        "stop_lines",
    ],
    "headless": ["generic", "village_words"],
    "organizer": [
        "markers",
        "not_markers",
        "left_stop",
        "descriptors",
        "body_nouns",
        "honorifics",
        "not_bodies",
        "arrange_verbs",
    ],
    "table": ["site_leads", "area_leads", "units"],
}


def _lists() -> list[tuple[str, list[Any]]]:
    data = _data()
    return [(f"{table}.{key}", data[table][key]) for table, keys in REQUIRED.items() for key in keys]


def test_data_has_required_keys() -> None:
    data = _data()
    for table, keys in REQUIRED.items():
        assert table in data, table
        for key in keys:
            assert isinstance(data[table][key], list), f"{table}.{key}"
    assert isinstance(data["abbreviations"], dict) and data["abbreviations"]


@pytest.mark.parametrize(("where", "items"), _lists())
def test_data_lists_are_clean(where: str, items: list[Any]) -> None:
    assert items, where
    assert all(isinstance(w, str) and w and w == w.strip() and "  " not in w for w in items), where
    dups = [w for w, n in Counter(fold(w) for w in items).items() if n > 1]
    assert not dups, (where, dups)


def test_heads_are_singular_and_never_boundaries() -> None:
    data = _data()
    heads = {fold(w) for w in data["heads"]["words"]}
    assert not [h for h in heads if h.endswith(("ों", "ओं"))]  # plurals are generic phrases, never names
    assert not heads & {fold(w) for w in data["boundaries"]["left_stop"]}
    assert not heads & {fold(w) for w in data["boundaries"]["pronouns"]}
    for key in ("standalone", "unique", "need_locality", "name_after"):
        assert {fold(w) for w in data["heads"][key]} <= heads, key


def test_abbreviations_map_long_forms_to_short_ones() -> None:
    abbr = _data()["abbreviations"]
    assert len({fold(k) for k in abbr}) == len(abbr)
    assert all(isinstance(v, str) and v and len(v) < len(k) for k, v in abbr.items())


def test_comma_separated_table_rows_name_their_sites():
    from extractors.centers import extract as extract_centers
    from extractors.context import build_document
    from pipeline.article import Article

    text = (
        "केंद्रवार टीकाकरण\n"
        "भिवानी। जिले में 8 केंद्रों पर टीकाकरण हुआ। केंद्रवार स्थिति इस प्रकार रही :\n"
        "सामान्य अस्पताल भिवानी (केवल दूसरी डोज) - 400, अग्रवाल धर्मशाला (हनुमान गेट) - 1,380, सीएचसी तोशाम - 320।\n"
    )
    names = {f["name"] for f in extract_centers(build_document(Article(text=text, title="केंद्रवार टीकाकरण")))}
    assert {"सामान्य अस्पताल भिवानी", "अग्रवाल धर्मशाला", "सीएचसी तोशाम"} <= names


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("सी-21 मॉल में 3,870 लोगों ने टीका लगवाया।", [("सी-21 मॉल", None)]),
        ("सेक्टर-5 सामुदायिक भवन में शिविर लगाकर 300 लोगों को टीका लगाया गया।", [("सेक्टर-5 सामुदायिक भवन", None)]),
        ("रानीपुरा के मदरसा अशरफिया में भी वैक्सीनेशन शिविर लगा।", [("मदरसा अशरफिया", None)]),
        ("कोविड-19 अस्पताल में टीके लगे।", []),
        ("मुखिया सुनीता उरांव की देखरेख में शिविर लगाया गया, जहां 212 ग्रामीणों ने टीका लिया।", []),
    ],
)
def test_codes_numbered_localities_and_madrasas(body: str, expected: list[tuple[str, str | None]]) -> None:
    assert _centers(body) == expected
