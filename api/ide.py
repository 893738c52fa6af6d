"""GraphiQL served from this server's own files, so that it works offline.

strawberry's GraphiQL page loads React, GraphiQL and the explorer plugin from unpkg.
Without internet access (a laptop on a plane, a locked-down CI runner) it stays on
"Loading..." forever. The same files, byte for byte, are in the packages' npm
tarballs: ``python -m api.ide fetch`` (run by ``make install``) downloads those
tarballs once, keeps only the files the page needs under ``api/static/vendor/``
(git-ignored) and checks each against the SHA-384 pinned below, which is the
``integrity`` hash strawberry's page already carries. ``ide_page()`` is the page
with its unpkg URLs pointed at ``/static/vendor/``, or, while the files are missing,
a small page that says how to install them and how to query the API without them.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import hashlib
import html
import io
import os
import re
import string
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

#: Where the files live on disk; ``api/app.py`` serves ``api/static`` at ``/static``.
VENDOR = Path(__file__).with_name("static") / "vendor"
VENDOR_URL = "/static/vendor"
REGISTRY = "https://registry.npmjs.org"
UNPKG = "https://unpkg.com"
DOWNLOAD_TIMEOUT_S = 60.0
# The largest tarball is graphiql's (about 3.6 MB); anything far bigger is not it.
MAX_TARBALL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Asset:
    """One file the GraphiQL page loads, as unpkg serves it from an npm package."""

    package: str  # npm name, possibly scoped: "@graphiql/plugin-explorer"
    version: str
    path: str  # inside the package; the tarball holds it as "package/<path>"
    sha384: str  # base64, as in the page's integrity="sha384-..." attribute

    @property
    def key(self) -> str:
        """``<package>@<version>/<path>``: unpkg's URL path, and ours under the vendor dir."""
        return f"{self.package}@{self.version}/{self.path}"

    @property
    def unpkg_url(self) -> str:
        return f"{UNPKG}/{self.key}"

    @property
    def local_url(self) -> str:
        return f"{VENDOR_URL}/{self.key}"

    @property
    def integrity(self) -> str:
        return f"sha384-{self.sha384}"

    @property
    def tarball_url(self) -> str:
        # A scoped package's tarball is named without its scope:
        # @graphiql/plugin-explorer/-/plugin-explorer-1.0.2.tgz
        name = self.package.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.package}/-/{name}-{self.version}.tgz"

    def file(self, vendor: Path) -> Path:
        return vendor.joinpath(*self.key.split("/"))


#: strawberry-graphql 0.341's graphiql.html, URL for URL and hash for hash. A strawberry
#: upgrade that changes them makes tests/unit/test_api_ide.py fail (and ide_page()
#: fall back to the install page rather than serve a half-local page).
ASSETS: tuple[Asset, ...] = (
    Asset(
        "react",
        "18.2.0",
        "umd/react.production.min.js",
        "tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    ),
    Asset(
        "react-dom",
        "18.2.0",
        "umd/react-dom.production.min.js",
        "bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    ),
    Asset(
        "js-cookie",
        "3.0.5",
        "dist/js.cookie.min.js",
        "/vxhYfM1LENRhdpZ8dwEsQn/X4VhpbEZSiU4m/FwR+PVpzar4fkEOw8FP9Y+OfQN",
    ),
    Asset(
        "graphiql",
        "3.8.3",
        "graphiql.min.css",
        "Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
    ),
    Asset(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "dist/style.css",
        "5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
    ),
    Asset(
        "graphiql",
        "3.8.3",
        "graphiql.min.js",
        "HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    ),
    Asset(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "dist/index.umd.js",
        "2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
    ),
)

_UNPKG_URL = re.compile(re.escape(UNPKG) + r"/[^\s\"'<>]+")


class VendorError(Exception):
    """The files could not be installed; the message says what to do."""


class IntegrityError(VendorError):
    """A file's bytes are not the pinned ones."""


def sha384_of(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def is_intact(asset: Asset, vendor: Path) -> bool:
    """Whether the vendored copy exists and has exactly the pinned bytes."""
    try:
        return sha384_of(asset.file(vendor).read_bytes()) == asset.sha384
    except FileNotFoundError:
        return False


# -- the page -------------------------------------------------------------------------


@functools.cache
def strawberry_template() -> str:
    """strawberry's own GraphiQL page, read once (strawberry substitutes nothing into it)."""
    return get_graphql_ide_html("graphiql")


# Injected into the vendored page: a file that fails to load (deleted after start-up, or
# bytes that no longer match the integrity hash) would otherwise leave GraphiQL on
# "Loading..." with no hint why. Resource errors do not bubble, hence the capture phase.
_LOAD_GUARD = """<script>
      window.addEventListener("error", function (event) {
        var el = event.target;
        if (!el || (el.tagName !== "SCRIPT" && el.tagName !== "LINK")) return;
        var say = function () {
          var box = document.getElementById("graphiql");
          if (box) box.textContent = "GraphiQL could not load " + (el.src || el.href) +
            ". Run `python -m api.ide fetch` on the server, then reload.";
        };
        if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", say);
        else say();
      }, true);
    </script>
  </head>"""


def render_ide(template: str, vendor: Path, assets: Sequence[Asset] = ASSETS) -> str:
    """``template`` with its unpkg URLs made local, or the install page when it cannot be."""
    unpinned = sorted(set(_UNPKG_URL.findall(template)) - {a.unpkg_url for a in assets})
    if unpinned:
        keys = ", ".join(url.removeprefix(f"{UNPKG}/") for url in unpinned)
        return fallback_page(
            f"strawberry's GraphiQL page asks for files this server does not pin ({keys}); "
            "update ASSETS in api/ide.py to match it."
        )
    used = [asset for asset in assets if asset.unpkg_url in template]
    stale = [asset.key for asset in used if f'integrity="{asset.integrity}"' not in template]
    if stale:
        return fallback_page(
            "strawberry's GraphiQL page pins other hashes than api/ide.py for "
            f"{', '.join(stale)}; update ASSETS in api/ide.py to match it."
        )
    missing = [asset.key for asset in used if not asset.file(vendor).is_file()]
    if used and len(missing) == len(used):
        return fallback_page(f"None of its {len(used)} files are in {vendor}.")
    if missing:
        return fallback_page(f"Missing from {vendor}: {', '.join(missing)}.")
    page = template
    for asset in used:
        # The integrity attributes stay: the local bytes are the ones they pin.
        page = page.replace(asset.unpkg_url, asset.local_url)
    return page.replace("</head>", _LOAD_GUARD, 1)


def ide_page(vendor: Path = VENDOR) -> str:
    """The GraphiQL page for ``GET /graphql`` in dev mode, loading only this server's files.

    Whether the files are there is checked on every call (a few ``stat``s), so that
    ``python -m api.ide fetch`` takes effect without restarting the server; their bytes
    were checked when they were fetched, and the browser checks them again against the
    page's integrity attributes.
    """
    return render_ide(strawberry_template(), vendor)


_FALLBACK = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>fyp · GraphiQL is not installed</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
           padding: 0 1rem; line-height: 1.5; color: #1d1d23; }
    code, pre { background: #f2f2f5; border-radius: 4px; }
    code { padding: 0.1rem 0.3rem; }
    pre { padding: 0.75rem 1rem; overflow-x: auto; }
    .why { color: #6b6b76; font-size: 0.9rem; }
  </style>
</head>
<body>
  <h1 data-testid="ide-missing">GraphiQL's scripts are not installed on this server</h1>
  <p>This server serves GraphiQL from its own files rather than from a CDN, so that it
  works offline, and those files have not been downloaded yet.</p>
  <p class="why">$reason</p>

  <h2>Install them</h2>
  <p>On the server, run <code>make install</code> (in a checkout) or
  <code>python -m api.ide fetch</code>, then reload this page. It downloads React,
  GraphiQL and its explorer plugin from registry.npmjs.org once (about 5 MB) into
  <code>api/static/vendor/</code> and checks each file against a pinned SHA-384 hash.</p>

  <h2>Query the API without GraphiQL</h2>
  <p>POST JSON to this URL. In dev mode <code>Authorization: Bearer demo:&lt;userId&gt;</code>
  acts as that viewer (any user id; <code>fyp serve</code> prints a few active ones):</p>
  <pre id="curl">curl -s <span class="url">http://127.0.0.1:8000/graphql</span> \\
  -H 'Content-Type: application/json' \\
  -H 'Authorization: Bearer demo:u1' \\
  -d '{"query": "{ me { id name } feed(first: 3) { edges { node { id caption } } } }"}'</pre>
  <p>The demo feed page at <a href="/">/</a> uses the same API.</p>
  <script>
    // The example's URL is this server's, whatever host and port it runs on.
    document.querySelector("#curl .url").textContent =
      window.location.origin + window.location.pathname;
  </script>
</body>
</html>
"""


def fallback_page(reason: str) -> str:
    """A self-contained page (no external resources): how to install GraphiQL, how to do
    without it."""
    return string.Template(_FALLBACK).substitute(reason=html.escape(reason))


# -- fetching ---------------------------------------------------------------------------


def download(url: str) -> bytes:
    """The body at ``url``; a clear VendorError when it cannot be had."""
    request = urllib.request.Request(url, headers={"User-Agent": "fyp (python -m api.ide)"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            data: bytes = response.read(MAX_TARBALL_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise VendorError(
            f"could not download {url}: {reason}. Is registry.npmjs.org reachable from "
            "here? (Without it, /graphql in dev mode shows how to query the API directly.)"
        ) from error
    if len(data) > MAX_TARBALL_BYTES:
        raise VendorError(f"{url} is larger than {MAX_TARBALL_BYTES} bytes; refusing it")
    return data


@dataclass(frozen=True)
class Fetched:
    asset: Asset
    action: str  # "present", "fetched" or "replaced" (the old copy's bytes were wrong)


def fetch(
    dest: Path = VENDOR,
    assets: Sequence[Asset] = ASSETS,
    *,
    get: Callable[[str], bytes] = download,
    say: Callable[[str], None] = print,
) -> list[Fetched]:
    """Put every asset under ``dest`` with its pinned bytes, downloading only what is
    missing or wrong (one tarball per package version). Raises IntegrityError, having
    deleted the file, when a tarball's copy does not match its pin."""
    done: list[Fetched] = []
    todo: dict[str, list[Asset]] = {}
    for asset in assets:
        if is_intact(asset, dest):
            done.append(Fetched(asset, "present"))
        else:
            todo.setdefault(asset.tarball_url, []).append(asset)
    for url, wanted in todo.items():
        say(f"  download {url}")
        done.extend(_install(_members(get(url), url, wanted), dest, say))
    fetched = sum(item.action != "present" for item in done)
    say(f"GraphiQL: {len(done)} files in {dest} ({fetched} downloaded, all hashes match)")
    return done


def _members(tarball: bytes, url: str, wanted: Iterable[Asset]) -> dict[Asset, bytes]:
    """The wanted files' bytes out of an npm tarball (which nests them under package/).

    Only named regular files are read: nothing is extracted to disk by the tarball's own
    paths, so a hostile archive cannot write outside ``dest``.
    """
    found: dict[Asset, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for asset in wanted:
                try:
                    member = archive.getmember(f"package/{asset.path}")
                except KeyError:
                    raise VendorError(f"{url} has no package/{asset.path}") from None
                reader = archive.extractfile(member) if member.isfile() else None
                if reader is None:
                    raise VendorError(f"{url}: package/{asset.path} is not a regular file")
                found[asset] = reader.read()
    except (tarfile.TarError, EOFError, OSError) as error:
        raise VendorError(f"{url} is not a readable npm tarball ({error})") from error
    return found


def _install(files: dict[Asset, bytes], dest: Path, say: Callable[[str], None]) -> list[Fetched]:
    done: list[Fetched] = []
    for asset, data in files.items():
        target = asset.file(dest)
        existed = target.exists()
        actual = sha384_of(data)
        if actual != asset.sha384:
            # A copy that is known to be wrong must not be served either.
            target.unlink(missing_ok=True)
            raise IntegrityError(
                f"refusing {asset.key}: its SHA-384 is {actual}, the pinned one is "
                f"{asset.sha384} (downloaded from {asset.tarball_url}). The registry or "
                "something between here and it served other bytes; nothing was kept."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed over it: a reader (or a crash) never sees
        # half a file under the final name.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".fetch-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            # mkstemp's files are private (0600); a server running as another user must
            # be able to read these.
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        action = "replaced" if existed else "fetched"
        done.append(Fetched(asset, action))
        say(f"  {action:<8} {asset.key}" + (" (its old bytes were wrong)" if existed else ""))
    return done


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m api.ide", description="GraphiQL's files, served by this server."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_command = commands.add_parser(
        "fetch", help="download and verify GraphiQL's scripts and styles (idempotent)"
    )
    fetch_command.add_argument(
        "--dest", type=Path, default=VENDOR, help=f"vendor folder (default {VENDOR})"
    )
    args = parser.parse_args(argv)
    try:
        # The module's download, looked up now (a test replaces it).
        fetch(args.dest, get=download)
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
