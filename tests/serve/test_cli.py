"""`healthfm serve keys issue|list|revoke` and the `serve` command's arguments."""

from __future__ import annotations

import hashlib

import pytest

from healthfm.cli import main
from tests.serve.conftest import Served


def test_keys_issue_list_revoke(served: Served, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--store", str(served.store.root), "serve", "keys"]
    url = ["--catalog-url", served.catalog_url]
    main(
        [
            *base,
            "issue",
            "--site",
            "Cleveland",
            "--scope",
            "review",
            "--scope",
            "metrics",
            "--name",
            "ward 7",
            *url,
        ]
    )
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("hfm_")
    with served.catalog() as cat:
        record = cat.api_key(hashlib.sha256(secret.encode()).hexdigest())
    assert record is not None and record.site == "Cleveland" and record.scopes == ("metrics", "review")
    main([*base, "list", *url])
    listing = capsys.readouterr().out
    assert record.key_id in listing and secret not in listing
    main([*base, "revoke", record.key_id, *url])
    with served.catalog() as cat:
        assert cat.api_key(record.key_hash).revoked_at is not None  # type: ignore[union-attr]


def test_bad_arguments_exit_with_usage_errors(served: Served) -> None:
    base = ["--store", str(served.store.root), "serve"]
    with pytest.raises(SystemExit) as exc:
        main(
            [
                *base,
                "keys",
                "issue",
                "--site",
                "A",
                "--scope",
                "everything",
                "--catalog-url",
                served.catalog_url,
            ]
        )
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main([*base, "--model", "bad name!"])
    assert exc.value.code == 2
