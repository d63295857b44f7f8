"""Commune linking against underthesea's 2025 administrative-unit mapping, and report locations."""

from __future__ import annotations

import json
import unicodedata

import pytest

from vnreport_ie.text.communes import CommuneLinker, link_commune, link_communes, report_location

from tests.conftest import CORPUS, require_in_ci  # noqa: E402

# Names as the five reports write them -> (district given, official district, commune, merged into on 1/7/2025).
# The truth is underthesea/address/data/mapping.json (underthesea 9.5).
LINKED = [
    ("caoloc-hop-thanh", "xã Hợp Thành", "Cao Lộc", "Huyện Cao Lộc", "Xã Hợp Thành", "Phường Kỳ Lừa"),
    ("caoloc-yen-trach", "Yên Trạch", "huyện Cao Lộc", "Huyện Cao Lộc", "Xã Yên Trạch", "Phường Đông Kinh"),
    ("caoloc-gia-cat", "xã Gia Cát", "Huyện Cao Lộc", "Huyện Cao Lộc", "Xã Gia Cát", "Phường Kỳ Lừa"),
    ("binhgia-hoa-tham", "xã Hoa Thám", "Bình Gia", "Huyện Bình Gia", "Xã Hoa Thám", "Xã Hoa Thám"),
    ("binhgia-minh-khai-renamed", "xã Minh Khai", "Bình Gia", "Huyện Bình Gia", "Xã Minh Khai", "Xã Hồng Phong"),
    ("chilang-bang-mac-unique", "xã Bằng Mạc", None, "Huyện Chi Lăng", "Xã Bằng Mạc", "Xã Bằng Mạc"),
    ("chilang-dong-mo-township", "thị trấn Đồng Mỏ", None, "Huyện Chi Lăng", "Thị trấn Đồng Mỏ", "Xã Chi Lăng"),
    ("langson-hoang-dong-unique", "xã Hoàng Đồng", None, "Thành phố Lạng Sơn", "Xã Hoàng Đồng", "Phường Tam Thanh"),
    ("langson-ward-chi-lang", "phường Chi Lăng", "TP. Lạng Sơn", "Thành phố Lạng Sơn", "Phường Chi Lăng", "Phường Lương Văn Tri"),
    ("bacson-tan-tri", "xã Tân Tri", "Bắc Sơn", "Huyện Bắc Sơn", "Xã Tân Tri", "Xã Tân Tri"),
]


@pytest.mark.parametrize(
    "case,name,district,official_district,commune,new_commune", LINKED, ids=[row[0] for row in LINKED]
)
def test_report_names_link_to_their_unit_and_merger(case, name, district, official_district, commune, new_commune):
    link = link_commune(name, district=district)
    assert link.status == "linked", link.reason
    assert (link.province, link.district, link.commune) == ("Tỉnh Lạng Sơn", official_district, commune)
    assert link.new_province == "Tỉnh Lạng Sơn"
    assert link.new_commune == new_commune
    assert link.name == name
    assert link.match == "exact"
    assert link.reason == ""


def test_ambiguous_name_is_resolved_by_district_and_stays_ambiguous_without():
    alone = link_commune("Hoa Thám")
    assert alone.status == "ambiguous"
    assert set(alone.candidates) == {
        ("Tỉnh Cao Bằng", "Huyện Nguyên Bình", "Xã Hoa Thám"),
        ("Tỉnh Lạng Sơn", "Huyện Bình Gia", "Xã Hoa Thám"),
    }
    assert alone.commune == "" and alone.new_commune == ""
    assert "district" in alone.reason
    assert link_commune("Hoa Thám", district="huyện Bình Gia").district == "Huyện Bình Gia"
    assert link_commune("Hoa Thám", province="Lạng Sơn").district == "Huyện Bình Gia"


def test_province_alone_can_leave_a_name_ambiguous():
    # Thụy Hùng is a commune of both Cao Lộc and Văn Lãng (Lạng Sơn), and of Thạch An (Cao Bằng).
    in_province = link_commune("xã Thụy Hùng", province="tỉnh Lạng Sơn")
    assert in_province.status == "ambiguous"
    assert {c[1] for c in in_province.candidates} == {"Huyện Cao Lộc", "Huyện Văn Lãng"}
    assert link_commune("xã Thụy Hùng", district="Cao Lộc").new_commune == "Xã Đồng Đăng"
    assert link_commune("xã Thụy Hùng", district="Văn Lãng", province="Lạng Sơn").district == "Huyện Văn Lãng"


def test_written_unit_word_chooses_between_commune_and_township_of_one_name():
    assert link_commune("Chi Lăng", district="Chi Lăng").status == "ambiguous"
    assert link_commune("xã Chi Lăng", district="Chi Lăng").commune == "Xã Chi Lăng"
    assert link_commune("thị trấn Chi Lăng", district="Chi Lăng").commune == "Thị trấn Chi Lăng"


def test_unknown_name_is_not_found_with_a_reason():
    # "Hợp tác xã Xuân Giáp Thìn" in the Lạng Sơn city report: not a commune.
    link = link_commune("Xuân Giáp", district="Thành phố Lạng Sơn")
    assert link.status == "not_found"
    assert "Xuân Giáp" in link.reason
    assert link.candidates == () and link.commune == ""
    assert link_commune("xã").status == "not_found"


def test_name_unique_in_the_country_links_even_outside_the_given_district():
    link = link_commune("Bằng Mạc", district="Cao Lộc")
    assert (link.status, link.district) == ("linked", "Huyện Chi Lăng")


@pytest.mark.parametrize(
    "case,written,district,commune",
    [
        ("new-style-tone-placement", "Thuỵ Hùng", "Cao Lộc", "Xã Thụy Hùng"),
        ("old-style-tone-placement", "xã Hoà Cư", "Cao Lộc", "Xã Hòa Cư"),
        ("decomposed-unicode", unicodedata.normalize("NFD", "xã Hợp Thành"), "Cao Lộc", "Xã Hợp Thành"),
        ("upper-case", "XÃ YÊN TRẠCH", "CAO LỘC", "Xã Yên Trạch"),
        ("footnote-star-and-spaces", "  xã Chiến Thắng* ", "Bắc Sơn", "Xã Chiến Thắng"),
        ("lower-case-in-the-mapping", "xã Đồng Ý", "Bắc Sơn", "Xã Đồng ý"),
        ("abbreviated-unit", "TT. Đồng Đăng", "Cao Lộc", "Thị trấn Đồng Đăng"),
    ],
)
def test_spelling_variants_link(case, written, district, commune):
    link = link_commune(written, district=district)
    assert link.status == "linked", link.reason
    assert link.commune == commune
    assert link.match == "exact"


def test_wrong_tone_links_by_the_unaccented_key_and_says_so():
    # The Bắc Sơn report writes "Long Đông" and "Long Đồng" for xã Long Đống.
    for written in ("xã Long Đông", "xã Long Đồng"):
        link = link_commune(written, district="Bắc Sơn")
        assert (link.status, link.commune, link.new_commune) == ("linked", "Xã Long Đống", "Xã Bắc Sơn")
        assert link.match == "unaccented"


def test_other_diacritics_are_not_trusted_outside_the_district():
    alone = link_commune("xã Long Đông")
    assert alone.status == "not_found"
    assert "Xã Long Đống, Huyện Bắc Sơn" in alone.reason  # the near miss is named, not chosen
    # A truncated "phường Hoàng Văn [Thụ]" must not become xã Hoàng Vân of another district.
    assert link_commune("phường Hoàng Văn", district="Thành phố Lạng Sơn", province="Lạng Sơn").status == "not_found"


def test_name_written_without_diacritics_links_by_the_unaccented_key():
    link = link_commune("Hop Thanh", district="Cao Lộc")
    assert (link.status, link.commune, link.match) == ("linked", "Xã Hợp Thành", "unaccented")


def test_divided_commune_lists_every_new_unit_default_first():
    link = link_commune("xã Hồng Phong", district="Bình Gia")
    assert link.mapping_type == "divided"
    assert link.new_commune == "Xã Hồng Phong"
    assert set(link.new_communes) == {"Xã Hồng Phong", "Xã Đồng Đăng"}


# Headers written for these tests in the shapes the reports use.
HEADERS = [
    ("issuer-upper-case", "UBND HUYỆN CHI LĂNG\nSố: /BC-UBND\nBÁO CÁO\n", "Huyện Chi Lăng", "header"),
    ("issuer-joined-with-motto", "UBND HUYỆN CAO LỘC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBÁO CÁO\n", "Huyện Cao Lộc", "header"),
    ("issuer-city", "UBND thành phố Lạng Sơn\nBÁO CÁO\n", "Thành phố Lạng Sơn", "header"),
    ("issuer-spelled-out", "ỦY BAN NHÂN DÂN HUYỆN BÌNH GIA\nBÁO CÁO\n", "Huyện Bình Gia", "header"),
    ("place-date", "Số: 124/BC-UBND\nCao Lộc, ngày 17 tháng 02 năm 2023\nBÁO CÁO\n", "Huyện Cao Lộc", "place_date"),
    ("place-date-city", "TP. Lạng Sơn, ngày 15 tháng 3 năm 2024\nBÁO CÁO\n", "Thành phố Lạng Sơn", "place_date"),
    ("body-only", "THÔNG BÁO\nKiểm tra huyện Bình Gia, tỉnh Lạng Sơn; UBND huyện Bình Gia báo cáo.\n", "Huyện Bình Gia", "body"),
]


@pytest.mark.parametrize("case,text,district,source", HEADERS, ids=[row[0] for row in HEADERS])
def test_report_location_from_written_headers(case, text, district, source):
    location = report_location(text)
    assert location is not None
    assert (location.district, location.province, location.source) == (district, "Tỉnh Lạng Sơn", source)


def test_issuer_in_the_header_wins_over_other_districts_named():
    text = (
        "UBND HUYỆN CHI LĂNG\n"
        "Cao Lộc, ngày 3 tháng 7 năm 2024\n"
        "BÁO CÁO\n"
        "Phối hợp với huyện Cao Lộc, huyện Cao Lộc và huyện Bắc Sơn trên tuyến cao tốc.\n"
    )
    assert report_location(text).district == "Huyện Chi Lăng"
    assert report_location(text.replace("UBND HUYỆN CHI LĂNG\n", "")).source == "place_date"


def test_report_location_uses_the_provinces_named_to_tell_same_named_districts_apart():
    header = "UBND HUYỆN CHÂU THÀNH\nBÁO CÁO\n"
    assert report_location(header) is None  # Châu Thành is a district of several provinces
    location = report_location(header + "Thực hiện Quyết định của UBND tỉnh An Giang.\n")
    assert (location.district, location.province) == ("Huyện Châu Thành", "Tỉnh An Giang")


def test_report_location_is_none_when_no_real_district_is_named():
    assert report_location("UBND HUYỆN VÔ DANH\nBÁO CÁO\nCác xã của huyện đạt kế hoạch; tỉnh Lạng Sơn.\n") is None
    assert report_location("") is None


CORPUS_DISTRICTS = [
    ("000_1888fe766e455f9b.txt", "Huyện Chi Lăng"),
    ("001_705a537767a48038.txt", "Huyện Cao Lộc"),
    ("002_06afef0005d2e5be.txt", "Huyện Bắc Sơn"),
    ("003_b47614d5102acb89.txt", "Huyện Bình Gia"),  # issued by the province, about Bình Gia
    ("004_1337deab50cab3a5.txt", "Thành phố Lạng Sơn"),
]


@pytest.mark.parametrize("filename,district", CORPUS_DISTRICTS)
def test_report_location_of_the_corpus_reports(filename, district):
    path = CORPUS / filename
    if not path.exists():
        require_in_ci(f"the shared corpus is not at {CORPUS} (it is ../shared/corpus beside the clone)")
    location = report_location(path.read_text(encoding="utf-8"))
    assert location is not None
    assert (location.district, location.province) == (district, "Tỉnh Lạng Sơn")


def test_link_communes_resolves_with_the_reports_own_district():
    report = "UBND HUYỆN CAO LỘC\nBÁO CÁO\nThẩm định 04 khu dân cư tại các xã Hợp Thành, Xuất Lễ, Tân Liên và Yên Trạch."
    links = link_communes(["Hợp Thành", "Xuất Lễ", "Tân Liên", "Yên Trạch", "Thụy Hùng"], report_text=report)
    assert [link.status for link in links] == ["linked"] * 5
    assert {link.district for link in links} == {"Huyện Cao Lộc"}
    without = link_communes(["Hợp Thành", "Thụy Hùng"])
    assert [link.status for link in without] == ["ambiguous", "ambiguous"]


def test_missing_mapping_file_says_where_and_what(tmp_path):
    linker = CommuneLinker(tmp_path / "mapping.json")
    with pytest.raises(RuntimeError, match="mapping.json"):
        linker.link("Hợp Thành")


def test_linker_reads_a_mapping_file_given_to_it(tmp_path):
    row = {
        "old_province": "Tỉnh Lạng Sơn",
        "old_district": "Huyện Cao Lộc",
        "old_ward": "Xã Hợp Thành",
        "new_province": "Tỉnh Lạng Sơn",
        "new_ward": "Phường Kỳ Lừa",
        "mapping_type": "merged",
    }
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps({"ward_mapping": [row]}), encoding="utf-8")
    link = CommuneLinker(path).link("Hợp Thành")
    assert (link.status, link.new_commune) == ("linked", "Phường Kỳ Lừa")


def test_a_unit_the_2025_merger_made_links_to_its_new_province():
    link = link_commune("xã Quế Sơn Trung")
    assert (link.status, link.new_province, link.new_commune) == ("linked", "Thành phố Đà Nẵng", "Xã Quế Sơn Trung")
    assert link.commune == "" and link.district == ""  # no pre-2025 unit, no district
    assert "2025" in link.reason
    # within the province the text names; not in another one
    assert link_commune("Điện Bàn Tây", province="thành phố Đà Nẵng").status == "linked"
    assert link_commune("Điện Bàn Tây", province="Lạng Sơn").status == "not_found"
    # two units the merger made share the name: the written unit word chooses, else both are candidates
    # (province, district, commune), the district empty
    assert link_commune("phường Thượng Hồng").new_province == "Tỉnh Hưng Yên"
    both = link_commune("Thượng Hồng")
    assert both.status == "ambiguous"
    assert both.candidates == (("Thành phố Hải Phòng", "", "Xã Thượng Hồng"), ("Tỉnh Hưng Yên", "", "Phường Thượng Hồng"))
    # a pre-2025 unit of the name comes first: "Bằng Mạc" is Chi Lăng's commune, whatever it merged into
    assert link_commune("Bằng Mạc").district == "Huyện Chi Lăng"
