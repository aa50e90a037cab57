"""Tests of the `official` extractor (facts.md §5, phrasing.md §5) on sentences written for these tests."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from extractors import officials
from extractors.context import Document, build_document
from extractors.officials import ROLES
from pipeline.parse import article_from_text

IST = timezone(timedelta(hours=5, minutes=30))
DATA = Path(__file__).resolve().parents[1] / "extractors" / "data" / "officials.toml"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "bhaskarhindi-jabalpur-2021-06-04.txt"


def _doc(body: str, dateline: str = "डिजिटल डेस्क जबलपुर ।") -> Document:
    text = f"टीकाकरण की खबर\n\n{dateline} {body}\n"
    return build_document(article_from_text(text, published=datetime(2021, 6, 10, 12, 0, tzinfo=IST)))


def _facts(body: str, dateline: str = "डिजिटल डेस्क जबलपुर ।") -> list[dict[str, Any]]:
    return officials.extract(_doc(body, dateline))


def _by_name(facts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in facts}


# (body, expected facts as (name, honorific, designation, role))
CASES: list[tuple[str, list[tuple[str, str | None, str | None, str | None]]]] = [
    # ‹Desig› ‹Hon› ‹Name›
    (
        "गुरुवार को कलेक्टर श्री अनिल मेहरा ने टीकाकरण केंद्र का निरीक्षण किया।",
        [("अनिल मेहरा", "श्री", "कलेक्टर", "collector")],
    ),
    # ‹Desig› ‹Place› ‹Hon› ‹Name›
    (
        "कमिश्नर रीवा संभाग श्री राजेश जैन ने शिविर का अवलोकन किया।",
        [("राजेश जैन", "श्री", "कमिश्नर रीवा संभाग", "other")],
    ),
    (
        "सीएमएचओ कटनी डॉ. प्रदीप मुड़िया ने टीकाकरण की समीक्षा की।",
        [("प्रदीप मुड़िया", "डॉ.", "सीएमएचओ कटनी", "cmho")],
    ),
    # ‹Place› ‹Desig› ‹Name›
    (
        "पाटन विधायक रमेश चौरसिया की मौजूदगी में टीकाकरण शिविर का शुभारंभ हुआ।",
        [("रमेश चौरसिया", None, "पाटन विधायक", "mla")],
    ),
    (
        "शिविर की शुरुआत सिहोरा विधायक नंदिनी मरावी ने की।",
        [("नंदिनी मरावी", None, "सिहोरा विधायक", "mla")],
    ),
    # ‹Org› के ‹Desig› ‹Name›
    (
        "मेडिकल कॉलेज के डीन डॉ. प्रमोद शर्मा ने बताया कि कॉलेज में 300 टीके लगाए गए।",
        [("प्रमोद शर्मा", "डॉ.", "डीन", "institution_head")],
    ),
    (
        "पश्चिम मध्य रेल के महाप्रबंधक सुधीर गुप्ता ने रेल कर्मियों से टीका लगवाने की अपील की।",
        [("सुधीर गुप्ता", None, "महाप्रबंधक", "railway_officer")],
    ),
    # ‹Hon›‹Name› (‹Desig›)
    (
        "डॉ. सुनीता वर्मा (सीएमएचओ) ने बताया कि जिले में 120 केंद्रों पर टीके लगे।",
        [("सुनीता वर्मा", "डॉ.", "सीएमएचओ", "cmho")],
    ),
    # ‹Desig1› तथा ‹Desig2› ‹Name›
    (
        "प्रभारी सीएमएचओ तथा जिला टीकाकरण अधिकारी डॉ. मनोज तिवारी ने केंद्रों का निरीक्षण किया।",
        [("मनोज तिवारी", "डॉ.", "प्रभारी सीएमएचओ तथा जिला टीकाकरण अधिकारी", "cmho")],
    ),
    # ‹Desig› A, B व C सहित अन्य … : the designation distributes
    (
        "इस दौरान पुलिस अधिकारी रामनिवास गुर्जर, श्रीमती कविता ठाकुर व दीपक साहू सहित अन्य अधिकारी मौजूद रहे।",
        [
            ("रामनिवास गुर्जर", None, "पुलिस अधिकारी", "police"),
            ("कविता ठाकुर", "श्रीमती", "पुलिस अधिकारी", "police"),
            ("दीपक साहू", None, "पुलिस अधिकारी", "police"),
        ],
    ),
    # -द्वय = both
    (
        "विधायकद्वय अजय पाठक एवं सुरेंद्र मिश्रा ने शिविर का शुभारंभ किया।",
        [("अजय पाठक", None, "विधायकद्वय", "mla"), ("सुरेंद्र मिश्रा", None, "विधायकद्वय", "mla")],
    ),
    # a singular designation before "X एवं Y" belongs to X only
    (
        "इस अवसर पर महाप्रबंधक अजय शुक्ला एवं विनीत सोनी मौजूद रहे।",
        [("अजय शुक्ला", None, "महाप्रबंधक", "other"), ("विनीत सोनी", None, None, None)],
    ),
    (
        "सीएमएचओ डॉ. राकेश पांडे एवं डॉ. अंजलि सिंह ने टीकाकरण का जायजा लिया।",
        [("राकेश पांडे", "डॉ.", "सीएमएचओ", "cmho"), ("अंजलि सिंह", "डॉ.", None, None)],
    ),
    # glued and legacy honorifics
    (
        "सीएमएचओ डॉ.विनोद कुमार गुप्ता ने बताया कि सभी केंद्रों पर टीके उपलब्ध हैं।",
        [("विनोद कुमार गुप्ता", "डॉ.", "सीएमएचओ", "cmho")],
    ),
    ("बीएमओ डॉ0 रजनी चौधरी ने केंद्र का निरीक्षण किया।", [("रजनी चौधरी", "डॉ0", "बीएमओ", "bmo")]),
    (
        "सिविल सर्जन डाॅ. अमित सक्सेना ने बताया कि टीके पर्याप्त हैं।",
        [("अमित सक्सेना", "डाॅ.", "सिविल सर्जन", "civil_surgeon")],
    ),
    ("शिविर में श्री डॉ. प्रकाश दुबे उपस्थित रहे।", [("प्रकाश दुबे", "डॉ.", None, None)]),
    # initials
    (
        "जिला टीकाकरण अधिकारी डॉ. आई.के. मिश्रा ने बताया कि 40 सत्र लगाए गए।",
        [("आई.के. मिश्रा", "डॉ.", "जिला टीकाकरण अधिकारी", "district_immunization_officer")],
    ),
    (
        "जिला टीकाकरण अधिकारी डॉ. आर.के.सोनी ने निरीक्षण किया।",
        [("आर.के.सोनी", "डॉ.", "जिला टीकाकरण अधिकारी", "district_immunization_officer")],
    ),
    ("बीएमओ डॉ. एस एस बघेल ने कहा कि सभी लोग टीका लगवाएं।", [("एस एस बघेल", "डॉ.", "बीएमओ", "bmo")]),
    (
        "डीआईओ डॉ. एसके नामदेव ने बताया कि कल 90 सत्र होंगे।",
        [("एसके नामदेव", "डॉ.", "डीआईओ", "district_immunization_officer")],
    ),
    ("बीएमओ डॉ. प्रवीण पी ने केंद्र का निरीक्षण किया।", [("प्रवीण पी", "डॉ.", "बीएमओ", "bmo")]),
    (
        "जिला टीकाकरण अधिकारी डॉ. के के वर्मा ने बताया।",
        [("के के वर्मा", "डॉ.", "जिला टीकाकरण अधिकारी", "district_immunization_officer")],
    ),
    # names of one to four words
    (
        "इस मौके पर सीईओ जिला पंचायत श्री विनय कुमार राम प्रजापति भी मौजूद रहे।",
        [("विनय कुमार राम प्रजापति", "श्री", "सीईओ जिला पंचायत", "ceo_zila_panchayat")],
    ),
    ("शिविर में श्री चौरसिया ने लोगों को टीके के फायदे बताए।", [("चौरसिया", "श्री", None, None)]),
    # a trailing "जी" and case markers are no part of the name
    ("विधायक अजय विश्नोई जी ने शिविर का शुभारंभ किया।", [("अजय विश्नोई", None, "विधायक", "mla")]),
    (
        "सांसद राकेश सिंह के साथ महापौर जगत बहादुर भी पहुंचे।",
        [("राकेश सिंह", None, "सांसद", "mp"), ("जगत बहादुर", None, "महापौर", "mayor")],
    ),
    # bracketed English glosses are ignored
    (
        "सीएमएचओ (CMHO) डॉ. रमेश ठाकुर (Ramesh Thakur) ने बताया कि टीके आ गए हैं।",
        [("रमेश ठाकुर", "डॉ.", "सीएमएचओ", "cmho")],
    ),
    # people without designation
    ("इस अवसर पर डॉ. नेहा जैन भी मौजूद रहीं।", [("नेहा जैन", "डॉ.", None, None)]),
    (
        "शिविर में रवि पटेल व सुमित तिवारी उपस्थित रहे।",
        [("रवि पटेल", None, None, None), ("सुमित तिवारी", None, None, None)],
    ),
    # roles
    ("एएनएम सरिता बघेल ने 80 लोगों को टीके लगाए।", [("सरिता बघेल", None, "एएनएम", "health_worker")]),
    ("केंद्र पर एनएम ममता धुर्वे ड्यूटी पर थीं।", [("ममता धुर्वे", None, "एनएम", "health_worker")]),
    (
        "सीएचओ पूजा राय और सी एच ओ राहुल मेश्राम ने टीकाकरण किया।",
        [("पूजा राय", None, "सीएचओ", "health_worker"), ("राहुल मेश्राम", None, "सी एच ओ", "health_worker")],
    ),
    (
        "आशा कार्यकर्ता सुनीता यादव घर-घर जाकर लोगों को बुला रही थीं।",
        [("सुनीता यादव", None, "आशा कार्यकर्ता", "health_worker")],
    ),
    (
        "आंगनवाड़ी कार्यकर्ता रेखा कोल एवं सुपरवाइजर अनीता मिश्रा मौजूद रहीं।",
        [
            ("रेखा कोल", None, "आंगनवाड़ी कार्यकर्ता", "health_worker"),
            ("अनीता मिश्रा", None, "सुपरवाइजर", "health_worker"),
        ],
    ),
    (
        "विद्यालय की प्राचार्या श्रीमती उषा तिवारी ने सहयोग किया।",
        [("उषा तिवारी", "श्रीमती", "प्राचार्या", "institution_head")],
    ),
    ("संस्था के संचालक राजकुमार जैन ने व्यवस्था संभाली।", [("राजकुमार जैन", None, "संचालक", "institution_head")]),
    (
        "सरपंच रामलाल पटेल एवं पटवारी दिनेश साहू ने ग्रामीणों को प्रेरित किया।",
        [("रामलाल पटेल", None, "सरपंच", "other"), ("दिनेश साहू", None, "पटवारी", "other")],
    ),
    (
        "भाजपा मंडल अध्यक्ष विकास दुबे एवं समाज सेवी अरुण चौबे उपस्थित रहे।",
        [("विकास दुबे", None, "मंडल अध्यक्ष", "other"), ("अरुण चौबे", None, "समाज सेवी", "other")],
    ),
    ("नगर निगम आयुक्त संदीप जीआर ने केंद्रों का दौरा किया।", [("संदीप जीआर", None, "नगर निगम आयुक्त", "other")]),
    (
        "एसडीएम श्री आशीष पांडे एवं तहसीलदार प्रदीप मिश्रा ने निरीक्षण किया।",
        [("आशीष पांडे", "श्री", "एसडीएम", "sdm"), ("प्रदीप मिश्रा", None, "तहसीलदार", "tehsildar")],
    ),
    (
        "अनुविभागीय अधिकारी श्री अभिषेक गहलोत ने केंद्र पर व्यवस्थाएं देखीं।",
        [("अभिषेक गहलोत", "श्री", "अनुविभागीय अधिकारी", "sdm")],
    ),
    ("मझौली तहसील राकेश चौरसिया ने केंद्र का निरीक्षण किया।", [("राकेश चौरसिया", None, "मझौली तहसील", "tehsildar")]),
    ("प्रभारी मंत्री तुलसी सिलावट ने टीकाकरण की समीक्षा की।", [("तुलसी सिलावट", None, "प्रभारी मंत्री", "minister")]),
    ("वार्ड पार्षद कमलेश अग्रवाल ने लोगों को केंद्र तक पहुंचाया।", [("कमलेश अग्रवाल", None, "वार्ड पार्षद", "councillor")]),
    (
        "पुलिस अधीक्षक सिद्धार्थ बहुगुणा ने पुलिस लाइन में टीकाकरण देखा।",
        [("सिद्धार्थ बहुगुणा", None, "पुलिस अधीक्षक", "police")],
    ),
    ("चिकित्सक डॉ. संजय मिश्रा ने हितग्राहियों की जांच की।", [("संजय मिश्रा", "डॉ.", "चिकित्सक", "doctor")]),
    (
        "जिला पंचायत सीईओ प्रियंक मिश्रा ने बताया कि गांवों में शिविर लगेंगे।",
        [("प्रियंक मिश्रा", None, "जिला पंचायत सीईओ", "ceo_zila_panchayat")],
    ),
    # a designation after the name: in apposition or right after an honorific name
    (
        "डॉ. हेमंत दुबे, सीएमएचओ, ने बताया कि सभी केंद्रों पर टीके उपलब्ध हैं।",
        [("हेमंत दुबे", "डॉ.", "सीएमएचओ", "cmho")],
    ),
    ("डॉ. कमल नयन सीएमएचओ ने व्यवस्थाएं देखीं।", [("कमल नयन", "डॉ.", "सीएमएचओ", "cmho")]),
    # the initial K after an office
    ("जिलाधिकारी के सुरेश बाबू ने टीकाकरण की समीक्षा की।", [("के सुरेश बाबू", None, "जिलाधिकारी", "collector")]),
    # a comma list after a shared office distributes it
    (
        "पार्षद अमन गुप्ता, रीता यादव व संजय सोनकर मौजूद रहे।",
        [
            ("अमन गुप्ता", None, "पार्षद", "councillor"),
            ("रीता यादव", None, "पार्षद", "councillor"),
            ("संजय सोनकर", None, "पार्षद", "councillor"),
        ],
    ),
    # adverbs and a town of destination end the name
    ("कलेक्टर वेद नारायण अचानक केंद्र पहुंचे।", [("वेद नारायण", None, "कलेक्टर", "collector")]),
    ("कलेक्टर वेद नारायण शुक्ला करेली पहुंचे।", [("वेद नारायण शुक्ला", None, "कलेक्टर", "collector")]),
    # words in front of an office are no name; a title after an office is an honorific
    ("हृदय रोग विशेषज्ञ डॉ. नवीन कोठारी ने जांच की।", [("नवीन कोठारी", "डॉ.", "विशेषज्ञ", "doctor")]),
    ("प्रमुख सचिव डॉक्टर अनुपमा राजन ने समीक्षा की।", [("अनुपमा राजन", "डॉक्टर", "प्रमुख सचिव", "other")]),
    # deputies
    ("अपर कलेक्टर शेर सिंह मीणा ने केंद्रों का दौरा किया।", [("शेर सिंह मीणा", None, "अपर कलेक्टर", "other")]),
    ("डिप्टी सीएमओ डॉ. राजेश झा मौजूद रहे।", [("राजेश झा", "डॉ.", "डिप्टी सीएमओ", "doctor")]),
    ("विधायक के प्रतिनिधि रमेश गुप्ता ने शिविर में सहयोग किया।", [("रमेश गुप्ता", None, "प्रतिनिधि", "other")]),
    # a former sarpanch keeps the role
    (
        "पूर्व सरपंच गोविंद लोधी ने ग्रामीणों को टीका लगवाने के लिए प्रेरित किया।",
        [("गोविंद लोधी", None, "पूर्व सरपंच", "other")],
    ),
    # a bracketed qualifier between the designation and the name belongs to the designation
    (
        "अपर जिला कलेक्टर (प्रशासन) आर.के. वर्मा ने केंद्र का निरीक्षण किया।",
        [("आर.के. वर्मा", None, "अपर जिला कलेक्टर (प्रशासन)", "other")],
    ),
    (
        "अनुविभागीय अधिकारी (राजस्व) श्री नीरज पटेल ने शिविर का जायजा लिया।",
        [("नीरज पटेल", "श्री", "अनुविभागीय अधिकारी (राजस्व)", "sdm")],
    ),
    (
        "मुख्य चिकित्सा अधिकारी (सीएमओ) डॉ. रवि प्रकाश ने बताया कि टीके आ गए।",
        [("रवि प्रकाश", "डॉ.", "मुख्य चिकित्सा अधिकारी (सीएमओ)", "cmho")],
    ),
    (
        "पुलिस उपायुक्त (पश्चिम) अजय कुमार ने केंद्रों पर पुलिस बल तैनात किया।",
        [("अजय कुमार", None, "पुलिस उपायुक्त (पश्चिम)", "police")],
    ),
    # a deputy medical office in charge of immunization is the DIO; another office with it keeps its role
    (
        "उप मुख्य चिकित्सा अधिकारी (टीकाकरण) डॉ. सीमा रावत ने बताया कि 40 सत्र होंगे।",
        [("सीमा रावत", "डॉ.", "उप मुख्य चिकित्सा अधिकारी (टीकाकरण)", "district_immunization_officer")],
    ),
    (
        "एसीएमओ (टीकाकरण) डॉ. राजीव सिंह ने बताया कि टीके लगे।",
        [("राजीव सिंह", "डॉ.", "एसीएमओ (टीकाकरण)", "district_immunization_officer")],
    ),
    (
        "स्वास्थ्य विभाग के महाप्रबंधक (टीकाकरण) डॉ. विनोद शर्मा ने बताया कि आंकड़े अपडेट हो रहे हैं।",
        [("विनोद शर्मा", "डॉ.", "महाप्रबंधक (टीकाकरण)", "other")],
    ),
    # a known office with a deputy modifier outranks a generic reading of the same words
    (
        "सहायक जिला टीकाकरण अधिकारी राजेश कुमार ने बताया।",
        [("राजेश कुमार", None, "सहायक जिला टीकाकरण अधिकारी", "doctor")],
    ),
    # "‹Deputy office› तथा ‹Full office›": the full office gives the role
    (
        "उप सिविल सर्जन तथा जिला टीकाकरण अधिकारी डॉ. राजेश बंसल ने बताया कि 50 सत्र होंगे।",
        [
            (
                "राजेश बंसल",
                "डॉ.",
                "उप सिविल सर्जन तथा जिला टीकाकरण अधिकारी",
                "district_immunization_officer",
            )
        ],
    ),
    # an ordinal numbers the office (CMHO I / II), also after its place
    ("सीएमएचओ द्वितीय डॉ. अजय मीणा ने केंद्रों का निरीक्षण किया।", [("अजय मीणा", "डॉ.", "सीएमएचओ द्वितीय", "cmho")]),
    (
        "सीएमएचओ अलवर प्रथम डॉ. ओम प्रकाश मीणा ने शिविर का निरीक्षण किया।",
        [("ओम प्रकाश मीणा", "डॉ.", "सीएमएचओ अलवर प्रथम", "cmho")],
    ),
    # an unknown acronym ending in O (officer) before a name is an office
    ("डीपीएचओ डॉ. संजय गुप्ता ने बताया कि टीके पर्याप्त हैं।", [("संजय गुप्ता", "डॉ.", "डीपीएचओ", "other")]),
    # "‹Desig› ‹Hon› A व ‹Hon› B": a shared office (not a one-holder office, not a vague "other")
    (
        "पार्षद श्री रमेश यादव व श्री अनिल जैन उपस्थित रहे।",
        [("रमेश यादव", "श्री", "पार्षद", "councillor"), ("अनिल जैन", "श्री", "पार्षद", "councillor")],
    ),
    (
        "महाप्रबंधक श्री अजय शुक्ला एवं श्री विनीत सोनी मौजूद रहे।",
        [("अजय शुक्ला", "श्री", "महाप्रबंधक", "other"), ("विनीत सोनी", "श्री", None, None)],
    ),
    # "A, B व C सहित अन्य ‹plural office›": the office names the whole list
    (
        "रमेश साहू, दिनेश पटेल व सुनील राय सहित अन्य पार्षदों ने लोगों को प्रेरित किया।",
        [
            ("रमेश साहू", None, "पार्षदों", "councillor"),
            ("दिनेश पटेल", None, "पार्षदों", "councillor"),
            ("सुनील राय", None, "पार्षदों", "councillor"),
        ],
    ),
    # "… समेत कई अधिकारी" distributes like "… सहित अन्य"
    (
        "रेल अधिकारी श्रीमती नेहा दुबे व रवि मीणा समेत कई अधिकारी मौजूद थे।",
        [
            ("नेहा दुबे", "श्रीमती", "रेल अधिकारी", "railway_officer"),
            ("रवि मीणा", None, "रेल अधिकारी", "railway_officer"),
        ],
    ),
    # a title word after a name is a surname; before a name it stays a title
    ("सरपंच राकेश पंडित ने ग्रामीणों को टीके के लिए प्रेरित किया।", [("राकेश पंडित", None, "सरपंच", "other")]),
    ("इस मौके पर पंडित रामकिशोर शर्मा भी मौजूद रहे।", [("रामकिशोर शर्मा", "पंडित", None, None)]),
    # railway words are matched whole ("मंडल" alone is a trade body); a union is no railway
    (
        "व्यापार मंडल के महामंत्री संजय गोयल ने बताया कि शिविर में टीके लगे।",
        [("संजय गोयल", None, "महामंत्री", "other")],
    ),
    (
        "रेलवे कर्मचारी यूनियन के सचिव मनोज तिवारी ने बताया कि सभी कर्मचारियों को टीका लगा।",
        [("मनोज तिवारी", None, "सचिव", "other")],
    ),
    # regional designations
    (
        "आंगनबाड़ी सेविका सुनीता कुमारी व सहिया रीता देवी ने महिलाओं को केंद्र पहुंचाया।",
        [
            ("सुनीता कुमारी", None, "आंगनबाड़ी सेविका", "health_worker"),
            ("रीता देवी", None, "सहिया", "health_worker"),
        ],
    ),
    ("पंचायत के मुखिया रामप्रसाद यादव ने शिविर का उद्घाटन किया।", [("रामप्रसाद यादव", None, "मुखिया", "other")]),
    ("बीसीएमओ डॉ. हरीश मीणा ने शिविर का निरीक्षण किया।", [("हरीश मीणा", "डॉ.", "बीसीएमओ", "bmo")]),
    (
        "जिला अस्पताल की प्रमुख अधीक्षिका डॉ. नीलम सिंह ने बताया कि टीके लगे।",
        [("नीलम सिंह", "डॉ.", "प्रमुख अधीक्षिका", "institution_head")],
    ),
    ("शहर उत्तरी विधायक अजय जैन ने शिविर का शुभारंभ किया।", [("अजय जैन", None, "शहर उत्तरी विधायक", "mla")]),
    (
        "राज्य स्वास्थ्य समिति के कार्यपालक निदेशक संजय कुमार ने निर्देश दिए।",
        [("संजय कुमार", None, "कार्यपालक निदेशक", "other")],
    ),
    # Bihar's समाहर्ता and its deputies; a directorate's deputy director; a PHC in-charge is a bmo
    (
        "निगरानी के लिए वरीय उप समाहर्ता मनोज कुमार, दिनेश सिन्हा व अरुण प्रकाश को प्रभारी बनाया गया है।",
        [
            ("मनोज कुमार", None, "वरीय उप समाहर्ता", "other"),
            ("दिनेश सिन्हा", None, "वरीय उप समाहर्ता", "other"),
            ("अरुण प्रकाश", None, "वरीय उप समाहर्ता", "other"),
        ],
    ),
    ("विभाग के उपनिदेशक श्री कमल भार्गव भी साथ रहे।", [("कमल भार्गव", "श्री", "उपनिदेशक", "other")]),
    ("कांटी पीएचसी प्रभारी डॉ. विनय झा ने बताया कि टीके लगे।", [("विनय झा", "डॉ.", "पीएचसी प्रभारी", "bmo")]),
    # a state's short form after an honorific is a person's initials
    (
        "जिला टीकाकरण अधिकारी डॉ. एमपी सिंह ने बताया कि खेप आई।",
        [("एमपी सिंह", "डॉ.", "जिला टीकाकरण अधिकारी", "district_immunization_officer")],
    ),
    # "विश्व" opens given names (विश्व भूषण, विश्व मोहन), also after a bracketed jurisdiction
    (
        "टीकाकरण केंद्र का निरीक्षण एडीएम (पूर्वी) विश्व मोहन त्रिपाठी ने किया।",
        [("विश्व मोहन त्रिपाठी", None, "एडीएम (पूर्वी)", "other")],
    ),
    ("एसडीएम विश्व प्रकाश वर्मा ने टीकाकरण सत्रों की समीक्षा की।", [("विश्व प्रकाश वर्मा", None, "एसडीएम", "sdm")]),
    # partner agencies' field staff (UNICEF's SMC, CARE India's DTL) after their organisation
    (
        "शिविर में यूनिसेफ के एसएमसी राहुल वर्मा और केयर इंडिया के डीटीएल नेहा सिंह ने टीकाकरण में सहयोग किया।",
        [("राहुल वर्मा", None, "एसएमसी", "other"), ("नेहा सिंह", None, "डीटीएल", "other")],
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_officials(body: str, expected: list[tuple[str, str | None, str | None, str | None]]) -> None:
    facts = _facts(body)
    got = [(f["name"], f["honorific"], f["designation"], f["role"]) for f in facts]
    assert got == expected


# Sentences that name nobody acting in an official capacity.
NO_OFFICIALS = [
    "पहला टीका प्रो. रामकिशोर शुक्ला को लगाया गया।",
    "शिविर में सबसे पहले टीका श्रीमती गीता बाई को लगाया गया।",
    "गांव के रहने वाले रामसिंह पटेल ने टीका लगवाया।",
    "72 वर्षीय कमला बाई ने कहा कि मैंने टीका लगवा लिया है और सभी को लगवाना चाहिए।",
    "टीका लगवाने आईं सुमन शर्मा ने बताया कि उन्हें कोई परेशानी नहीं हुई।",
    "कलेक्टर जबलपुर ने सभी केंद्रों पर व्यवस्था के निर्देश दिए।",
    "आयुक्त ने बताया कि 50 नए केंद्र खोले जाएंगे।",
    "एसडीएम द्वारा केंद्रों का निरीक्षण किया गया।",
    "अनुविभागीय अधिकारी पाटन ने सत्रों की समीक्षा की।",
    "स्वास्थ्य विभाग के अधिकारियों ने आधे घंटे में सर्वर ठीक कराया।",
    "सीएमएचओ कार्यालय से मिली जानकारी के अनुसार 300 टीके लगे।",
    "प्रधानमंत्री गरीब कल्याण योजना के तहत राशन बांटा गया।",
    "डॉ. अंबेडकर भवन में टीकाकरण शिविर लगाया गया।",
    "श्री राम मंदिर परिसर में टीकाकरण केंद्र बनाया गया।",
    "स्वामी विवेकानंद की जयंती पर विशेष शिविर लगाया गया।",
    "स्लॉट बुक कराकर आए हितग्राहियों को इंतजार करना पड़ा।",
    "श्री जैन श्वेतांबर समाज द्वारा शिविर लगाया गया।",
    "फिलहाल कोई प्रभावी दवा मौजूद नहीं है।",
    "टीका लगवाने वालों में रमेश साहू और दिनेश पटेल शामिल रहे।",
    "सरकार ने टीकाकरण का श्री गणेश किया।",
    # a known acronym of a body is no office ("‹ACRONYM›ओ" otherwise is)
    "एनजीओ रोशनी ने गांवों में टीकाकरण के लिए प्रेरित किया।",
    # "विश्व" as "world" after an office is no name
    "स्वास्थ्य मंत्री विश्व स्वास्थ्य संगठन की बैठक में टीकाकरण पर बोले।",
    "जिलाधिकारी विश्व स्वास्थ्य दिवस पर टीकाकरण शिविर में पहुंचे।",
    "मुख्यमंत्री ने कहा कि भारत विश्व में सबसे ज्यादा टीके लगाने वाला देश है।",
]


@pytest.mark.parametrize("body", NO_OFFICIALS, ids=[f"none{i}" for i in range(len(NO_OFFICIALS))])
def test_no_officials(body: str) -> None:
    assert _facts(body) == []


def test_byline_is_not_an_official() -> None:
    facts = _facts("कटनी - अमित सोनी की रिपोर्ट। बीएमओ डॉ. रजनीश जैन ने केंद्र का निरीक्षण किया।", dateline="")
    assert [f["name"] for f in facts] == ["रजनीश जैन"]
    facts = _facts("रिपोर्ट: सुरेश तिवारी। तहसीलदार हर्ष विक्रम सिंह ने शिविर का निरीक्षण किया।", dateline="")
    assert [f["name"] for f in facts] == ["हर्ष विक्रम सिंह"]


def test_recipient_excluded_but_inspector_kept() -> None:
    facts = _facts(
        "कलेक्टर श्री अनिल मेहरा की मौजूदगी में पहला टीका प्रो. विजय तिवारी को लगाया गया। "
        "प्राचार्य डॉ. रेणु सिंह ने आभार जताया।"
    )
    assert [f["name"] for f in facts] == ["अनिल मेहरा", "रेणु सिंह"]


def test_official_who_got_the_jab_is_kept() -> None:
    facts = _facts("कलेक्टर कर्मवीर शर्मा ने भी टीका लगवाया और लोगों से अपील की।")
    assert [(f["name"], f["role"]) for f in facts] == [("कर्मवीर शर्मा", "collector")]


def test_one_fact_per_person_with_richest_designation() -> None:
    facts = _facts(
        "डॉ. अजय तिवारी ने केंद्र का दौरा किया। सीएमएचओ डॉ. अजय तिवारी ने बताया कि 90 सत्र लगे। "
        "डॉ. तिवारी ने कहा कि दूसरी डोज भी समय पर लगेगी।"
    )
    assert len(facts) == 1
    f = facts[0]
    assert (f["name"], f["honorific"], f["designation"], f["role"]) == (
        "अजय तिवारी",
        "डॉ.",
        "सीएमएचओ",
        "cmho",
    )
    assert f["evidence"]["quote"] == "सीएमएचओ डॉ. अजय तिवारी"


def test_surname_only_mention_is_the_same_person() -> None:
    facts = _facts("कलेक्टर श्री अनिल मेहरा ने निरीक्षण किया। कलेक्टर मेहरा ने कहा कि कोई भी वंचित न रहे।")
    assert [(f["name"], f["role"]) for f in facts] == [("अनिल मेहरा", "collector")]


def test_lone_surname_after_designation_is_not_a_person() -> None:
    # "कलेक्टर मेहरा" alone could be an office and a place; without a full mention it is dropped.
    assert _facts("अनुविभागीय अधिकारी सिहोरा ने बताया कि 20 केंद्र बनाए गए।") == []


def test_initials_spellings_are_one_person() -> None:
    facts = _facts("डॉ. एस.के. नामदेव ने निरीक्षण किया। डीआईओ डॉ. एसके नामदेव ने बताया कि 40 सत्र होंगे।")
    assert len(facts) == 1
    assert facts[0]["role"] == "district_immunization_officer"


@pytest.mark.parametrize(
    ("dateline", "body", "role"),
    [
        ("लखनऊ।", "सीएमओ डॉ. संजय भटनागर ने बताया कि 200 केंद्रों पर टीके लगे।", "cmho"),
        ("देहरादून।", "सीएमओ डॉ. मनोज उप्रेती ने टीकाकरण की जानकारी दी।", "cmho"),
        ("सिवनी।", "नगर पालिका के सीएमओ नवनीत पांडे ने वार्डों में शिविर लगवाए।", "other"),
        ("सिवनी।", "सीएमओ नवनीत पांडे ने नगर में मुनादी कराई।", "other"),
        ("रायपुर।", "नगर पंचायत सीएमओ अशोक साहू ने शिविर का निरीक्षण किया।", "other"),
    ],
)
def test_cmo_trap(dateline: str, body: str, role: str) -> None:
    facts = _facts(body, dateline=dateline)
    assert [f["role"] for f in facts] == [role]


def test_evidence_quotes_the_phrase_and_indexes_the_text() -> None:
    doc = _doc("इस मौके पर  पाटन  विधायक रमेश चौरसिया और प्राचार्य डॉ.सीमा जैन मौजूद रहे।")
    facts = officials.extract(doc)
    assert [f["evidence"]["quote"] for f in facts] == ["पाटन  विधायक रमेश चौरसिया", "प्राचार्य डॉ.सीमा जैन"]
    for f in facts:
        ev = f["evidence"]
        assert doc.text[ev["start"] : ev["end"]] == ev["quote"]
        assert ev["quote"] in ev["sentence"]
    assert facts[0]["designation"] == "पाटन विधायक"


def test_headline_and_body_mentions_are_one_fact() -> None:
    text = "कलेक्टर मनोज पुष्प ने किया निरीक्षण\n\nडिजिटल डेस्क जबलपुर । कलेक्टर मनोज पुष्प ने केंद्रों का निरीक्षण किया।\n"
    doc = build_document(article_from_text(text, published=datetime(2021, 6, 10, 12, 0, tzinfo=IST)))
    facts = officials.extract(doc)
    assert [(f["name"], f["role"]) for f in facts] == [("मनोज पुष्प", "collector")]


def test_tokens_index_the_normalised_sentence_and_drop_glosses() -> None:
    v = officials.load_vocab()
    text = "सीएमएचओ (CMHO) डॉ.विनोद आई.के.सोनी डॉ0 रमेश"
    toks = officials.tokenize(text, v)
    assert [t.text for t in toks] == ["सीएमएचओ", "डॉ.", "विनोद", "आई.", "के.", "सोनी", "डॉ0", "रमेश"]
    assert all(text[t.start : t.end] == t.text for t in toks)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("एसकेएमसीएच", True),
        ("बीआरडी", True),
        ("पीएचसी", True),
        ("डीएम", False),  # an office
        ("सीएमओ", False),  # an office
        ("एम", False),  # one letter is an initial
        ("एम्स", False),  # not spelt of letter names
        ("कोविड", False),
    ],
)
def test_is_acronym(word: str, expected: bool) -> None:
    assert officials.is_acronym(word) is expected


def test_fact_keys_in_order() -> None:
    facts = _facts("कलेक्टर श्री अनिल मेहरा ने निरीक्षण किया।")
    assert list(facts[0]) == ["type", "name", "honorific", "designation", "role", "evidence"]
    assert facts[0]["type"] == "official"


# ---- the data file ---------------------------------------------------------------------------------
def _data() -> dict[str, Any]:
    with open(DATA, "rb") as fh:
        return tomllib.load(fh)


def test_data_roles_are_facts_md_codes() -> None:
    data = _data()
    assert set(data["roles"]) <= set(ROLES)
    assert set(data["plural"]) <= set(ROLES)
    assert set(data["deputy_roles"]) <= set(ROLES) and set(data["deputy_roles"].values()) <= set(ROLES)
    for rule in data["contextual"]:
        assert {rule["default"], rule["states_role"], rule["cue_role"]} <= set(ROLES)
        assert rule["words"]
    assert set(data["bracket_roles"]) <= set(ROLES)
    for words in data["bracket_roles"].values():
        assert (
            words
            and len(words) == len(set(words))
            and all(isinstance(w, str) and w.strip() == w for w in words)
        )


def test_data_designations_unique_across_roles() -> None:
    data = _data()
    seen: dict[str, str] = {}
    for role, forms in data["roles"].items():
        assert len(forms) == len(set(forms)), role
        for form in forms:
            assert form not in seen, (form, seen.get(form), role)
            seen[form] = role
    contextual = {w for rule in data["contextual"] for w in rule["words"]}
    assert not contextual & set(seen)


def test_data_lists_have_no_duplicates_and_single_word_stops() -> None:
    data = _data()
    for section in ("designation", "honorifics", "names", "stop", "cues", "exclude"):
        for key, value in data[section].items():
            if isinstance(value, list):
                assert len(value) == len(set(value)), f"{section}.{key} has duplicates"
                assert all(isinstance(x, str) and x.strip() == x and x for x in value), f"{section}.{key}"
    for key, words in data["stop"].items():
        assert all(" " not in w and "-" not in w for w in words), key


def test_designation_words_are_not_stop_words() -> None:
    data = _data()
    stop = {w for words in data["stop"].values() for w in words}
    single = {f for forms in data["roles"].values() for f in forms if " " not in f}
    assert not (single - set(data["designation"]["strict"])) & stop


# ---- the seed report -------------------------------------------------------------------------------
SEED_OFFICIALS = [
    ("संजय यादव", None, "बरगी विधायक", "mla"),
    ("तरुण कुमार आनंद", "इंजी.", "डायरेक्टर", "institution_head"),
    ("मुक्ता भटेले", "डॉ.", "प्राचार्य", "institution_head"),
    ("रत्नेश कुररिया", "डॉ.", "सीएमएचओ", "cmho"),
    ("एसएस दाहिया", "डॉ.", "जिला टीकाकरण अधिकारी", "district_immunization_officer"),
    ("हबीब एहसान", None, "महाप्रबंधक", "other"),
    ("नितिन रघुवंशी", None, None, None),
    ("एसके अलबेला", None, "रेल अधिकारी", "railway_officer"),
    ("रश्मि दिवाकर", "श्रीमती", "रेल अधिकारी", "railway_officer"),
    ("अरविंद पांडे", None, "रेल अधिकारी", "railway_officer"),
]


@pytest.mark.skipif(not SEED.exists(), reason="shared seed report not present")
def test_seed_officials() -> None:
    art = article_from_text(
        SEED.read_text(encoding="utf-8"), published=datetime(2021, 6, 4, 15, 57, tzinfo=IST)
    )
    doc = build_document(art)
    facts = officials.extract(doc)
    got = [(f["name"], f["honorific"], f["designation"], f["role"]) for f in facts]
    assert got == SEED_OFFICIALS
    assert all("अग्रवाल" not in f["name"] for f in facts)
    for f in facts:
        ev = f["evidence"]
        assert doc.text[ev["start"] : ev["end"]] == ev["quote"]
        assert f["name"] in " ".join(ev["quote"].split())
