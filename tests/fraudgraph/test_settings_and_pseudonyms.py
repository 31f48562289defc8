from __future__ import annotations

from pathlib import Path

import pytest

import fraudgraph.settings as settings_module
from fraudgraph.errors import ConfigurationError
from fraudgraph.processes import maven_pom
from fraudgraph.pseudonym import Pseudonymiser, is_pseudonym, scrub_text
from fraudgraph.settings import Settings, load_settings


def test_default_key_refused_in_production() -> None:
    with pytest.raises(ConfigurationError, match="PSEUDONYM_KEY"):
        load_settings(env="production")


def test_production_with_a_secret_key_starts() -> None:
    s = load_settings(env="production", pseudonym_key="a-real-secret")
    assert s.env == "production"


def test_existing_neo4j_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.example:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    monkeypatch.setenv("NEO4J_DATABASE", "afc")
    s = Settings()
    assert not s.managed
    assert s.neo4j_database == "afc"


def test_pseudonyms_are_stable_keyed_and_normalised() -> None:
    p = Pseudonymiser("k1")
    a = p("phone", "+7 701 123 45 67")
    assert a == p("phone", "87011234567")
    assert a != Pseudonymiser("k2")("phone", "+7 701 123 45 67")
    assert is_pseudonym(a) and a.startswith("pho_")
    assert p("account", "kz86 125K ZT50 0410 0100") == p("account", "KZ86125KZT5004100100")
    assert p.resolve("phone", a) == a


def test_scrub_text_removes_identifiers() -> None:
    p = Pseudonymiser("k")
    text = "caller +7 701 123 45 67 paid to KZ86125KZT5004100100, holder 900101300123"
    out = scrub_text(text, p)
    for raw in ("701 123 45 67", "KZ86125KZT5004100100", "900101300123"):
        assert raw not in out
    assert p("account", "KZ86125KZT5004100100") in out


def test_a_dotenv_value_reaches_the_api_config_and_the_check_thresholds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # .env is read from the working directory, under each section's own prefix.
    (tmp_path / ".env").write_text("FRAUDGRAPH_API_RETRY_AFTER_S=9\n"
                                   "FRAUDGRAPH_CHECK_BLOCK_SCORE=0.9\n"
                                   "FRAUDGRAPH_API_PORT=8123\n")
    for name in ("FRAUDGRAPH_API_RETRY_AFTER_S", "FRAUDGRAPH_CHECK_BLOCK_SCORE",
                 "FRAUDGRAPH_API_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.api_port == 8123
    assert s.api.retry_after_s == 9 and s.api.check.block_score == 0.9
    # The environment wins over .env, as for every other setting.
    monkeypatch.setenv("FRAUDGRAPH_CHECK_BLOCK_SCORE", "0.95")
    assert load_settings().api.check.block_score == 0.95


def test_var_dir_is_the_checkouts_in_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRAUDGRAPH_VAR_DIR", raising=False)
    assert Settings(_env_file=None).var_dir == settings_module.REPO_ROOT / "var"


def test_installed_package_keeps_var_in_the_working_directory(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # As installed into site-packages: no pyproject.toml beside the package.
    monkeypatch.setattr(settings_module, "REPO_ROOT", tmp_path / "site-packages")
    monkeypatch.chdir(tmp_path)
    for name in ("FRAUDGRAPH_VAR_DIR", "FRAUDGRAPH_DIST_DIR", "FRAUDGRAPH_KAFKA_DIST_DIR"):
        monkeypatch.delenv(name, raising=False)
    s = Settings(_env_file=None)
    assert (s.var_dir, s.dist_dir, s.kafka_dist_dir) == (
        tmp_path / "var", tmp_path / "var" / "dist", tmp_path / "var" / "kafka-dist")


def test_the_maven_poms_are_package_data() -> None:
    for name in ("neo4j", "plugins", "kafka"):
        pom = maven_pom(name)
        assert pom.is_file() and "<project" in pom.read_text()


def test_relative_server_paths_become_absolute(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    # Neo4j reads relative paths of its config against its own home: a relative var dir
    # made a second, empty store inside the first.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FRAUDGRAPH_VAR_DIR", "var/x")
    s = load_settings()
    assert s.var_dir == tmp_path / "var" / "x"
    assert s.neo4j_home.is_absolute() and s.password_file.is_absolute()
    assert Settings(dist_dir=Path("d"), java_home=None).dist_dir == tmp_path / "d"
