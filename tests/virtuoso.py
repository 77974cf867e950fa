"""A private OpenLink Virtuoso 7 for tests: a fresh database in a given folder, its own virtuoso.ini on
free loopback ports, run as a child process (``virtuoso-t +foreground``) and stopped with it. No pytest
in here; tests skip with :func:`virtuoso_available`.

    with Virtuoso(tmp_path / "virtuoso") as v:
        v.sparql_url      # http://127.0.0.1:PORT/sparql: queries, anonymous (GET or form POST, query=)
        v.gsp_url         # http://127.0.0.1:PORT/sparql-graph-crud-auth: Graph Store protocol, HTTP digest
        v.user, v.password                       # dba / dba, the accounts of a fresh database
        v.isql("SPARQL SELECT COUNT(*) WHERE { ?s ?p ?o };")

dba may write through the authenticated Graph Store endpoint as it is (no GRANT needed; anonymous
requests get 401 there, 403 on /sparql-graph-crud, and /sparql refuses updates). The Debian
package's own service (ports 8890/1111, /var/lib/virtuoso-opensource-7) is neither used nor needed.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from adminkg.serve import free_port

SERVER = "virtuoso-t"
ISQL = "isql-vt"


def virtuoso_available() -> bool:
    """True when the server and its isql client are on PATH (``make sysdeps`` installs them)."""
    return shutil.which(SERVER) is not None and shutil.which(ISQL) is not None


def ini_settings(db: Path, sql_port: int, http_port: int, buffers: int) -> dict[str, dict[str, str]]:
    """The sections and keys of a small private server's virtuoso.ini (the Debian defaults, scaled down)."""
    return {
        "Database": {
            "DatabaseFile": f"{db}/virtuoso.db", "ErrorLogFile": f"{db}/virtuoso.log",
            "LockFile": f"{db}/virtuoso.lck", "TransactionFile": f"{db}/virtuoso.trx",
            "xa_persistent_file": f"{db}/virtuoso.pxa", "ErrorLogLevel": "7", "FileExtend": "200",
            "MaxCheckpointRemap": "2000", "Striping": "0", "TempStorage": "TempDatabase",
        },
        "TempDatabase": {
            "DatabaseFile": f"{db}/virtuoso-temp.db", "TransactionFile": f"{db}/virtuoso-temp.trx",
            "MaxCheckpointRemap": "2000", "Striping": "0",
        },
        "Parameters": {
            "ServerPort": f"127.0.0.1:{sql_port}", "LiteMode": "0", "DisableUnixSocket": "1",
            "DisableTcpSocket": "0", "MaxClientConnections": "10", "CheckpointInterval": "0", "O_DIRECT": "0",
            "CaseMode": "2", "MaxStaticCursorRows": "5000", "CheckpointAuditTrail": "0", "AllowOSCalls": "0",
            "SchedulerInterval": "10", "DirsAllowed": f"., {db}", "ThreadCleanupInterval": "0",
            "ThreadThreshold": "10", "ResourcesCleanupInterval": "0", "FreeTextBatchSize": "100000",
            "SingleCPU": "0", "PrefixResultNames": "0", "RdfFreeTextRulesSize": "100", "IndexTreeMaps": "64",
            "MaxMemPoolSize": "40000000", "MaxQueryMem": "256M", "VectorSize": "1000",
            "MaxVectorSize": "1000000", "AdjustVectorSize": "0", "ThreadsPerQuery": "2",
            "AsyncQueueMaxThreads": "4", "NumberOfBuffers": str(buffers),
            "MaxDirtyBuffers": str(max(buffers * 3 // 4, 100)),
        },
        "HTTPServer": {
            "ServerPort": f"127.0.0.1:{http_port}", "ServerRoot": f"{db}/vsp", "MaxClientConnections": "10",
            "DavRoot": "DAV", "EnabledDavVSP": "0", "HTTPProxyEnabled": "0", "TempASPXDir": "0",
            "ServerThreads": "10", "MaxKeepAlives": "10", "KeepAliveTimeout": "10",
            "MaxCachedProxyConnections": "10", "ProxyConnectionCacheTimeout": "15", "HTTPThreadSize": "280000",
            "HttpPrintWarningsInOutput": "0", "Charset": "UTF-8", "EnabledGzipContent": "0",
        },
        "Client": {"SQL_PREFETCH_ROWS": "100", "SQL_PREFETCH_BYTES": "16000", "SQL_QUERY_TIMEOUT": "0",
                   "SQL_TXN_TIMEOUT": "0"},
        "URIQA": {"DynamicLocal": "0", "DefaultHost": f"127.0.0.1:{http_port}"},
        # Not the Debian defaults: those cut every answer at 10000 rows (silently) and refuse a query
        # whose estimated cost exceeds 400 s (MaxQueryCostEstimationTime, a debugging aid whose estimates
        # are far off and grow with the other graphs of the store); no time limit either, as Virtuoso
        # then answers with partial results.
        "SPARQL": {"ResultSetMaxRows": "1000000", "MaxQueryExecutionTime": "0", "DeferInferenceRulesInit": "0"},
    }



class VirtuosoError(RuntimeError):
    """The server did not start, or an isql command failed."""


class Virtuoso:
    """A private Virtuoso in *workdir* (created if needed; the database is made on the first start,
    about 2 s, and kept for a later start in the same folder). A context manager, or :meth:`start`
    and :meth:`stop`. *settings* ({section: {key: value}}) change the ini of :func:`ini_settings`."""

    user = "dba"
    password = "dba"

    def __init__(self, workdir: Path | str, *, buffers: int = 2000, start_timeout: float = 90.0,
                 settings: dict[str, dict[str, str]] | None = None):
        self.dir = Path(workdir)
        self.buffers = buffers
        self.settings = settings or {}
        self.start_timeout = start_timeout
        self.ini = self.dir / "virtuoso.ini"
        self.log = self.dir / "virtuoso.log"
        self.console = self.dir / "console.log"
        self.proc: subprocess.Popen | None = None
        self.startup_seconds: float | None = None
        self._pick_ports()

    def _pick_ports(self) -> None:
        self.sql_port = free_port()
        self.http_port = free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """The SPARQL query endpoint (anonymous; GET, or POST of an urlencoded form, ``query=``)."""
        return f"{self.base_url}/sparql"

    @property
    def gsp_url(self) -> str:
        """The authenticated SPARQL 1.1 Graph Store endpoint (HTTP digest auth, ``?graph-uri=`` or ``?graph=``)."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    def write_ini(self) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "vsp").mkdir(exist_ok=True)
        sections = ini_settings(self.dir.resolve(), self.sql_port, self.http_port, self.buffers)
        for section, keys in self.settings.items():
            sections.setdefault(section, {}).update(keys)
        text = "".join(f"[{section}]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items()) + "\n"
                       for section, keys in sections.items())
        self.ini.write_text(text, encoding="utf-8")
        return self.ini

    def start(self) -> Virtuoso:
        """Start the server and wait until /sparql answers; :class:`VirtuosoError` (with the log's
        tail) if it exits or does not answer within *start_timeout* seconds. A port taken meanwhile
        by another process is replaced by a new free one (twice at most)."""
        if not virtuoso_available():
            raise VirtuosoError(f"{SERVER} is not installed (make sysdeps installs virtuoso-opensource)")
        if self.proc is not None:
            return self
        began = time.monotonic()
        for attempt in range(3):
            self.write_ini()
            logged = self.log.stat().st_size if self.log.exists() else 0
            with open(self.console, "ab") as out:
                self.proc = subprocess.Popen(
                    [SERVER, "+foreground", "+configfile", str(self.ini)],
                    cwd=self.dir, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            atexit.register(self.stop)
            code = self._wait_ready(began + self.start_timeout)
            if code is None:
                self.startup_seconds = time.monotonic() - began
                return self
            news = self.log.read_bytes()[logged:] if self.log.exists() else b""
            if code == "exited" and (b"Failed HTTP listen" in news or b"Failed to start listening" in news) \
                    and attempt < 2:
                self._pick_ports()
                continue
            tail = self.log_tail()
            self.stop()
            if code == "exited":
                raise VirtuosoError(f"{SERVER} exited while starting (see {self.log})\n{tail}")
            raise VirtuosoError(f"{SERVER} did not answer on {self.sparql_url} within {self.start_timeout:.0f} s "
                                f"(see {self.log})\n{tail}")
        raise AssertionError("unreachable")

    def _wait_ready(self, deadline: float) -> str | None:
        """None once /sparql answers, "exited" if the server stopped, "timeout" at *deadline*."""
        probe = self.sparql_url + "?" + urllib.parse.urlencode({"query": "ASK { }", "format": "text/plain"})
        while True:
            if self.proc is None or self.proc.poll() is not None:
                return "exited"
            try:
                with urllib.request.urlopen(probe, timeout=5) as resp:
                    if resp.status == 200:
                        return None
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                return "timeout"
            time.sleep(0.1)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server: SIGTERM to its process group (Virtuoso then shuts down at once, even
        in the middle of a query), SIGKILL if it is still there after *timeout* seconds."""
        proc, self.proc = self.proc, None
        atexit.unregister(self.stop)
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            if proc.poll() is not None:
                return
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's log (or of its console output when there is no log)."""
        for path in (self.log, self.console):
            if path.exists() and path.stat().st_size:
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
                return "\n".join(text)
        return "(no log)"

    def isql(self, *statements: str, timeout: float = 120.0) -> str:
        """Run SQL statements, or ``SPARQL …`` ones, through isql-vt on the SQL port as dba and return
        its output; :class:`VirtuosoError` if one failed. isql ends a statement at each ';', even
        inside a SPARQL query: keep ';' out of them (or send such queries over HTTP)."""
        script = "\n".join(s if s.rstrip().endswith(";") else s + ";" for s in statements) + "\n"
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", self.user, self.password, "VERBOSE=OFF", "BANNER=OFF",
             "PROMPT=OFF", "ERRORS=STDOUT"],
            input=script, capture_output=True, text=True, timeout=timeout,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"isql failed ({result.returncode}):\n{output}")
        return output

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
