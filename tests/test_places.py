"""Gazetteer, place scanning, datelines and the district of a report (pipeline/places.py).

All Hindi texts below are written for these tests.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.places import Gazetteer, detect_district, find_dateline
from pipeline.text import fold

DATA = Path(__file__).resolve().parents[1] / "pipeline" / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
OFFICIAL_V4 = SHARED / "official" / "covid19india_v4_district_vaccination_2021.csv"

HINDI_BELT = [
    "Madhya Pradesh",
    "Uttar Pradesh",
    "Bihar",
    "Rajasthan",
    "Chhattisgarh",
    "Jharkhand",
    "Uttarakhand",
    "Himachal Pradesh",
    "Haryana",
    "Delhi",
]
# Names that the official data itself gives to districts of two states, or that Hindi print uses for
# both (रायगढ़ CG / Raigad MH; लखीमपुर UP / Assam; Bijapur CG / old name of Vijayapura KA).
SHARED_NAMES = {
    fold(n)
    for n in [
        "Aurangabad",
        "औरंगाबाद",
        "Balrampur",
        "बलरामपुर",
        "Bilaspur",
        "बिलासपुर",
        "Hamirpur",
        "हमीरपुर",
        "Pratapgarh",
        "प्रतापगढ़",
        "रायगढ़",
        "लखीमपुर",
        "Bijapur",
    ]
}


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(value: str) -> list[str]:
    return [v for v in value.split("|") if v]


# ---------------------------------------------------------------------------------------------- aliases
ALIASES = [
    # canonical Hindi and English
    ("जबलपुर", "Jabalpur", "MP"),
    ("Jabalpur", "Jabalpur", "MP"),
    ("JABALPUR", "Jabalpur", "MP"),
    ("jabalpur", "Jabalpur", "MP"),
    ("भोपाल", "Bhopal", "MP"),
    ("इंदौर", "Indore", "MP"),
    ("ग्वालियर", "Gwalior", "MP"),
    ("सागर", "Sagar", "MP"),
    ("रीवा", "Rewa", "MP"),
    ("सतना", "Satna", "MP"),
    ("कटनी", "Katni", "MP"),
    ("मंडला", "Mandla", "MP"),
    ("डिंडोरी", "Dindori", "MP"),
    ("सिवनी", "Seoni", "MP"),
    ("छिंदवाड़ा", "Chhindwara", "MP"),
    ("बैतूल", "Betul", "MP"),
    ("नीमच", "Neemuch", "MP"),
    ("आगर मालवा", "Agar Malwa", "MP"),
    ("आगर-मालवा", "Agar Malwa", "MP"),
    ("आगरमालवा", "Agar Malwa", "MP"),
    ("अशोक नगर", "Ashoknagar", "MP"),
    # old names and renamed districts
    ("होशंगाबाद", "Hoshangabad", "MP"),
    ("नर्मदापुरम", "Hoshangabad", "MP"),
    ("Narmadapuram", "Hoshangabad", "MP"),
    ("गुड़गांव", "Gurugram", "HR"),
    ("गुड़गाँव", "Gurugram", "HR"),
    ("गुरुग्राम", "Gurugram", "HR"),
    ("Gurgaon", "Gurugram", "HR"),
    ("इलाहाबाद", "Prayagraj", "UP"),
    ("प्रयागराज", "Prayagraj", "UP"),
    ("Allahabad", "Prayagraj", "UP"),
    ("फैजाबाद", "Ayodhya", "UP"),
    ("फ़ैज़ाबाद", "Ayodhya", "UP"),
    ("अयोध्या", "Ayodhya", "UP"),
    ("मेवात", "Nuh", "HR"),
    ("नूंह", "Nuh", "HR"),
    ("नूँह", "Nuh", "HR"),
    ("संत रविदास नगर", "Bhadohi", "UP"),
    ("ज्योतिबा फुले नगर", "Amroha", "UP"),
    ("कांशीराम नगर", "Kasganj", "UP"),
    ("निवाड़ी", "Tikamgarh", "MP"),
    ("बंबई", "Mumbai", "MH"),
    ("मुंबई उपनगर", "Mumbai", "MH"),
    ("कलकत्ता", "Kolkata", "WB"),
    ("मद्रास", "Chennai", "TN"),
    ("बनारस", "Varanasi", "UP"),
    ("Benares", "Varanasi", "UP"),
    ("गुलबर्गा", "Kalaburagi", "KA"),
    ("बेलगाम", "Belagavi", "KA"),
    # spelling variants: nukta, nasal clusters, chandrabindu, vowel length, sibilants
    ("खरगौन", "Khargone", "MP"),
    ("खरगोन", "Khargone", "MP"),
    ("पूर्वी निमाड़", "Khandwa", "MP"),
    ("पूर्व निमाड", "Khandwa", "MP"),
    ("East Nimar", "Khandwa", "MP"),
    ("पश्चिमी निमाड़", "Khargone", "MP"),
    ("West Nimar", "Khargone", "MP"),
    ("नरसिंहपुर", "Narsinghpur", "MP"),
    ("नरसिंगपुर", "Narsinghpur", "MP"),
    ("बड़वानी", "Barwani", "MP"),
    ("बडवानी", "Barwani", "MP"),
    ("बड\u093cवानी", "Barwani", "MP"),
    ("भिण्ड", "Bhind", "MP"),
    ("छिन्दवाड़ा", "Chhindwara", "MP"),
    ("मन्दसौर", "Mandsaur", "MP"),
    ("इन्दौर", "Indore", "MP"),
    ("खण्डवा", "Khandwa", "MP"),
    ("मण्डला", "Mandla", "MP"),
    ("झाँसी", "Jhansi", "UP"),
    ("बदायूँ", "Budaun", "UP"),
    ("बदायूं", "Budaun", "UP"),
    ("सिवनि", "Seoni", "MP"),
    ("बेतूल", "Betul", "MP"),
    ("मुरैना", "Morena", "MP"),
    ("सीतामढी", "Sitamarhi", "BR"),
    ("सिवान", "Siwan", "BR"),
    ("सीवान", "Siwan", "BR"),
    ("पूर्णियां", "Purnia", "BR"),
    ("झुंझुनू", "Jhunjhunu", "RJ"),
    ("झुंझुनूं", "Jhunjhunu", "RJ"),
    ("जालौर", "Jalore", "RJ"),
    ("श्री गंगानगर", "Ganganagar", "RJ"),
    ("श्रीगंगानगर", "Ganganagar", "RJ"),
    ("चित्तौड़", "Chittorgarh", "RJ"),
    ("महेन्द्रगढ़", "Mahendragarh", "HR"),
    ("पंचकुला", "Panchkula", "HR"),
    ("हरद्वार", "Haridwar", "UT"),
    ("उधम सिंह नगर", "Udham Singh Nagar", "UT"),
    ("ऊधमसिंह नगर", "Udham Singh Nagar", "UT"),
    ("उधमसिंहनगर", "Udham Singh Nagar", "UT"),
    ("लाहौल-स्पीति", "Lahaul and Spiti", "HP"),
    ("लाहौल स्पीति", "Lahaul and Spiti", "HP"),
    ("कुल्लु", "Kullu", "HP"),
    ("ऊना", "Una", "HP"),
    ("Una", "Una", "HP"),
    ("जांजगीर-चांपा", "Janjgir Champa", "CT"),
    ("जांजगीर चाम्पा", "Janjgir Champa", "CT"),
    ("गौरेला पेंड्रा मरवाही", "Gaurela Pendra Marwahi", "CT"),
    ("बलौदाबाजार", "Baloda Bazar", "CT"),
    ("बलौदा बाजार", "Baloda Bazar", "CT"),
    ("बलोदा बाज़ार", "Baloda Bazar", "CT"),
    ("कबीरधाम", "Kabeerdham", "CT"),
    ("Kawardha", "Kabeerdham", "CT"),
    ("दंतेवाड़ा", "Dakshin Bastar Dantewada", "CT"),
    ("उत्तर बस्तर कांकेर", "Uttar Bastar Kanker", "CT"),
    ("पूर्वी चंपारण", "East Champaran", "BR"),
    ("पूर्वी चम्पारण", "East Champaran", "BR"),
    ("पश्चिम चंपारण", "West Champaran", "BR"),
    ("पूर्वी सिंहभूम", "East Singhbhum", "JH"),
    ("पूर्वी सिंघभूम", "East Singhbhum", "JH"),
    ("साहेबगंज", "Sahibganj", "JH"),
    ("हज़ारीबाग", "Hazaribagh", "JH"),
    ("Kaimur (Bhabua)", "Kaimur", "BR"),
    ("कानपुर", "Kanpur Nagar", "UP"),
    ("लखीमपुर खीरी", "Lakhimpur Kheri", "UP"),
    ("खीरी", "Lakhimpur Kheri", "UP"),
    ("गौतमबुद्ध नगर", "Gautam Buddha Nagar", "UP"),
    ("गौतमबुद्धनगर", "Gautam Buddha Nagar", "UP"),
    ("रायबरेली", "Rae Bareli", "UP"),
    ("राय बरेली", "Rae Bareli", "UP"),
    ("महाराजगंज", "Maharajganj", "UP"),
    ("संतकबीरनगर", "Sant Kabir Nagar", "UP"),
    # Delhi and its LGD districts
    ("दिल्ली", "Delhi", "DL"),
    ("दिल्\u200dली", "Delhi", "DL"),
    ("नई दिल्ली", "Delhi", "DL"),
    ("नयी दिल्ली", "Delhi", "DL"),
    ("दक्षिणी दिल्ली", "Delhi", "DL"),
    ("उत्तर पूर्वी दिल्ली", "Delhi", "DL"),
    ("शाहदरा", "Delhi", "DL"),
    ("North East Delhi", "Delhi", "DL"),
    # HQ towns, towns, blocks
    ("जगदलपुर", "Bastar", "CT"),
    ("जशपुरनगर", "Jashpur", "CT"),
    ("कांकेर", "Uttar Bastar Kanker", "CT"),
    ("अंबिकापुर", "Surguja", "CT"),
    ("कवर्धा", "Kabeerdham", "CT"),
    ("भिलाई", "Durg", "CT"),
    ("पौड़ी", "Pauri Garhwal", "UT"),
    ("गढ़वाल", "Pauri Garhwal", "UT"),
    ("नई टिहरी", "Tehri Garhwal", "UT"),
    ("देहरादून", "Dehradun", "UT"),
    ("नैनीताल", "Nainital", "UT"),
    ("हल्द्वानी", "Nainital", "UT"),
    ("रुद्रपुर", "Udham Singh Nagar", "UT"),
    ("ऋषिकेश", "Dehradun", "UT"),
    ("खंडवा", "Khandwa", "MP"),
    ("बरगी", "Jabalpur", "MP"),
    ("सिहोरा", "Jabalpur", "MP"),
    ("पाटन", "Jabalpur", "MP"),
    ("मझौली", "Jabalpur", "MP"),
    ("कुंडम", "Jabalpur", "MP"),
    ("इटारसी", "Hoshangabad", "MP"),
    ("पिपरिया", "Hoshangabad", "MP"),
    ("सिवनी मालवा", "Hoshangabad", "MP"),
    ("महू", "Indore", "MP"),
    ("गाडरवारा", "Narsinghpur", "MP"),
    ("मैहर", "Satna", "MP"),
    ("बीना", "Sagar", "MP"),
    ("नागदा", "Ujjain", "MP"),
    ("पीथमपुर", "Dhar", "MP"),
    ("बैढ़न", "Singrauli", "MP"),
    ("मुड़वारा", "Katni", "MP"),
    ("नोएडा", "Gautam Buddha Nagar", "UP"),
    ("उरई", "Jalaun", "UP"),
    ("फतेहगढ़", "Farrukhabad", "UP"),
    ("पडरौना", "Kushinagar", "UP"),
    ("खलीलाबाद", "Sant Kabir Nagar", "UP"),
    ("मुगलसराय", "Chandauli", "UP"),
    ("मोतिहारी", "East Champaran", "BR"),
    ("बेतिया", "West Champaran", "BR"),
    ("छपरा", "Saran", "BR"),
    ("हाजीपुर", "Vaishali", "BR"),
    ("आरा", "Bhojpur", "BR"),
    ("सासाराम", "Rohtas", "BR"),
    ("जमशेदपुर", "East Singhbhum", "JH"),
    ("चाईबासा", "West Singhbhum", "JH"),
    ("डालटनगंज", "Palamu", "JH"),
    ("मेदिनीनगर", "Palamu", "JH"),
    ("धर्मशाला", "Kangra", "HP"),
    ("नाहन", "Sirmaur", "HP"),
    ("नारनौल", "Mahendragarh", "HR"),
    ("ब्यावर", "Ajmer", "RJ"),
    ("गुवाहाटी", "Kamrup Metropolitan", "AS"),
    # nicknames
    ("संस्कारधानी", "Jabalpur", "MP"),
    ("न्यायधानी", "Bilaspur", "CT"),
    ("ऊर्जाधानी", "Korba", "CT"),
    ("संगम नगरी", "Prayagraj", "UP"),
    ("ताजनगरी", "Agra", "UP"),
    ("काशी", "Varanasi", "UP"),
    ("पिंक सिटी", "Jaipur", "RJ"),
    ("दून", "Dehradun", "UT"),
    # with "जिला"/"जिले"/"जनपद"
    ("जबलपुर जिला", "Jabalpur", "MP"),
    ("जिला जबलपुर", "Jabalpur", "MP"),
    ("बलिया जनपद", "Ballia", "UP"),
    ("सागर ज़िले", "Sagar", "MP"),
    ("Jabalpur district", "Jabalpur", "MP"),
    # names shared by two states: the Hindi-belt state by default
    ("बिलासपुर", "Bilaspur", "CT"),
    ("हमीरपुर", "Hamirpur", "UP"),
    ("प्रतापगढ़", "Pratapgarh", "UP"),
    ("बलरामपुर", "Balrampur", "UP"),
    ("औरंगाबाद", "Aurangabad", "BR"),
    ("रायगढ़", "Raigarh", "CT"),
    ("लखीमपुर", "Lakhimpur Kheri", "UP"),
]


@pytest.mark.parametrize(("name", "district", "code"), ALIASES)
def test_lookup_alias(gz: Gazetteer, name: str, district: str, code: str) -> None:
    d = gz.lookup(name)
    assert d is not None, name
    assert (d.name, d.state_code) == (district, code)


@pytest.mark.parametrize(
    ("name", "state", "district", "code"),
    [
        ("बिलासपुर", "हिमाचल प्रदेश", "Bilaspur", "HP"),
        ("बिलासपुर", "छत्तीसगढ़", "Bilaspur", "CT"),
        ("हमीरपुर", "हिमाचल", "Hamirpur", "HP"),
        ("प्रतापगढ़", "राजस्थान", "Pratapgarh", "RJ"),
        ("औरंगाबाद", "महाराष्ट्र", "Aurangabad", "MH"),
        ("रायगढ़", "Maharashtra", "Raigad", "MH"),
        ("बलरामपुर", "छग", "Balrampur", "CT"),
        ("पाटन", "गुजरात", "Patan", "GJ"),
    ],
)
def test_lookup_with_state(gz: Gazetteer, name: str, state: str, district: str, code: str) -> None:
    d = gz.lookup(name, state=state)
    assert d is not None and (d.name, d.state_code) == (district, code)


@pytest.mark.parametrize("name", ["", "कोरोना", "टीकाकरण", "मध्यप्रदेश", "भारत", "Zzyzx", "जिला"])
def test_lookup_unknown(gz: Gazetteer, name: str) -> None:
    assert gz.lookup(name) is None


def test_lookup_state_filter_excludes_other_states(gz: Gazetteer) -> None:
    assert gz.lookup("जबलपुर", state="बिहार") is None


def test_district_fields(gz: Gazetteer) -> None:
    d = gz.lookup("संस्कारधानी")
    assert d is not None
    assert (d.name, d.state, d.state_code, d.hindi) == ("Jabalpur", "Madhya Pradesh", "MP", "जबलपुर")


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("मध्यप्रदेश", "Madhya Pradesh"),
        ("मध्य प्रदेश", "Madhya Pradesh"),
        ("मप्र", "Madhya Pradesh"),
        ("म.प्र.", "Madhya Pradesh"),
        ("एमपी", "Madhya Pradesh"),
        ("MP", "Madhya Pradesh"),
        ("Madhya Pradesh", "Madhya Pradesh"),
        ("यूपी", "Uttar Pradesh"),
        ("उप्र", "Uttar Pradesh"),
        ("उ.प्र.", "Uttar Pradesh"),
        ("उत्तरप्रदेश", "Uttar Pradesh"),
        ("छग", "Chhattisgarh"),
        ("छ.ग.", "Chhattisgarh"),
        ("छत्तीसगढ़", "Chhattisgarh"),
        ("CG", "Chhattisgarh"),
        ("उत्तराखण्ड", "Uttarakhand"),
        ("उत्तरांचल", "Uttarakhand"),
        ("हिमाचल", "Himachal Pradesh"),
        ("झारखण्ड", "Jharkhand"),
        ("बिहार राज्य", "Bihar"),
        ("उड़ीसा", "Odisha"),
        ("जम्मू-कश्मीर", "Jammu and Kashmir"),
        ("प. बंगाल", "West Bengal"),
        ("दिल्ली", "Delhi"),
        ("hr", "Haryana"),
    ],
)
def test_lookup_state(gz: Gazetteer, name: str, state: str) -> None:
    assert gz.lookup_state(name) == state


@pytest.mark.parametrize("name", ["भारत", "देश", "जबलपुर", "कोरोना", ""])
def test_lookup_state_rejects(gz: Gazetteer, name: str) -> None:
    assert gz.lookup_state(name) is None


def test_districts_of(gz: Gazetteer) -> None:
    mp = gz.districts_of("मप्र")
    assert len(mp) == 51  # covid19india has no Niwari (it reports it under Tikamgarh)
    assert {d.name for d in mp} >= {"Jabalpur", "Hoshangabad", "Khargone", "Agar Malwa"}
    assert all(d.state == "Madhya Pradesh" for d in mp)
    assert [d.name for d in gz.districts_of("Delhi")] == ["Delhi"]
    assert len(gz.districts_of("उत्तर प्रदेश")) == 75
    assert gz.districts_of("कहीं नहीं") == []


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


# ---------------------------------------------------------------------------------------------- find_all
def test_find_all_offsets_and_kinds(gz: Gazetteer) -> None:
    text = "मप्र के जबलपुर जिले में बरगी और सिहोरा के साथ संस्कारधानी के 20 केंद्रों पर, देश में सबसे आगे।"
    found = gz.find_all(text)
    assert [(m.text, m.kind) for m in found] == [
        ("मप्र", "state"),
        ("जबलपुर", "district"),
        ("बरगी", "block"),
        ("सिहोरा", "block"),
        ("संस्कारधानी", "nickname"),
        ("देश", "country"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert found[0].state == "Madhya Pradesh" and found[0].district is None
    assert all(m.district is not None and m.district.name == "Jabalpur" for m in found[1:5])
    assert found[5].district is None and found[5].state is None


def test_find_all_longest_match(gz: Gazetteer) -> None:
    found = gz.find_all("सिवनी मालवा और सिवनी में टीके, नई दिल्ली से निर्देश, उत्तर प्रदेश में भी")
    assert [(m.text, m.district.name if m.district else m.state) for m in found] == [
        ("सिवनी मालवा", "Hoshangabad"),
        ("सिवनी", "Seoni"),
        ("नई दिल्ली", "Delhi"),
        ("उत्तर प्रदेश", "Uttar Pradesh"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "सागरपुर गांव में टीके लगे",  # not सागर
        "प्रदेश में और विदेश से आए लोगों को",  # not देश
        "जबलपुरिया अंदाज",
        "उसे अस्पताल ले जाया गया। जिला अस्पताल में",  # the verb गया, and जिला after a danda
        "कोटा पूरा होने पर पन्ना पलटा और धार तेज की",  # quota, page, edge
        "mandi and sagar in lower case",
    ],
)
def test_find_all_no_false_places(gz: Gazetteer, text: str) -> None:
    assert [m.text for m in gz.find_all(text) if m.kind != "country"] == []


@pytest.mark.parametrize(
    ("text", "name", "district"),
    [
        ("बिहार के गया जिले में 10 हजार टीके", "गया", "Gaya"),
        ("राजस्थान के कोटा शहर में", "कोटा", "Kota"),
        ("सागर, दमोह, पन्ना और छतरपुर में शिविर", "पन्ना", "Panna"),
        ("जिला पन्ना में", "पन्ना", "Panna"),
        ("धार जिले के 30 केंद्र", "धार", "Dhar"),
        ("पटना, गया और भागलपुर में", "गया", "Gaya"),
    ],
)
def test_find_all_context_only_names(gz: Gazetteer, text: str, name: str, district: str) -> None:
    found = {m.text: m for m in gz.find_all(text)}
    assert name in found
    d = found[name].district
    assert d is not None and d.name == district


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("हिमाचल प्रदेश के बिलासपुर और मंडी जिले में", "बिलासपुर", "HP"),
        ("छत्तीसगढ़ के बिलासपुर और रायपुर में", "बिलासपुर", "CT"),
        ("बिलासपुर में टीकाकरण", "बिलासपुर", "CT"),
        ("शिमला, ऊना और हमीरपुर में", "हमीरपुर", "HP"),
        ("महाराष्ट्र के औरंगाबाद और पुणे में", "औरंगाबाद", "MH"),
        ("गया और औरंगाबाद में", "औरंगाबाद", "BR"),
        ("भरूच, गांधीनगर और पाटन में", "पाटन", "GJ"),
    ],
)
def test_find_all_shared_names_follow_context(gz: Gazetteer, text: str, name: str, code: str) -> None:
    found = {m.text: m for m in gz.find_all(text)}
    d = found[name].district
    assert d is not None and d.state_code == code


def test_find_all_drops_shared_town_in_foreign_text(gz: Gazetteer) -> None:
    # पाटन of Palamu (Jharkhand) is neither Jabalpur's block nor Gujarat's district.
    found = gz.find_all("पलामू जिले के पाटन प्रखंड और रांची में")
    assert "पाटन" not in [m.text for m in found]


def test_find_all_latin(gz: Gazetteer) -> None:
    found = gz.find_all("Vaccination in Jabalpur and Narmadapuram, MP")
    assert [(m.text, m.district.name if m.district else None) for m in found] == [
        ("Jabalpur", "Jabalpur"),
        ("Narmadapuram", "Hoshangabad"),
    ]


def test_find_all_variants_in_text(gz: Gazetteer) -> None:
    text = "केन्द्र: खरगौन, इन्दौर, झाँसी, फ़ैज़ाबाद, दिल्\u200dली, म.प्र. और हिसार"
    names = [(m.text, m.district.name if m.district else m.state) for m in gz.find_all(text)]
    assert names == [
        ("खरगौन", "Khargone"),
        ("इन्दौर", "Indore"),
        ("झाँसी", "Jhansi"),
        ("फ़ैज़ाबाद", "Ayodhya"),
        ("दिल्\u200dली", "Delhi"),
        ("म.प्र", "Madhya Pradesh"),
        ("हिसार", "Hisar"),
    ]


# ---------------------------------------------------------------------------------------------- datelines
DATELINES = [
    ("डिजिटल डेस्क जबलपुर । कोरोना टीकाकरण अभियान के तहत गुरुवार को", "जबलपुर", None),
    ("डिजिटल डेस्क, भोपाल। प्रदेश में आज", "भोपाल", None),
    ("डिजिटल डेस्क नरसिंहपुर। जिले के 80 केंद्रों पर", "नरसिंहपुर", None),
    ("देहरादून। राज्य में आज 60 हजार लोगों को टीका लगा।", "देहरादून", None),
    ("जबलपुर ।। शहर के 120 केंद्रों पर", "जबलपुर", None),
    ("सागर - जिले में सोमवार को टीके लगे", "सागर", None),
    ("रीवा – शहर के टीकाकरण केंद्रों पर भीड़", "रीवा", None),
    ("सतना/ब्यूरो: जिले में टीकाकरण", "सतना", None),
    ("इटारसी/ब्यूरो। शहर में दो केंद्र", "इटारसी", None),
    ("जगदलपुर, 10 मई। बस्तर जिले में", "जगदलपुर", "10 मई"),
    ("पटना, 12 जून। राज्य में", "पटना", "12 जून"),
    ("शिमला, 3 जून। प्रदेश में", "शिमला", "3 जून"),
    ("भोपाल/4 जून, 2021/ प्रदेश में", "भोपाल", "4 जून, 2021"),
    ("इंदौर 04 जून 2021/ जिले में", "इंदौर", "04 जून 2021"),
    ("रायपुर, 5 जून 2021। प्रदेश में", "रायपुर", "5 जून 2021"),
    ("ग्वालियर, 15/06/2021। शहर में", "ग्वालियर", "15/06/2021"),
    ("नवभारत न्यूज, कटनी। जिले में बुधवार को", "कटनी", None),
    ("जबलपुर एक्सप्रेस, सिहोरा। कस्बे के अस्पताल में", "सिहोरा", None),
    ("कटनी,नवभारत ब्यूरो। जिले में", "कटनी", None),
    ("नरसिंहपुर, हरिभूमि ब्यूरो। जिले के", "नरसिंहपुर", None),
    ("लखनऊ, जेएनएन । प्रदेश में बुधवार को", "लखनऊ", None),
    ("टीके की रफ्तार बढ़ी\nमंडला\nजिले में आज 8 हजार लोगों को टीका लगाया गया।", "मंडला", None),
    ("नई दिल्ली: देश में अब तक", "नई दिल्ली", None),
    ("नई दिल्ली (एजेंसी)। देश में", "नई दिल्ली", None),
    ("गोरखपुरः जिले में 30 हजार टीके", "गोरखपुर", None),
    ("बनखेड़ी । नर्मदापुरम जिले के बनखेड़ी ब्लॉक में आज 900 लोगों को टीका लगाया गया।", "बनखेड़ी", None),
    ("मझगवां । सतना जिले के मझगवां विकासखंड में आज 700 लोगों को पहला डोज लगाया गया।", "मझगवां", None),
    ("खरगोन ।  जिले में शनिवार को", "खरगोन", None),
    ("हल्द्वानी - नगर निगम क्षेत्र के 12 केंद्रों पर", "हल्द्वानी", None),
    (
        "सर्वर डाउन रहा, हितग्राही परेशान\nServer was down, beneficiaries upset\n"
        "सर्वर डाउन रहा, हितग्राही परेशान\nडिजिटल डेस्क छिंदवाड़ा । जिले में गुरुवार को",
        "छिंदवाड़ा",
        None,
    ),
]


@pytest.mark.parametrize(("text", "place", "date_text"), DATELINES)
def test_find_dateline(text: str, place: str, date_text: str | None) -> None:
    d = find_dateline(text)
    assert d is not None
    assert d.place == place
    assert text[d.start : d.end] == place
    assert d.date_text == date_text


@pytest.mark.parametrize(
    "text",
    [
        "जबलपुर में 146 केंद्रों पर टीका लगा।",
        "कोरोना: टीकाकरण में तेजी",
        "गाजीपुर-जौनपुर के भी तीन केंद्र",
        "सवाल: क्या टीका सुरक्षित है?",
        "मुंबई, पुणे के टीकाकरण केंद्र बंद",
        "",
    ],
)
def test_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


def test_dateline_only_near_the_top() -> None:
    text = "टीकाकरण की खबर\n" + "कोरोना टीकाकरण की लंबी पंक्ति है और इसमें कोई स्थान नहीं।\n" * 12 + "जबलपुर । अंत"
    assert find_dateline(text) is None


# ---------------------------------------------------------------------------------------------- detect_district
REPORTS = [
    (
        "डिजिटल डेस्क जबलपुर । कोरोना टीकाकरण अभियान के तहत गुरुवार को 146 केंद्रों पर 27 हजार लोगों को टीका लगाने का लक्ष्य था।",
        None,
        "Jabalpur",
        "Madhya Pradesh",
    ),
    (
        "सिहोरा । जबलपुर जिले के सिहोरा विकासखंड में शुक्रवार को 2 हजार लोगों को टीका लगाया गया।",
        None,
        "Jabalpur",
        "Madhya Pradesh",
    ),
    (
        "मझगवां । सतना जिले के मझगवां विकासखंड में आज 700 लोगों को पहला डोज लगाया गया। रीवा से भी टीम आई।",
        None,
        "Satna",
        "Madhya Pradesh",
    ),
    ("गाडरवारा । नरसिंहपुर जिले में आज 5 केंद्रों पर टीके लगे।", None, "Narsinghpur", "Madhya Pradesh"),
    ("इटारसी। होशंगाबाद जिले के इटारसी में 1200 लोगों को टीका लगा।", None, "Hoshangabad", "Madhya Pradesh"),
    ("जगदलपुर, 10 मई। जिले में सोमवार को 5 हजार टीके लगाए गए।", None, "Bastar", "Chhattisgarh"),
    ("जशपुरनगर। जिले में 60 केंद्रों पर टीकाकरण हुआ।", None, "Jashpur", "Chhattisgarh"),
    ("कांकेर। जिले के 45 केंद्रों पर 18 से 44 वर्ष के लोगों को टीका लगा।", None, "Uttar Bastar Kanker", "Chhattisgarh"),
    ("पौड़ी। जनपद में आज 3 हजार लोगों को टीका लगाया गया।", None, "Pauri Garhwal", "Uttarakhand"),
    ("हल्द्वानी - शहर के 12 केंद्रों पर आज 4 हजार टीके लगे।", None, "Nainital", "Uttarakhand"),
    (
        "नई दिल्ली (भाषा)। देश में अब तक 25 करोड़ से अधिक टीके लगाए जा चुके हैं। देशभर में बुधवार को 30 लाख खुराक दी गईं।",
        None,
        None,
        None,
    ),
    (
        "नई दिल्ली। दिल्ली में शुक्रवार को 80 हजार लोगों को टीका लगा। दिल्ली सरकार के अनुसार 300 केंद्रों पर टीकाकरण हुआ।",
        None,
        "Delhi",
        "Delhi",
    ),
    (
        "भोपाल। प्रदेश के सभी जिलों में सोमवार को महाअभियान के तहत 16 लाख टीके लगाए गए।",
        None,
        None,
        "Madhya Pradesh",
    ),
    ("लखनऊ, जेएनएन । प्रदेश भर में बुधवार को 7 लाख लोगों को टीका लगाया गया।", None, None, "Uttar Pradesh"),
    (
        "देहरादून। प्रदेश में शुक्रवार को 60 हजार लोगों को टीका लगा। राज्य में अब तक 30 लाख टीके लगे हैं।",
        None,
        None,
        "Uttarakhand",
    ),
    (
        "देहरादून। जिले में आज 12 हजार लोगों को टीका लगा। देहरादून के 50 केंद्रों पर भीड़ रही।",
        None,
        "Dehradun",
        "Uttarakhand",
    ),
    (
        "भोपाल। शहर के 90 केंद्रों पर आज टीकाकरण हुआ। भोपाल में अब तक 10 लाख टीके लगे।",
        None,
        "Bhopal",
        "Madhya Pradesh",
    ),
    (
        "संस्कारधानी में टीकाकरण की रफ्तार बढ़ी। शहर के 100 केंद्रों पर बुधवार को भीड़ रही।",
        "जबलपुर में 20 हजार को लगा टीका",
        "Jabalpur",
        "Madhya Pradesh",
    ),
    ("बिलासपुर। हिमाचल प्रदेश के बिलासपुर जिले में आज 4 हजार टीके लगे।", None, "Bilaspur", "Himachal Pradesh"),
    ("बिलासपुर। जिले में आज 12 हजार टीके लगे।", None, "Bilaspur", "Chhattisgarh"),
    ("हमीरपुर। हिमाचल के हमीरपुर जिले में 50 केंद्र बनाए गए।", None, "Hamirpur", "Himachal Pradesh"),
    ("नवभारत न्यूज, कटनी। जिले में बुधवार को 9 हजार टीके लगे।", None, "Katni", "Madhya Pradesh"),
    ("बलिया । जनपद में आज 15 हजार लोगों को टीका लगा।", None, "Ballia", "Uttar Pradesh"),
    (
        "सिकंदरपुर । बलिया जनपद के सिकंदरपुर सीएचसी पर शनिवार को 400 लोगों का टीकाकरण किया गया।",
        None,
        "Ballia",
        "Uttar Pradesh",
    ),
    ("पन्ना। जिले में आज 3 हजार लोगों को टीका लगा।", None, "Panna", "Madhya Pradesh"),
    ("गया। जिले में मंगलवार को 20 हजार टीके लगे।", None, "Gaya", "Bihar"),
    (
        "जबलपुर। कटनी जिले में आज 8 हजार टीके लगे। कटनी जिले के 60 केंद्रों पर भीड़ रही।",
        None,
        "Katni",
        "Madhya Pradesh",
    ),
    (
        "जबलपुर। शहर में आज 20 हजार टीके लगे। मंडला जिले से आए लोगों को भी टीका लगाया गया।",
        None,
        "Jabalpur",
        "Madhya Pradesh",
    ),
    (
        "इटारसी। शहर में आज 1500 टीके लगे। बैतूल जिले से आए लोगों को भी टीका लगाया गया।",
        None,
        "Hoshangabad",
        "Madhya Pradesh",
    ),
    (
        "जगदलपुर। जिले में 6 हजार टीके लगे। दंतेवाड़ा जिले की टीम भी पहुंची।",
        None,
        "Bastar",
        "Chhattisgarh",
    ),
    ("मझौली। सीधी जिले के मझौली में आज 500 लोगों को टीका लगा।", None, "Sidhi", "Madhya Pradesh"),
    (
        "देश में अब तक 20 करोड़ टीके लगाए जा चुके हैं। देशभर में शनिवार को 40 लाख लोगों को टीका लगा।",
        None,
        None,
        None,
    ),
    ("जबलपुर में आज देश का सबसे बड़ा टीकाकरण शिविर लगा।", None, "Jabalpur", "Madhya Pradesh"),
    ("मध्यप्रदेश में टीकाकरण महाअभियान की तैयारी पूरी।", None, None, "Madhya Pradesh"),
    ("टीकाकरण केंद्रों पर लंबी कतारें लगीं।", None, None, None),
    # a national desk's story under a Delhi dateline that never speaks of Delhi again; a Delhi story does
    ("नई दिल्ली। एक नए अध्ययन के अनुसार बूस्टर डोज से एंटीबॉडी बढ़ जाती हैं।", None, None, None),
    ("नई दिल्ली। राजधानी में सोमवार को 1.2 लाख लोगों को टीका लगा।", None, "Delhi", "Delhi"),
]


@pytest.mark.parametrize(("text", "title", "district", "state"), REPORTS)
def test_detect_district(text: str, title: str | None, district: str | None, state: str | None) -> None:
    d, s = detect_district(text, title)
    assert (d.name if d else None, s) == (district, state)


# ---------------------------------------------------------------------------------------------- data shape
def test_districts_csv_shape() -> None:
    rows = _rows("districts.csv")
    assert list(rows[0]) == ["district", "state", "state_code", "hindi", "aliases", "context_only"]
    assert len({(r["district"], r["state"]) for r in rows}) == len(rows) == 719
    for r in rows:
        assert r["district"] and r["state"] and len(r["state_code"]) == 2
        names = {fold(n) for n in [r["district"], r["hindi"], *_split(r["aliases"])]}
        for c in _split(r["context_only"]):
            assert fold(c) in names, (r["district"], c)
        assert len(_split(r["aliases"])) == len({fold(a) for a in _split(r["aliases"])}), r["district"]


def test_every_hindi_belt_district_has_hindi() -> None:
    rows = [r for r in _rows("districts.csv") if r["state"] in HINDI_BELT]
    assert {r["state"] for r in rows} == set(HINDI_BELT)
    for r in rows:
        assert r["hindi"] and all("\u0900" <= ch <= "\u097f" or ch in " -" for ch in r["hindi"]), r


def test_no_name_maps_to_two_districts() -> None:
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in _rows("districts.csv"):
        for n in [r["district"], r["hindi"], *_split(r["aliases"])]:
            owners[fold(n)].add((r["district"], r["state_code"]))
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert set(shared) <= SHARED_NAMES, sorted(set(shared) - SHARED_NAMES)
    for who in shared.values():
        assert len({code for _, code in who}) == len(who)  # only across states, never inside one


def test_places_csv_shape() -> None:
    districts = {(r["district"], r["state_code"]) for r in _rows("districts.csv")}
    district_keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in _rows("districts.csv"):
        for n in [r["district"], r["hindi"], *_split(r["aliases"])]:
            district_keys[fold(n)].add((r["district"], r["state_code"]))
    rows = _rows("places.csv")
    assert list(rows[0]) == ["place", "district", "state_code", "kind", "context_only"]
    assert len(rows) >= 300
    seen: dict[str, tuple[str, str]] = {}
    for r in rows:
        where = (r["district"], r["state_code"])
        assert where in districts, r
        assert r["kind"] in {"hq_town", "town", "block", "nickname"}, r
        assert r["context_only"] in {"", "1"}, r
        key = fold(r["place"])
        assert seen.setdefault(key, where) == where, r  # a place name belongs to one district
        others = district_keys.get(key, set()) - {where}
        assert not others or key == fold("पाटन"), (r, others)


def test_states_csv_shape(gz: Gazetteer) -> None:
    rows = _rows("states.csv")
    assert list(rows[0]) == ["state", "state_code", "kind", "hindi", "aliases", "capital", "priority"]
    assert len({r["state_code"] for r in rows}) == len(rows)
    assert {r["state"] for r in _rows("districts.csv")} <= {r["state"] for r in rows}
    keys: dict[str, str] = {}
    for r in rows:
        assert r["kind"] in {"state", "ut", "country"}
        assert int(r["priority"]) > 0
        for n in [r["state"], r["hindi"], *_split(r["aliases"])]:
            assert keys.setdefault(fold(n), r["state"]) == r["state"], n
        for capital in _split(r["capital"]):
            assert gz.lookup(capital) is not None, capital
    hindi_belt_priority = [int(r["priority"]) for r in rows if r["state"] in HINDI_BELT]
    assert max(hindi_belt_priority) < min(int(r["priority"]) for r in rows if r["state"] not in HINDI_BELT)


@pytest.mark.shared
@pytest.mark.skipif(not OFFICIAL_V4.exists(), reason="shared/official not beside the project")
def test_districts_match_official_data() -> None:
    with OFFICIAL_V4.open(encoding="utf-8", newline="") as fh:
        official = {(r["district"], r["state"], r["state_code"]) for r in csv.DictReader(fh)}
    ours = {(r["district"], r["state"], r["state_code"]) for r in _rows("districts.csv")}
    assert ours == official
