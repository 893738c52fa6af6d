"""A Neo4j 5.26 community server provisioned with Maven and run by the project.

No Docker here: the ``org.neo4j:neo4j`` artifact with its runtime dependencies is
what a Neo4j distribution's ``lib/`` holds, so Maven fetches it once into a cache
and we launch ``org.neo4j.server.CommunityEntryPoint`` ourselves, with the flags
Neo4j's own launcher passes on Java 17.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from graph.errors import DependencyError

log = logging.getLogger(__name__)

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"

# What neo4j's launcher script adds on Java 17; without them the kernel warns or fails.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.util=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)

POM_TEMPLATE = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>fyp</groupId>
  <artifactId>neo4j-distribution</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str
    home: Path


def _require_tool(name: str, how: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DependencyError(f"`{name}` was not found on PATH. {how}")
    return path


def _check_java() -> str:
    java = _require_tool(
        "java",
        "Neo4j 5.26 needs Java 17 or 21: install it with "
        "`sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) "
        "or `brew install openjdk@17` (macOS).",
    )
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)', out.stderr + out.stdout)
    major = int(match.group(1)) if match else 0
    if major not in (17, 21):
        raise DependencyError(
            f"Neo4j 5.26 needs Java 17 or 21, but `java` is version {major or 'unknown'}. "
            "Install openjdk-17 and put it first on PATH (or set JAVA_HOME)."
        )
    return java


def provision(cache: Path, version: str) -> Path:
    """Return the folder of Neo4j jars for ``version``, downloading them on first use."""
    lib = cache / f"neo4j-{version}" / "lib"
    marker = lib / ".complete"
    if marker.exists():
        return lib
    _check_java()
    mvn = _require_tool(
        "mvn",
        "Neo4j's jars are fetched with Maven: install it with `sudo apt-get install maven` "
        "(Debian/Ubuntu) or `brew install maven` (macOS).",
    )
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=lib.parent))
    pom = staging / "pom.xml"
    pom.write_text(POM_TEMPLATE.format(version=version))
    log.info("downloading Neo4j %s with Maven into %s (first run only)", version, lib)
    result = subprocess.run(
        [
            mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
            f"-DoutputDirectory={staging / 'jars'}", "-DincludeScope=runtime",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise DependencyError(
            f"Maven could not fetch org.neo4j:neo4j:{version} "
            f"(is Maven Central reachable?):\n{tail}"
        )
    if lib.exists():
        shutil.rmtree(lib)
    (staging / "jars").rename(lib)
    shutil.rmtree(staging, ignore_errors=True)
    marker.touch()
    return lib


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_gone(pid: int, timeout_s: float | None) -> bool:
    """Wait until process ``pid`` is gone (reaping it when it is our own child); False
    when it is still there after ``timeout_s`` (None: wait as long as it takes)."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while _pid_alive(pid):
        if deadline is not None and time.monotonic() > deadline:
            return False
        time.sleep(0.05)
        with suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); look at its state.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


class LocalNeo4j:
    """One Neo4j server whose state lives under ``home`` (data, conf, logs, password)."""

    def __init__(
        self,
        home: Path,
        *,
        cache: Path,
        version: str,
        bolt_port: int = 7687,
        heap: str = "4g",
        pagecache: str = "4g",
    ) -> None:
        self.home = home
        self.cache = cache
        self.version = version
        self.bolt_port = bolt_port
        self.heap = heap
        self.pagecache = pagecache

    # -- paths -----------------------------------------------------------------
    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def _pid_file(self) -> Path:
        return self.home / "run" / "fyp-neo4j.pid"

    @property
    def _conf_dir(self) -> Path:
        return self.home / "conf"

    def password(self) -> str:
        try:
            return self.password_file.read_text().strip()
        except FileNotFoundError:
            raise DependencyError(
                f"No local Neo4j at {self.home}: run `fyp neo4j start` first, "
                "or point FYP_NEO4J_URI / FYP_NEO4J_PASSWORD at a server."
            ) from None

    def _pid(self) -> int | None:
        try:
            pid = int(self._pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _pid_alive(pid) else None

    # -- lifecycle -------------------------------------------------------------
    def status(self) -> ServerStatus:
        pid = self._pid()
        return ServerStatus(running=pid is not None, pid=pid, uri=self.uri, home=self.home)

    def start(self, timeout_s: float = 180.0) -> str:
        """Start the server in the background (idempotent) and wait until Bolt answers."""
        if self._pid() is not None:
            self._wait_for_bolt(timeout_s)
            return self.uri
        java = _check_java()
        lib = provision(self.cache, self.version)
        if _port_open(self.bolt_port):
            raise DependencyError(
                f"Port {self.bolt_port} is already in use by another program; "
                "set FYP_NEO4J_BOLT_PORT to a free port."
            )
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        self._write_config()
        self._ensure_password(java, lib)
        console = open(self.home / "logs" / "console.log", "ab")  # noqa: SIM115 - owned by the child
        process = subprocess.Popen(
            [
                java, f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS,
                "-cp", f"{lib}/*", ENTRY_POINT,
                f"--home-dir={self.home}", f"--config-dir={self._conf_dir}",
            ],
            stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, env=self._env(),
        )  # fmt: skip
        console.close()
        self._pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + timeout_s
        while not _port_open(self.bolt_port):
            if process.poll() is not None:
                raise DependencyError(
                    f"Neo4j exited with code {process.returncode} while starting. "
                    f"Last lines of {self.home / 'logs'}:\n{self._log_tail()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise DependencyError(
                    f"Neo4j did not open Bolt on port {self.bolt_port} within {timeout_s:.0f}s.\n"
                    f"{self._log_tail()}"
                )
            time.sleep(0.25)
        self._wait_for_bolt(max(5.0, deadline - time.monotonic()))
        return self.uri

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Stop cleanly (SIGTERM lets Neo4j checkpoint); returns whether it was running."""
        pid = self._pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, timeout_s):
            log.warning("Neo4j (pid %d) ignored SIGTERM for %.0fs; killing it", pid, timeout_s)
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, None)
        self._pid_file.unlink(missing_ok=True)
        return True

    def kill(self, timeout_s: float = 30.0) -> bool:
        """Kill the server at once (SIGKILL: no checkpoint, no goodbye to clients), as a
        crash or the OOM killer would; returns whether it was running. The data stays:
        the next :meth:`start` recovers it from the transaction log. For fault tests."""
        pid = self._pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGKILL)
        if not _wait_gone(pid, timeout_s):
            raise DependencyError(f"Neo4j (pid {pid}) survived SIGKILL for {timeout_s:.0f}s")
        self._pid_file.unlink(missing_ok=True)
        return True

    def import_database(self, arguments: list[str], *, database: str = "neo4j") -> None:
        """Replace ``database`` with the CSV files of ``arguments`` (``--nodes=...``,
        ``--relationships=...``) through ``neo4j-admin database import full``.

        The server must be stopped (the importer writes the store files directly); the
        users and passwords of the system database stay. The files must be fault-free:
        one bad entry fails the import (its report is in ``logs/import.report``).
        """
        if self._pid() is not None:
            raise DependencyError(
                f"Neo4j at {self.uri} is running: stop it (`fyp neo4j stop`) before an "
                "offline import, which writes the store files directly."
            )
        java = _check_java()
        lib = provision(self.cache, self.version)
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        self._write_config()
        self._ensure_password(java, lib)
        report = self.home / "logs" / "import.report"
        result = subprocess.run(
            [
                java, f"-Xmx{self.heap}", *JVM_FLAGS, "-cp", f"{lib}/*", ADMIN_TOOL,
                "database", "import", "full", database, "--overwrite-destination=true",
                "--bad-tolerance=0", f"--report-file={report}",
                *arguments,
            ],
            capture_output=True, text=True, env=self._env(), cwd=self.home, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
            raise DependencyError(f"neo4j-admin database import failed:\n{tail}")

    # -- helpers ---------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self._conf_dir)}

    def _write_config(self) -> None:
        home = self.home
        settings = {
            # Loopback only: this server is for this machine.
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.bolt_port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.bolt_port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "server.directories.data": str(home / "data"),
            "server.directories.logs": str(home / "logs"),
            "server.directories.run": str(home / "run"),
            "server.directories.plugins": str(home / "plugins"),
            "server.directories.import": str(home / "import"),
            "server.memory.pagecache.size": self.pagecache,
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            "db.transaction.timeout": "10m",
            "db.logs.query.enabled": "OFF",
        }
        text = "# Written by `fyp neo4j start`; edits are overwritten on the next start.\n"
        text += "".join(f"{key}={value}\n" for key, value in settings.items())
        (self._conf_dir / "neo4j.conf").write_text(text)

    def _ensure_password(self, java: str, lib: Path) -> None:
        auth_file = self.home / "data" / "dbms" / "auth.ini"
        if self.password_file.exists() and auth_file.exists():
            return
        password = generate_password()
        result = subprocess.run(
            [java, "-cp", f"{lib}/*", ADMIN_TOOL, "dbms", "set-initial-password", password],
            capture_output=True, text=True, env=self._env(), check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise DependencyError(f"neo4j-admin set-initial-password failed:\n{result.stderr}")
        # Written before anyone can read it: the file is created owner-only.
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")

    def _wait_for_bolt(self, timeout_s: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import ServiceUnavailable

        deadline = time.monotonic() + timeout_s
        with GraphDatabase.driver(self.uri, auth=("neo4j", self.password())) as driver:
            while True:
                try:
                    driver.verify_connectivity()
                    return
                except (ServiceUnavailable, OSError):
                    if time.monotonic() > deadline:
                        raise DependencyError(
                            f"Neo4j at {self.uri} does not answer.\n{self._log_tail()}"
                        ) from None
                    time.sleep(0.5)

    def _log_tail(self, lines: int = 20) -> str:
        chunks = []
        for name in ("console.log", "neo4j.log"):
            path = self.home / "logs" / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                chunks.append(f"--- {path}\n" + "\n".join(tail))
        return "\n".join(chunks) or "(no logs)"


_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 32) -> str:
    """A random password of letters and digits (~190 bits at 32 characters).

    No punctuation: neo4j-admin reads its argument through picocli, which takes one
    that starts with ``-`` for an option (URL-safe base64 does, once in 64) and fails.
    """
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


@contextmanager
def throwaway_server(
    cache: Path,
    version: str,
    *,
    heap: str = "1g",
    pagecache: str = "512m",
    start: bool = True,
) -> Iterator[LocalNeo4j]:
    """A fresh server on a free port with its own data folder, removed afterwards.

    Used by the test suite and the benchmarks (community edition has one user
    database per server, so a fresh database means a fresh server). With
    ``start=False`` it is not started: an offline import fills it first.
    """
    home = Path(tempfile.mkdtemp(prefix="fyp-neo4j-"))
    server = LocalNeo4j(
        home, cache=cache, version=version, bolt_port=free_port(), heap=heap, pagecache=pagecache
    )
    try:
        if start:
            server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
