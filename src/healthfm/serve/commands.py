"""`healthfm serve --model NAME[@VERSION]` (uvicorn on 127.0.0.1 by default) and
`healthfm serve keys issue|list|revoke` (API keys: the secret is shown once, only its hash is kept)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from healthfm.errors import UsageError
from healthfm.serve.settings import ServeSettings

out = Console()
err = Console(stderr=True)
serve_app = typer.Typer(help="Serve a registered model behind the audited clinical API.")
keys_app = typer.Typer(no_args_is_help=True, help="Issue, list and revoke API keys.")
serve_app.add_typer(keys_app, name="keys")


def _store(ctx: typer.Context, store: Path | None) -> Path:
    root = store or Path(getattr(ctx.find_root().obj, "store", "healthfm-store"))
    if not (Path(root) / ".healthfm").is_dir():
        raise UsageError(f"--store {root}: no patient store there")
    return Path(root)


def _catalog(ctx: typer.Context, store: Path | None, catalog_url: str | None):  # type: ignore[no-untyped-def]
    from healthfm.store.catalog import Catalog

    return Catalog.open(catalog_url, store_path=_store(ctx, store))


@serve_app.callback(invoke_without_command=True)
def serve_command(
    ctx: typer.Context,
    model: Annotated[
        str | None, typer.Option("--model", help="NAME or NAME@VERSION (default: the active version).")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    store: Annotated[
        Path | None, typer.Option("--store", help="Patient store (default: the root --store).")
    ] = None,
    catalog_url: Annotated[str | None, typer.Option("--catalog-url", help="Catalog database URL.")] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file", envvar="HEALTHFM_PSEUDONYM_KEY_FILE", help="Pseudonymisation key (Bundles)."
        ),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="One forward pass per request (no micro-batching).")
    ] = False,
    max_batch: Annotated[int, typer.Option("--max-batch", min=1)] = 32,
    max_wait_ms: Annotated[float, typer.Option("--max-wait-ms", min=0.0)] = 2.0,
    contributors: Annotated[
        str, typer.Option("--contributors", help="Per-modality contributions: occlusion, shapley or none.")
    ] = "occlusion",
    item_cache: Annotated[
        int, typer.Option("--item-cache", min=0, help="Processed inputs kept in memory (0: none).")
    ] = 4096,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (each with its own model copy; about one per core).",
        ),
    ] = 1,
) -> None:
    """Serve MODEL: POST /v1/predict, /v1/models, /v1/review, /review, /healthz, /readyz, /metrics."""
    if ctx.invoked_subcommand is not None:
        return
    if model is None:
        raise UsageError("--model NAME[@VERSION] is required")
    import uvicorn

    from healthfm.serve.app import create_app

    settings = ServeSettings.from_env(
        _store(ctx, store),
        model,
        catalog_url=catalog_url,
        pseudonym_key_file=key_file,
        micro_batching=not plain,
        max_batch=max_batch,
        max_wait_ms=max_wait_ms,
        item_cache=item_cache,
        contributors=contributors,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]listening on {host}: put TLS in front (a reverse proxy); keys travel in headers")
    options = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,  # the audit log records every request, by pseudonym
        "timeout_graceful_shutdown": int(settings.drain_timeout_s),
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    from healthfm.serve.workers import run_workers

    options = {k: v for k, v in options.items() if k not in ("host", "port")}
    if run_workers(settings, workers, host, port, options):
        raise typer.Exit(1)


@keys_app.command("issue")
def keys_issue(
    ctx: typer.Context,
    site: Annotated[str, typer.Option("--site", help="The site whose patients the key may read ('*': all).")],
    scopes: Annotated[
        list[str],
        typer.Option(
            "--scope", help="Repeat: system/RiskAssessment.write, patient/*.read, review, admin, metrics."
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="Who or what the key is for.")] = "api key",
    store: Annotated[Path | None, typer.Option("--store")] = None,
    catalog_url: Annotated[str | None, typer.Option("--catalog-url")] = None,
) -> None:
    """Issue a key; its secret is printed once (store it in a secret manager)."""
    from healthfm.serve.auth import issue_key

    with _catalog(ctx, store, catalog_url) as catalog:
        secret, record = issue_key(catalog, name=name, site=site, scopes=scopes, actor="cli")
    err.print(f"key {record.key_id} for site {record.site}, scopes {' '.join(record.scopes)}")
    out.print(secret, highlight=False)


@keys_app.command("list")
def keys_list(
    ctx: typer.Context,
    store: Annotated[Path | None, typer.Option("--store")] = None,
    catalog_url: Annotated[str | None, typer.Option("--catalog-url")] = None,
) -> None:
    """Keys by id, site, scopes and state (never their secrets)."""
    with _catalog(ctx, store, catalog_url) as catalog:
        records = catalog.list_api_keys()
    table = Table(title="API keys")
    for col in ("id", "name", "site", "scopes", "created", "state"):
        table.add_column(col)
    for r in records:
        state = "active" if r.active else f"revoked {r.revoked_at:%Y-%m-%d %H:%M}"
        table.add_row(r.key_id, r.name, r.site, " ".join(r.scopes), f"{r.created_at:%Y-%m-%d %H:%M}", state)
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id (from `keys list`).")],
    store: Annotated[Path | None, typer.Option("--store")] = None,
    catalog_url: Annotated[str | None, typer.Option("--catalog-url")] = None,
) -> None:
    """Revoke a key (effective within two seconds on running servers)."""
    from healthfm.store.catalog import CatalogError

    with _catalog(ctx, store, catalog_url) as catalog:
        try:
            record = catalog.revoke_api_key(key_id, actor="cli")
        except CatalogError as exc:
            raise UsageError(str(exc)) from None
    out.print(f"key {record.key_id} revoked")


def register(app: typer.Typer) -> None:
    app.add_typer(serve_app, name="serve")
