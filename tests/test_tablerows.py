"""The layout pass that reads tables written in the text (loaders/tablerows.py), alone, on texts of
our own: tab, pipe and Markdown forms, column roles by header words, offsets that point at the cells."""
from __future__ import annotations

import pytest

from adminkg.loaders.korean import Lexicon
from adminkg.loaders.tablerows import column_role, find_tables


@pytest.fixture(scope="module")
def cfg():
    return Lexicon().data["tables"]


TAB = "머리말 한 줄\n\n등급\t기관\t사례명\n최우수\t가나시\t골목 쓰레기 지도\n우수\t다라군\t마을 버스 알림\n\n끝."
PIPE = ("순위 | 시군 | 담당 부서 | 사례명\n1 | 가나시 | 안전과 | 빗물 막이 설치\n"
        "2 | 다라군 | 교통과 | 부르면 오는 버스\n")
MARKDOWN = ("| 등급 | 기관 | 사례명 | 협업 기관 |\n|---|:---:|---|---|\n| 최우수 | 가나공사 | 낙하물 순찰 | ㈜하늘 |\n"
            "| 장려 | 다라공단 | 원격 검침 | 라마대학교 |\n")


@pytest.mark.parametrize("text, roles, first", [
    (TAB, ["grade", "agency", "title"], {"grade": "최우수", "agency": "가나시", "title": "골목 쓰레기 지도"}),
    (PIPE, ["rank", "agency", "department", "title"],
     {"rank": "1", "agency": "가나시", "department": "안전과", "title": "빗물 막이 설치"}),
    (MARKDOWN, ["grade", "agency", "title", "partner"],
     {"grade": "최우수", "agency": "가나공사", "title": "낙하물 순찰", "partner": "㈜하늘"}),
])
def test_rows_cells_and_roles(cfg, text, roles, first):
    (table,) = find_tables(text, cfg)
    assert table.roles == roles
    assert len(table.rows) == 2
    assert {k: v.text for k, v in table.rows[0].cells.items()} == first
    for row in table.rows:  # every cell's offsets point at its text
        for span in row.cells.values():
            assert text[span.start:span.end] == span.text


def test_a_table_without_a_title_column_is_no_table_of_cases(cfg):
    assert find_tables("구분 | 공공기관 | 기업\n대상 | 가나공사 | ㈜다라\n금상 | 마바공단 | ㈜사아\n", cfg) == []


def test_one_row_or_ragged_lines_are_no_table(cfg):
    assert find_tables("등급\t사례명\n최우수\t골목 지도\n", cfg) == []  # a header and one row
    assert find_tables("등급 | 사례명\n최우수 | 골목 지도 | 덤\n우수 | 버스\n", cfg) == []


@pytest.mark.parametrize("header, role", [("사례명", "title"), ("담당 부서", "department"), ("시·군", "agency"),
                                          ("수상 부서", "department"), ("주요 내용", None)])
def test_column_roles_by_header_words(cfg, header, role):
    assert column_role(header, cfg["columns"]) == role
