"""Plain-text ingest: encodings, format sniffing, and bad input."""

from __future__ import annotations

import codecs

import pytest

import luoshi
from luoshi.errors import InputError
from luoshi.ingest.detect import sniff
from luoshi.ingest.read import read_bytes
from paths import SAMPLE

SEED = SAMPLE.read_text(encoding="utf-8")
SEED_TEXT = luoshi.load(SAMPLE).text


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", b""),
    ],
)
def test_seed_in_other_encodings_cleans_the_same(tmp_path, encoding, bom):
    path = tmp_path / "seed.txt"
    path.write_bytes(bom + SEED.encode(encoding))
    assert luoshi.load(path).text == SEED_TEXT


def test_crlf_line_ends_clean_the_same(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.replace("\n", "\r\n").encode("utf-8"))
    assert luoshi.load(path).text == SEED_TEXT


def test_undecodable_bytes_are_counted_not_dropped():
    raw = read_bytes("增长6%".encode("utf-8") + b"\xff\xfe\xfd" + "左右。".encode("utf-8") * 2, source="x.txt")
    assert raw.warnings and "could not be decoded" in raw.warnings[0]


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("<p>报告</p><p>一</p><div>二</div><p>三</p><br><p>四</p>".encode(), "html"),
        ("增长6%".encode("gb18030"), "txt"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 100, "binary"),
    ],
)
def test_sniff_by_content(data, expected):
    assert sniff(data) == expected


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 100, "binary file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy Word"),
    ],
)
def test_bad_bytes_raise_one_line_input_errors(data, reason):
    with pytest.raises(InputError) as e:
        read_bytes(data, source="bad.bin")
    assert reason in e.value.reason and "\n" not in str(e.value)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("增长6%。" * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="over the"):
        luoshi.load(path, max_bytes=1000)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        luoshi.load(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        luoshi.load(tmp_path)
