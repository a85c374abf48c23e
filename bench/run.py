"""Run the benchmarks: `make bench` (or `python -m bench.run`). Everything targets 127.0.0.1.

1. Speed: requests per second of each public page, in English and in two other languages, against
   a bare Flask "hello" app, both under the same gunicorn settings, measured with wrk (bounded: a
   few seconds per page).
2. Weight: each public page with its stylesheets and scripts, and the hosts it would contact.
3. Burst: 300 applications at once; the platform (the sandbox) must see exactly 300 calls while the
   careers page keeps answering quickly.
4. The interview room (bench/room.py): the interview page and the status document against hello,
   and the time from sending to a startable interview.
5. Waiting (bench/waiting.py): 300 candidates on the preparation page at once cost the web tier
   at most a fifth of one core.
Results go to bench/results/latest.json; the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

from bench.burst import burst
from bench.room import Mailbox, proven_candidate, time_to_ready
from bench.servers import (
    ROOT,
    TOKEN,
    base_env,
    flask_command,
    free_port,
    gunicorn,
    rss_kib,
    wait_until_up,
)
from bench.waiting import measure_waiting, waiting_candidates, waiting_misses

WEBHOOK_SECRET = "bench-webhook-secret-0123456789"
PAGES = [
    "/",
    "/jobs/data-analyst-amsterdam",
    "/jobs/data-analyst-amsterdam/apply",
    # The same targets hold in every language: German, and Arabic (right to left).
    "/de/jobs/data-analyst-amsterdam",
    "/ar/",
    "/ar/jobs/data-analyst-amsterdam/apply",
]


def wrk(url: str, seconds: int, cookie: str | None = None) -> float:
    """Requests per second wrk reaches on ``url`` (2 threads, 16 connections)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", *headers, url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{url}: {non_2xx.group(1)} failed responses under load")
    assert match, output
    return float(match.group(1))


def page_weight(site: str, path: str) -> dict[str, object]:
    """Bytes of a page with its CSS and JS, and any host other than ours it refers to."""
    with httpx.Client(base_url=site) as client:
        html = client.get(path).text
        # Feeds and the canonical address are named in <link>, but the browser does not fetch them.
        linked = re.sub(r'<link rel="(?:alternate|canonical)"[^>]*>', "", html)
        assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"', linked)
        local = [a for a in assets if a.startswith("/")]
        total = len(html.encode()) + sum(len(client.get(asset).content) for asset in local)
    ours = site.split("//", 1)[1]
    # A link the visitor may follow (the job page's share links) is not a request the page makes.
    fetched = re.sub(r"<a\s[^>]*>", "", html)
    hosts = sorted(
        {m for m in re.findall(r'(?:src|href|action)="(?:https?:)?//([^/"]+)', fetched)} - {ours}
    )
    return {"path": path, "bytes": total, "third_party_hosts": hosts}


def main() -> int:
    """Run all three benchmarks and report against the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per page (median kept)")
    parser.add_argument("--burst", type=int, default=300, help="applications in the burst")
    parser.add_argument("--ready", type=int, default=20, help="applications timed to the room")
    parser.add_argument("--skip-public", action="store_true", help="only the room and the burst")
    parser.add_argument("--waiting", type=int, default=300, help="candidates waiting at once")
    parser.add_argument("--waiting-seconds", type=float, default=20, help="how long they wait")
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL URL (default: a SQLite file)"
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk")
        return 2

    work = Path(tempfile.mkdtemp(prefix="careerframe-bench-"))
    site_port, hello_port, sandbox_port = free_port(), free_port(), free_port()
    site, sandbox = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{sandbox_port}"
    env = base_env(
        APP_ENV="production",
        SECRET_KEY="bench-secret-key-0123456789abcdef",
        DATABASE_URL=options.database_url or f"sqlite:///{work / 'bench.sqlite3'}",
        INSTANCE_PATH=str(work),
        JOBMOJITO_API_URL=f"{sandbox}/functions/v1",
        JOBMOJITO_EMBED_URL=f"{sandbox}/embed",
        JOBMOJITO_API_TOKEN=TOKEN,
        JOBMOJITO_WEBHOOK_SECRET=WEBHOOK_SECRET,
        DATA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        APPLY_RATE_LIMIT="1000 per minute",
        # Links name the public address (https, as production requires); pages are fetched over http.
        SITE_URL=f"https://127.0.0.1:{site_port}",
        TRUSTED_HOSTS="127.0.0.1",
        # The limits only need to run here, not to be exact: each gunicorn worker counts on its own.
        RATELIMIT_SINGLE_PROCESS="true",
        SESSION_COOKIE_SECURE="false",
    )
    processes = []
    results: dict[str, object] = {}
    mailbox = Mailbox().__enter__()
    env.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(mailbox.port), SMTP_SECURITY="none")
    try:
        for args in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run(
                [*flask_command_args(), *args], cwd=ROOT, env=env, check=True, capture_output=True
            )
        processes.append(
            flask_command(
                [
                    "sandbox",
                    "--port",
                    str(sandbox_port),
                    "--token",
                    TOKEN,
                    "--latency",
                    "2",
                    "--webhook-url",
                    f"{site}/webhooks/jobmojito",
                    "--webhook-secret",
                    WEBHOOK_SECRET,
                ],
                env,
                work / "sandbox.log",
            )
        )
        web = gunicorn("wsgi:app", site_port, env, work / "site.log")
        hello = gunicorn("bench.hello:app", hello_port, env, work / "hello.log")
        processes += [web, hello]
        for url in (f"{site}/", f"http://127.0.0.1:{hello_port}/", f"{sandbox}/"):
            wait_until_up(url)

        # Two cores are shared by wrk and the servers, so rates wander: measure the page and the
        # yardstick back to back, three times, and keep the median of the ratios.
        speed = []
        hellos: list[float] = []
        for path in [] if options.skip_public else PAGES:
            ratios, rates = [], []
            for _ in range(options.rounds):
                baseline = wrk(f"http://127.0.0.1:{hello_port}/", options.seconds)
                rate = wrk(site + path, options.seconds)
                hellos.append(baseline)
                rates.append(rate)
                ratios.append(rate / baseline)
            speed.append(
                {
                    "path": path,
                    "rps": round(statistics.median(rates)),
                    "ratio_to_hello": round(statistics.median(ratios), 2),
                }
            )
        results["hello_rps"] = round(statistics.median(hellos)) if hellos else None
        results["speed"] = speed
        results["weight"] = [] if options.skip_public else [page_weight(site, p) for p in PAGES]
        results["site_rss_kib_after_load"] = rss_kib(web.popen.pid)

        workers = [
            flask_command(["worker", "--threads", "8"], env, work / f"worker{index}.log")
            for index in range(2)
        ]
        processes += workers
        results["room"] = room(site, hello_port, sandbox, mailbox, options)
        results["burst"] = burst(site, sandbox, options.burst)
        results["site_rss_kib_after_burst"] = rss_kib(web.popen.pid)

        # With the workers stopped, these candidates stay on the preparation page while measured.
        for worker in workers:
            worker.stop()
        waiting = waiting_candidates(site, options.waiting)
        results["waiting"] = measure_waiting(site, web.popen.pid, waiting, options.waiting_seconds)
    finally:
        for process in reversed(processes):
            process.stop()
        mailbox.__exit__()

    missed = []
    missed += [
        f"{s['path']} at {s['ratio_to_hello']}x hello"
        for s in results["speed"]
        if s["ratio_to_hello"] < 0.5
    ]
    missed += [
        f"{w['path']} weighs {w['bytes']} bytes" for w in results["weight"] if w["bytes"] > 50_000
    ]
    missed += [
        f"{w['path']} calls {w['third_party_hosts']}"
        for w in results["weight"]
        if w["third_party_hosts"]
    ]
    missed += room_misses(results["room"])  # type: ignore[arg-type]
    missed += waiting_misses(results["waiting"])  # type: ignore[arg-type]
    b = results["burst"]
    if b["upstream_calls"] != options.burst or b["interviews_created"] != options.burst:
        missed.append(f"{b['upstream_calls']} upstream calls for {options.burst} applications")
    if b["careers_page_during_burst_ms"]["p95"] > 500:
        missed.append(
            f"careers page p95 {b['careers_page_during_burst_ms']['p95']} ms during the burst"
        )
    results["targets_missed"] = missed

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print("all targets met" if not missed else "targets missed: " + "; ".join(missed))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


# The room's targets: shares of "hello" for the private pages, and seconds to a startable interview.
ROOM_TARGETS = {"interview_page": 0.4, "status_document": 0.6}
READY_P95_SECONDS = 1.0


def room(site: str, hello_port: int, sandbox: str, mailbox: Mailbox, options: Any) -> dict:
    """The candidate's interview page and status document against hello; then the time to ready."""
    page, cookie = proven_candidate(site, mailbox)
    measured: dict[str, object] = {}
    for name, path in (("interview_page", page), ("status_document", page + "/status.json")):
        ratios, rates = [], []
        for _ in range(options.rounds):
            baseline = wrk(f"http://127.0.0.1:{hello_port}/", options.seconds)
            rate = wrk(site + path, options.seconds, cookie)
            rates.append(rate)
            ratios.append(rate / baseline)
        measured[name] = {
            "rps": round(statistics.median(rates)),
            "ratio_to_hello": round(statistics.median(ratios), 2),
        }
    latency = 0.5
    headers = {"Authorization": f"Bearer {TOKEN}"}
    httpx.post(f"{sandbox}/_sandbox/config", json={"latency": latency}, headers=headers)
    from tests.chromium import chromium_path

    measured["time_to_ready"] = time_to_ready(
        site, mailbox, options.ready, latency, chromium_path()
    )
    httpx.post(f"{sandbox}/_sandbox/config", json={"latency": 2}, headers=headers)
    return measured


def room_misses(measured: dict) -> list[str]:
    """The room's targets that were missed, in words."""
    missed = [
        f"{name} at {measured[name]['ratio_to_hello']}x hello (target {target}x)"
        for name, target in ROOM_TARGETS.items()
        if measured[name]["ratio_to_hello"] < target
    ]
    p95 = measured["time_to_ready"]["p95_seconds"]
    if p95 > READY_P95_SECONDS:
        missed.append(f"time to a startable interview p95 {p95} s (target {READY_P95_SECONDS} s)")
    return missed


def flask_command_args() -> list[str]:
    """The argv prefix of a ``flask --app wsgi`` command in this interpreter."""
    import sys

    return [sys.executable, "-m", "flask", "--app", "wsgi"]


if __name__ == "__main__":
    raise SystemExit(main())
