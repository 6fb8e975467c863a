"""The catalog's serving tables and methods (migration 0002): API keys, the review queue, grouped audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthfm.store.catalog import Catalog, CatalogError


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return Catalog.open(f"sqlite:///{tmp_path / 'c.sqlite'}")


def test_grouped_audit_keeps_the_chain(catalog: Catalog) -> None:
    catalog.audit("a", "first")
    entries = catalog.audit_many([("b", "x", "42", {"n": i}) for i in range(5)] + [("c", "y", None, None)])
    assert [e.id for e in entries] == [2, 3, 4, 5, 6, 7]
    catalog.audit("d", "last")
    assert catalog.verify_audit_chain().ok
    assert catalog.verify_audit_chain().n_entries == 8
    with pytest.raises(CatalogError):
        catalog.audit_many([("ok", "x", None, None), ("", "bad actor", None, None)])
    assert catalog.verify_audit_chain().n_entries == 8  # all or nothing


def test_api_keys(catalog: Catalog) -> None:
    record = catalog.add_api_key("abc", "0" * 64, name="n", site="Cleveland", scopes=["review"])
    assert catalog.api_key("0" * 64) == record and catalog.api_key("1" * 64) is None
    with pytest.raises(CatalogError):
        catalog.add_api_key("abc", "2" * 64, name="n", site="x", scopes=["review"])
    revoked = catalog.revoke_api_key("abc")
    assert revoked.revoked_at is not None and catalog.revoke_api_key("abc").revoked_at == revoked.revoked_at
    assert [e.action for e in catalog.audit_entries()] == ["apikey.issued", "apikey.revoked"]


def test_review_queue(catalog: Catalog) -> None:
    items = catalog.enqueue_reviews(
        [
            {
                "subject": str(s),
                "site": "A",
                "model": "m",
                "version": 1,
                "probability": 0.9,
                "risk": 0.85,
                "threshold": 0.5,
                "reasons": ["high"],
                "details": {"k": s},
            }
            for s in (1, 2)
        ]
    )
    assert [i.id for i in items] == [1, 2]
    assert catalog.review_items(status="pending") == items
    assert catalog.review_items(sites=["B"]) == []
    with pytest.raises(CatalogError, match="reason"):
        catalog.decide_review(1, decision="override", by="dr")
    done = catalog.decide_review(1, decision="override", by="dr", reason="context")
    assert done.status == "overridden" and done.decision_reason == "context"
    with pytest.raises(CatalogError, match="already decided"):
        catalog.decide_review(1, decision="accept", by="dr")
    assert catalog.count_reviews() == 1
    assert [e.action for e in catalog.audit_entries()] == ["review.enqueued"] * 2 + ["review.decided"]
    assert catalog.verify_audit_chain().ok


def test_reviews_and_request_entries_commit_together(catalog: Catalog) -> None:
    item = {
        "subject": "7",
        "site": "A",
        "model": "m",
        "version": 1,
        "probability": 0.9,
        "risk": 0.85,
        "threshold": 0.5,
        "reasons": ["high"],
        "details": {},
        "actor": "key:a",
    }
    entry = ("key:a", "serve.predict", "7", {"risk": 0.85})
    plain = ("key:a", "serve.predict", "8", {"risk": 0.1})
    out = catalog.record_reviewed([(item, entry), (None, plain), ({**item, "subject": "9"}, None)])
    assert [None if o is None else o.id for o in out] == [1, None, 2]
    rows = [(e.action, e.subject, e.details.get("review_id")) for e in catalog.audit_entries()]
    assert rows == [
        ("review.enqueued", "7", 1),
        ("serve.predict", "7", 1),  # the request's entry names the item it created
        ("serve.predict", "8", None),
        ("review.enqueued", "9", 2),
    ]
    assert catalog.verify_audit_chain().ok
    # a bad item fails the whole group: nothing is half-written
    with pytest.raises(CatalogError, match="risk"):
        catalog.record_reviewed([(item, entry), ({**item, "risk": 2.0}, entry)])
    assert catalog.count_reviews() == 2 and len(catalog.audit_entries()) == 4
