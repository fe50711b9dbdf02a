"""The command line: config printing and checking, and bad input refused before any
work with a one-line message naming the key."""

import subprocess
import sys

import pytest

import spinaps
from spinaps.cli import main, parse_value
from spinaps.design import Design


def test_version_and_help():
    out = subprocess.run([sys.executable, "-m", "spinaps.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and spinaps.__version__ in out.stdout
    out = subprocess.run([sys.executable, "-m", "spinaps.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "run" in out.stdout and "config" in out.stdout


def test_config_default_is_a_valid_commented_design(capsys, tmp_path):
    assert main(["config", "--default"]) == 0
    text = capsys.readouterr().out
    assert text.count("# ") > 60
    path = tmp_path / "d.toml"
    path.write_text(text)
    assert Design.from_toml(path) == Design()
    assert main(["config", "--check", str(path)]) == 0
    assert "valid design" in capsys.readouterr().out
    assert main(["config", str(path), "--set", "circuit.node=22"]) == 0
    assert Design.from_toml_text(capsys.readouterr().out).circuit.node == 22


@pytest.mark.parametrize(
    "argv, message",
    [
        (["config", "--check", "missing.toml"], "is not a file"),
        (["run", "--set", "circuit.nod=22"], "circuit.nod: unknown key; did you mean circuit.node?"),
        (["run", "--set", "study.chips=2.7"], "study.chips: 2.7 is not an integer"),
        (["run", "--set", "circuit.node"], "expected KEY=VALUE"),
        (["run", "--seed", "-1"], "study.seed: -1 is outside the allowed range"),
        (["run", "--preset", "Nope2020"], "device.preset: 'Nope2020' is not allowed"),
        (["run", "--temperature", "fast"], "storage.temperature: 'fast' (str) is not allowed"),
        (["run", "-o", ""], "an empty path is not allowed"),
        (["run", "--set", "circuit.t_pulse=1e-8", "--set", "circuit.target_wer=1e-9"], "both given"),
        (["run", "--set", "study.chips=100000"], "GiB of memory"),
    ],
)
def test_bad_input_fails_in_one_line_before_any_work(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "spinaps-output").exists()


def test_run_into_a_file_is_refused(tmp_path, capsys):
    a_file = tmp_path / "f"
    a_file.write_text("x")
    assert main(["run", "-o", str(a_file)]) == 2
    assert "is a file" in capsys.readouterr().err


def test_set_values_are_toml_values():
    assert parse_value("22") == 22 and parse_value("2e-8") == 2e-8 and parse_value("true") is True
    assert parse_value("Sato2013") == "Sato2013" and parse_value('"x y"') == "x y"
    assert parse_value("{diameter = 0.05}") == {"diameter": 0.05}


def test_presets_listed(capsys):
    assert main(["presets"]) == 0
    assert "Ikeda2010" in capsys.readouterr().out
