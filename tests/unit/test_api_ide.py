"""api/ide.py: GraphiQL's page from local files, and the fetch that installs them."""

from __future__ import annotations

import io
import re
import tarfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from api import ide
from api.ide import (
    ASSETS,
    Asset,
    IntegrityError,
    VendorError,
    fetch,
    ide_page,
    render_ide,
    sha384_of,
    strawberry_template,
)


class Resources(HTMLParser):
    """Every URL a page would load: script src, link href, img src, and CSS url()s."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script" and "src" in values:
            self.scripts.append(values["src"])
        elif tag == "link" and "href" in values:
            self.links.append(values["href"])
        elif "src" in values:
            self.other.append(values["src"])


def resources(page: str) -> Resources:
    parser = Resources()
    parser.feed(page)
    return parser


def vendor_all(vendor: Path, assets: tuple[Asset, ...] = ASSETS) -> None:
    """Files where the real ones go (ide_page checks presence; fetch checks bytes)."""
    for asset in assets:
        asset.file(vendor).parent.mkdir(parents=True, exist_ok=True)
        asset.file(vendor).write_text(f"/* {asset.key} */")


def assert_self_contained(page: str) -> None:
    found = resources(page)
    assert not found.scripts and not found.other, (found.scripts, found.other)
    assert all(href.startswith("/") for href in found.links), found.links
    assert "unpkg" not in page
    assert "@import" not in page and "url(" not in page


# -- the pins ---------------------------------------------------------------------------


def test_the_pins_are_exactly_strawberrys_assets() -> None:
    """Fails on a strawberry upgrade that changes its GraphiQL page: update ASSETS."""
    template = strawberry_template()
    urls = set(re.findall(r"https://unpkg\.com/[^\s\"'<>]+", template))
    assert urls == {asset.unpkg_url for asset in ASSETS}
    for asset in ASSETS:
        assert f'integrity="{asset.integrity}"' in template, asset.key


def test_tarball_urls_follow_the_registry_layout() -> None:
    scoped = Asset("@graphiql/plugin-explorer", "1.0.2", "dist/index.umd.js", "x")
    assert scoped.tarball_url == (
        "https://registry.npmjs.org/@graphiql/plugin-explorer/-/plugin-explorer-1.0.2.tgz"
    )
    plain = Asset("react", "18.2.0", "umd/react.production.min.js", "x")
    assert plain.tarball_url == "https://registry.npmjs.org/react/-/react-18.2.0.tgz"
    assert plain.local_url == "/static/vendor/react@18.2.0/umd/react.production.min.js"
    assert scoped.file(Path("v")) == Path("v/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js")


# -- the page ---------------------------------------------------------------------------


def test_with_the_files_vendored_the_page_loads_only_them(tmp_path: Path) -> None:
    vendor_all(tmp_path)
    page = ide_page(tmp_path)

    assert "unpkg" not in page
    found = resources(page)
    assert len(found.scripts) == 5
    stylesheets = [href for href in found.links if not href.startswith("data:")]  # the icon
    assert len(stylesheets) == 2
    served = {asset.local_url: asset for asset in ASSETS}
    for url in found.scripts + stylesheets:
        assert url in served, url
        assert served[url].file(tmp_path).is_file()
        # The browser still checks the bytes: the integrity attributes stay.
        assert f'src="{url}"' in page or f'href="{url}"' in page
    for asset in ASSETS:
        assert f'integrity="{asset.integrity}"' in page
    # The rest of strawberry's page is untouched (its fetcher, its explorer plugin).
    assert "GraphiQL.createFetcher" in page and "GraphiQLPluginExplorer" in page
    assert "python -m api.ide fetch" in page  # the guard for a file that fails to load


@pytest.mark.parametrize("missing", [None, "graphiql@3.8.3/graphiql.min.js"])
def test_without_the_files_the_page_says_how_to_install_them(
    tmp_path: Path, missing: str | None
) -> None:
    if missing is not None:  # all but one
        vendor_all(tmp_path)
        next(a for a in ASSETS if a.key == missing).file(tmp_path).unlink()
    page = ide_page(tmp_path)

    assert_self_contained(page)
    assert "GraphiQL's scripts are not installed on this server" in page
    assert "make install" in page and "python -m api.ide fetch" in page
    # ... and how to do without it.
    assert "curl" in page and "/graphql" in page and "Bearer demo:" in page
    assert "Content-Type: application/json" in page
    if missing is not None:
        assert missing in page
        assert "react@18.2.0" not in page  # only what is missing is named


def test_a_template_with_unpinned_files_is_not_served_half_local(tmp_path: Path) -> None:
    vendor_all(tmp_path)
    template = strawberry_template().replace(
        "</head>", '<script src="https://unpkg.com/left-pad@1.3.0/index.js"></script></head>'
    )
    page = render_ide(template, tmp_path)

    assert_self_contained(page)
    assert "left-pad@1.3.0" in page and "ASSETS in api/ide.py" in page


def test_a_template_pinning_other_hashes_is_not_served(tmp_path: Path) -> None:
    vendor_all(tmp_path)
    template = strawberry_template().replace(ASSETS[0].sha384, "0" * 64)
    page = render_ide(template, tmp_path)

    assert_self_contained(page)
    assert ASSETS[0].key in page and "other hashes" in page


def test_the_reason_is_escaped(tmp_path: Path) -> None:
    page = ide.fallback_page("<b>&</b>")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page


# -- fetching ---------------------------------------------------------------------------


def tarball(files: dict[str, bytes]) -> bytes:
    """An npm-style .tgz: every file under package/."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for path, data in files.items():
            member = tarfile.TarInfo(f"package/{path}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return out.getvalue()


GOOD = b"console.log('the pinned bytes');\n"
CSS = b"body { color: red }\n"
SCRIPT = Asset("@demo/widget", "1.0.0", "dist/widget.js", sha384_of(GOOD))
STYLE = Asset("@demo/widget", "1.0.0", "dist/widget.css", sha384_of(CSS))


class Registry:
    """Serves one tarball and counts downloads."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.body = tarball(files)
        self.urls: list[str] = []

    def get(self, url: str) -> bytes:
        self.urls.append(url)
        return self.body


def quiet(line: str) -> None:
    pass


def test_fetch_installs_the_files_once_and_then_skips_them(tmp_path: Path) -> None:
    registry = Registry({SCRIPT.path: GOOD, STYLE.path: CSS, "README.md": b"ignored"})
    lines: list[str] = []

    first = fetch(tmp_path, (SCRIPT, STYLE), get=registry.get, say=lines.append)

    # One download per tarball, not per file.
    assert registry.urls == ["https://registry.npmjs.org/@demo/widget/-/widget-1.0.0.tgz"]
    assert [item.action for item in first] == ["fetched", "fetched"]
    assert SCRIPT.file(tmp_path).read_bytes() == GOOD
    assert STYLE.file(tmp_path).read_bytes() == CSS
    assert not (tmp_path / "@demo" / "widget@1.0.0" / "README.md").exists()
    assert any("2 downloaded" in line for line in lines)

    again = fetch(tmp_path, (SCRIPT, STYLE), get=registry.get, say=lines.append)
    assert len(registry.urls) == 1  # nothing downloaded
    assert [item.action for item in again] == ["present", "present"]
    assert "0 downloaded" in lines[-1]


def test_fetch_replaces_a_tampered_local_file(tmp_path: Path) -> None:
    registry = Registry({SCRIPT.path: GOOD})
    SCRIPT.file(tmp_path).parent.mkdir(parents=True)
    SCRIPT.file(tmp_path).write_bytes(b"alert('tampered')")

    done = fetch(tmp_path, (SCRIPT,), get=registry.get, say=quiet)

    assert [item.action for item in done] == ["replaced"]
    assert SCRIPT.file(tmp_path).read_bytes() == GOOD


def test_fetch_refuses_bytes_that_do_not_match_the_pin_and_deletes_the_file(
    tmp_path: Path,
) -> None:
    registry = Registry({SCRIPT.path: b"alert('served by someone else')"})
    target = SCRIPT.file(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"alert('tampered')")

    with pytest.raises(IntegrityError, match=r"refusing @demo/widget@1\.0\.0/dist/widget\.js"):
        fetch(tmp_path, (SCRIPT,), get=registry.get, say=quiet)

    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left behind either


def test_fetch_names_a_file_missing_from_the_tarball(tmp_path: Path) -> None:
    registry = Registry({"dist/other.js": GOOD})
    with pytest.raises(VendorError, match=r"has no package/dist/widget\.js"):
        fetch(tmp_path, (SCRIPT,), get=registry.get, say=quiet)


def test_fetch_refuses_something_that_is_not_a_tarball(tmp_path: Path) -> None:
    with pytest.raises(VendorError, match="not a readable npm tarball"):
        fetch(tmp_path, (SCRIPT,), get=lambda url: b"<html>captive portal</html>", say=quiet)


def test_an_unreachable_registry_is_a_clear_error() -> None:
    # Port 1 on loopback: refused at once, no network needed.
    with pytest.raises(VendorError, match=re.escape("could not download http://127.0.0.1:1/x.tgz")):
        ide.download("http://127.0.0.1:1/x.tgz")


def test_the_command_reports_errors_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def offline(url: str) -> bytes:
        raise VendorError(f"could not download {url}: no network")

    monkeypatch.setattr(ide, "download", offline)
    assert ide.main(["fetch", "--dest", str(tmp_path)]) == 1
    assert "error: could not download https://registry.npmjs.org/" in capsys.readouterr().err
