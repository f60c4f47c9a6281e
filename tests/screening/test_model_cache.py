"""The typo word model is built once and then loaded from the user's cache — never wrongly, never unsafely."""

from __future__ import annotations

import os
import shutil

import pytest

from govmedia.screening import typos


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GOVMEDIA_CACHE_DIR", str(folder))
    typos.model.cache_clear()   # the process keeps its model: these tests ask for it anew
    yield folder
    typos.model.cache_clear()


def entries(folder):
    return sorted(folder.glob("typo-model-*"))


def test_the_model_is_built_once_and_then_read_from_the_cache(cache, monkeypatch):
    built = typos.model()
    [entry] = entries(cache)
    typos.model.cache_clear()
    monkeypatch.setattr(typos, "_build_model", lambda: pytest.fail("built again"))
    loaded = typos.model()
    assert loaded == built and loaded is not built
    assert entries(cache) == [entry]


def test_a_damaged_entry_is_rebuilt_and_findings_do_not_change(cache):
    expected = typos.find_typos("市大数局部署工作，按部就搬。")
    assert expected   # the test means something only if the model finds typos here
    [entry] = entries(cache)
    data = bytearray(entry.read_bytes())
    for damage in (lambda d: d[:len(d) // 2], lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:], lambda d: b""):
        entry.write_bytes(bytes(damage(data)))
        typos.model.cache_clear()
        typos.forget_judgements()
        assert typos._cached_model(typos._model_key()) is None
        assert typos.find_typos("市大数局部署工作，按部就搬。") == expected   # rebuilt, and stored whole again
        assert entry.read_bytes() == bytes(data)


def test_a_valid_digest_over_something_that_is_not_a_model_is_refused(cache):
    import hashlib
    import marshal

    typos.model()
    [entry] = entries(cache)
    for payload in (marshal.dumps((1, 2, 3)), marshal.dumps(("a",) * 7), b"\xff\xff"):
        entry.write_bytes(hashlib.sha256(payload).digest() + payload)
        assert typos._cached_model(typos._model_key()) is None


def test_a_changed_dictionary_file_means_a_new_model(cache, tmp_path, monkeypatch):
    copy = tmp_path / "dict.txt"
    shutil.copy(typos._dictionary(), copy)
    monkeypatch.setattr(typos, "_dictionary", lambda: copy)
    before = typos._model_key()
    typos.model()
    with copy.open("a", encoding="utf-8") as f:
        f.write("大数局 100000 n\n")
    assert typos._model_key() != before
    [old] = entries(cache)
    typos.model.cache_clear()
    assert typos.model().logp.get("大数局") is not None   # the new word is in: not the old model
    assert len(entries(cache)) == 2 and old in entries(cache)   # the newest earlier model is kept
    with copy.open("a", encoding="utf-8") as f:
        f.write("人社局 100000 n\n")
    typos.model.cache_clear()
    typos.model()
    assert len(entries(cache)) == 2 and old not in entries(cache)   # older ones go: the cache does not keep growing


def test_an_entry_someone_else_may_write_is_not_read(cache):
    typos.model()
    [entry] = entries(cache)
    os.chmod(entry, 0o666)
    assert typos._cached_model(typos._model_key()) is None
    os.chmod(entry, 0o600)
    assert typos._cached_model(typos._model_key()) is not None


def test_a_folder_others_may_write_is_neither_read_nor_written(cache):
    typos.model()
    [entry] = entries(cache)
    os.chmod(cache, 0o777)
    assert typos._cached_model(typos._model_key()) is None
    entry.unlink()
    typos.model.cache_clear()
    typos.model()
    assert entries(cache) == []   # built, not stored
    os.chmod(cache, 0o700)
    typos.model.cache_clear()
    typos.model()
    assert entries(cache) == [entry]
