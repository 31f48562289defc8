"""The class archive's bookkeeping, without a JVM: which flags a start gets, and what a
clean or a killed stop leaves behind."""

from __future__ import annotations

from pathlib import Path

from fraudgraph.class_archive import ClassArchive, archive_key


def test_a_first_start_writes_a_partial_archive_at_exit(tmp_path: Path) -> None:
    a = ClassArchive(tmp_path / "run", "k1")
    (tmp_path / "run").mkdir()
    a.partial.write_bytes(b"left by a killed run")
    flags = a.jvm_flags()
    assert flags == [f"-XX:ArchiveClassesAtExit={a.partial}"]
    assert not a.partial.exists()  # a stale half-written dump is not kept


def test_a_clean_stop_keeps_the_dump_and_later_starts_use_it(tmp_path: Path) -> None:
    run = tmp_path / "run"
    old = ClassArchive(run, "old")
    run.mkdir()
    old.path.write_bytes(b"archive of another JDK")
    a = ClassArchive(run, "new")
    a.jvm_flags()
    a.partial.write_bytes(b"dumped classes")
    assert a.settle(stopped_cleanly=True)
    assert a.path.read_bytes() == b"dumped classes" and not a.partial.exists()
    assert not old.path.exists()  # one archive per home: the key changed
    assert a.jvm_flags() == [f"-XX:SharedArchiveFile={a.path}", "-Xshare:auto"]
    assert not a.settle(stopped_cleanly=True)  # nothing new to keep


def test_a_killed_or_empty_dump_is_dropped(tmp_path: Path) -> None:
    a = ClassArchive(tmp_path, "k")
    a.partial.write_bytes(b"half")
    assert not a.settle(stopped_cleanly=False)
    assert not a.partial.exists() and not a.path.exists()
    a.partial.write_bytes(b"")
    assert not a.settle(stopped_cleanly=True)
    assert not a.path.exists()


def test_the_key_changes_with_any_part() -> None:
    base = archive_key(["java", "17.0.15", "5.26.19", "2g"])
    assert base == archive_key(["java", "17.0.15", "5.26.19", "2g"])
    assert base != archive_key(["java", "21.0.1", "5.26.19", "2g"])
    assert base != archive_key(["java", "17.0.15", "5.26.19", "3g"])
    # Parts are delimited: moving a boundary is a different key.
    assert archive_key(["ab", "c"]) != archive_key(["a", "bc"])


def test_mapped_by_an_unknown_process_is_false(tmp_path: Path) -> None:
    assert not ClassArchive(tmp_path, "k").mapped_by(2**22 + 12345)
