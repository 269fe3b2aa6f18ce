"""The two file stores behind one interface: a folder on disk, and S3-compatible storage (through boto3,
answered here by botocore's Stubber, so no network is used)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from learnpath.errors import NotFoundError, ValidationError
from learnpath.settings import Settings
from learnpath.storage.files import DiskStore, S3Store, check_key, make_store


def _source(tmp_path: Path, data: bytes) -> Path:
    p = tmp_path / "upload.part"
    p.write_bytes(data)
    return p


def test_disk_store_round_trip(tmp_path: Path) -> None:
    store = DiskStore(tmp_path / "store")
    store.put("7/abc.png", _source(tmp_path, b"x" * 300_000), "image/png")
    assert store.exists("7/abc.png") and not (tmp_path / "upload.part").exists()
    assert b"".join(store.chunks("7/abc.png")) == b"x" * 300_000
    assert store.local_path("7/abc.png") == tmp_path / "store" / "7" / "abc.png"
    store.delete("7/abc.png")
    store.delete("7/abc.png")  # already gone: no error
    assert not store.exists("7/abc.png") and store.local_path("7/abc.png") is None
    with pytest.raises(NotFoundError):
        store.chunks("7/abc.png")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "a b", "", "a//b", ".hidden"])
def test_unsafe_keys_are_refused(key: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a safe storage key"):
        check_key(key)
    with pytest.raises(ValueError):
        DiskStore(tmp_path).delete(key)


def test_make_store_follows_the_settings(tmp_path: Path) -> None:
    disk = make_store(Settings(data_dir=str(tmp_path), _env_file=None))  # type: ignore[call-arg]
    assert isinstance(disk, DiskStore) and disk.root == tmp_path / "portfolio"
    with pytest.raises(ValidationError, match="LEARNPATH_S3_BUCKET"):
        make_store(Settings(portfolio_storage="s3", _env_file=None))  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="'disk' or 's3'"):
        Settings(portfolio_storage="ftp", _env_file=None)  # type: ignore[call-arg]


def test_s3_store_against_a_stubbed_client(tmp_path: Path) -> None:
    pytest.importorskip("boto3")
    from botocore.response import StreamingBody
    from botocore.stub import ANY, Stubber

    store = make_store(
        Settings(  # type: ignore[call-arg]
            portfolio_storage="s3",
            s3_bucket="work",
            s3_prefix="lp/",
            s3_endpoint_url="http://127.0.0.1:9",
            s3_region="eu-west-1",
            s3_access_key_id="k",
            s3_secret_access_key="s",
            _env_file=None,
        )
    )
    assert isinstance(store, S3Store)
    data = b"\x89PNG\r\n\x1a\n" + b"p" * 1000
    with Stubber(store.client) as stub:
        stub.add_response(
            "put_object",
            {},
            {"Bucket": "work", "Key": "lp/3/k.png", "Body": ANY, "ContentType": "image/png"},
        )
        stub.add_response(
            "get_object",
            {"Body": StreamingBody(io.BytesIO(data), len(data)), "ContentLength": len(data)},
            {"Bucket": "work", "Key": "lp/3/k.png"},
        )
        stub.add_client_error(
            "get_object", service_error_code="NoSuchKey", http_status_code=404, expected_params=None
        )
        stub.add_response("head_object", {}, {"Bucket": "work", "Key": "lp/3/k.png"})
        stub.add_client_error("head_object", service_error_code="404", http_status_code=404)
        stub.add_response("delete_object", {}, {"Bucket": "work", "Key": "lp/3/k.png"})
        store.put("3/k.png", _source(tmp_path, data), "image/png")
        assert b"".join(store.chunks("3/k.png")) == data
        with pytest.raises(NotFoundError):
            store.chunks("3/gone.png")
        assert store.exists("3/k.png") and not store.exists("3/gone.png")
        store.delete("3/k.png")
        stub.assert_no_pending_responses()
    assert store.local_path("3/k.png") is None
