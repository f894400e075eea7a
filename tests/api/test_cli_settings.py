"""Wrong settings stop ``planqa`` with one bilingual line naming the variable, never its
value: the API key above all, which used to be printed in a 33-line traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from api.cli import main
from planqa.settings import ApiSettings

SHORT_KEY = "short-secret-9"


def refusal(env: dict[str, str]) -> str:
    result = CliRunner().invoke(main, ["serve", "--help"], env=env)  # settings load first
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


def test_a_too_short_key_stops_the_server_with_one_line_that_never_shows_it() -> None:
    output = refusal({"PLANQA_API__API_KEY": SHORT_KEY})
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("Error: 設定が正しくありません / invalid settings")
    assert "PLANQA_API__API_KEY" in lines[0]
    assert "16 文字以上" in lines[0] and "at least 16 characters" in lines[0]
    assert SHORT_KEY not in output and "Traceback" not in output
    assert "pydantic.dev" not in output


@pytest.mark.parametrize("blank", [" " * 16, "\t" * 20, " " * 8 + "abc" + " " * 8, ""])
def test_a_blank_or_padded_short_key_is_refused(blank: str) -> None:
    assert "PLANQA_API__API_KEY" in refusal({"PLANQA_API__API_KEY": blank})
    with pytest.raises(ValidationError):
        ApiSettings(api_key=blank)


def test_a_long_key_is_kept_without_the_blanks_around_it() -> None:
    key = "0123456789abcdef-key"
    assert ApiSettings(api_key=f"  {key}\n").api_key.get_secret_value() == key


def test_any_wrong_setting_names_its_variable_without_its_value() -> None:
    output = refusal({"PLANQA_API__PORT": "99999"})
    assert output.count("\n") == 1 and "PLANQA_API__PORT" in output
    assert "99999" not in output
