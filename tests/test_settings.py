"""luoshi.settings: every environment variable read in one place, every number checked one way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from luoshi import settings
from luoshi.cli import app
from luoshi.errors import InputError
from luoshi.settings import NUMBERS, SettingError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_defaults_when_unset_or_empty(name, monkeypatch):
    monkeypatch.delenv(name, raising=False)
    assert settings.number(name) == NUMBERS[name].default
    monkeypatch.setenv(name, "  ")
    assert settings.number(name) == NUMBERS[name].default


@pytest.mark.parametrize("name", sorted(NUMBERS))
@pytest.mark.parametrize("value", ["lots", "-1", "nan", "inf", "1e400"])
def test_a_bad_number_is_refused_naming_the_variable(name, value, monkeypatch):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as info:
        settings.number(name)
    assert str(info.value) == f"{name} is {NUMBERS[name].what}, not {value!r}"
    assert isinstance(info.value, InputError) and info.value.source == name


def test_whole_numbers_and_least_values(monkeypatch):
    monkeypatch.setenv("LUOSHI_MAX_PDF_PAGES", "2.5")
    with pytest.raises(SettingError, match="is a whole number of pages, 1 or more, not '2.5'"):
        settings.max_pdf_pages()
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "0")
    with pytest.raises(SettingError, match="^LUOSHI_MAX_BYTES is a whole number of bytes, 1 or more, not '0'$"):
        settings.max_bytes()
    monkeypatch.setenv("LUOSHI_MAX_BYTES", " 1000 ")
    assert settings.max_bytes() == 1000
    monkeypatch.setenv("LUOSHI_PG_STATEMENT_TIMEOUT", "0")  # 0: no limit
    assert settings.pg_statement_timeout() == 0.0
    monkeypatch.setenv("LUOSHI_BUSY_TIMEOUT", "0.25")
    assert settings.busy_timeout() == 0.25


def test_text_settings(monkeypatch, tmp_path):
    monkeypatch.delenv("LUOSHI_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert settings.database() is None and settings.data_home() == tmp_path
    monkeypatch.setenv("LUOSHI_DB", "postgresql://u@host/luoshi")
    assert settings.database() == "postgresql://u@host/luoshi"
    monkeypatch.setenv("LUOSHI_DEPARTMENTS", "")
    assert settings.departments_file() is None


def test_a_bad_setting_is_one_line_from_the_cli(monkeypatch, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("2024年全市地区生产总值增长5.5%。", encoding="utf-8")
    monkeypatch.setenv("LUOSHI_MAX_BYTES", "lots")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 2
    assert result.stderr == "luoshi: LUOSHI_MAX_BYTES is a whole number of bytes, 1 or more, not 'lots'\n"


def test_the_environment_is_read_only_by_settings():
    """No other module reads os.environ (luoshi serve --workers N sets LUOSHI_DB for its workers)."""
    readers = []
    for path in (ROOT / "src" / "luoshi").rglob("*.py"):
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ\.get|os\.getenv|os\.environ\[[^]]+\](?!\s*=)", text):
            readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_every_variable_is_in_the_table_and_in_docs_limits():
    doc = settings.__doc__
    limits = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name in NUMBERS:
        assert f"``{name}``" in doc
        assert name in limits
    for name in (settings.DATABASE, settings.DEPARTMENTS, "XDG_DATA_HOME"):
        assert f"``{name}``" in doc


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_a_bad_setting_reads_in_chinese_in_the_web_app(name):
    from luoshi import locale

    message = str(SettingError(name, NUMBERS[name].what, "12x"))
    for shown in (message, f"{name}: {message}"):
        zh = locale.sentence(shown, "zh_CN")
        assert zh != shown and name in zh and "'12x'" in zh and re.search(r"[\u4e00-\u9fff]", zh), zh
        assert not re.search(r"\b(is|number|not)\b", zh), zh
