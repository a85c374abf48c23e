"""The burst: many applications at once, each sent by its own client; the platform must see exactly
one call per application while the careers page keeps answering quickly."""

from __future__ import annotations

import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.servers import TOKEN

APPLY = "/jobs/data-analyst-amsterdam/apply"
RESUME = (
    "Data analyst with four years of SQL, Python and dashboard work for a logistics company; "
    "built demand forecasts per region and explained them clearly to operations managers."
)


def apply_once(site: str, index: int) -> str:
    """One candidate: open the form, send it; returns the candidate page path."""
    with httpx.Client(base_url=site, timeout=60) as client:
        form = client.get(APPLY).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = client.post(
            APPLY,
            data={
                "csrf_token": token,
                "full_name": f"Bench Candidate {index}",
                "email": f"bench{index}@example.com",
                "country": "NL",
                "consent": "y",
                "website": "",
                "resume_text": RESUME,
            },
            files={"resume_file": ("", b"")},
        )
        assert response.status_code == 303, response.status_code
        return response.headers["Location"]


def burst(site: str, sandbox: str, count: int) -> dict[str, object]:
    """Send ``count`` applications at once; watch the careers page meanwhile; count upstream calls."""
    latencies: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        with httpx.Client(base_url=site, timeout=30) as client:
            while not stop.is_set():
                started = time.perf_counter()
                assert client.get("/").status_code == 200
                latencies.append(time.perf_counter() - started)
                time.sleep(0.05)

    headers = {"Authorization": f"Bearer {TOKEN}"}
    # Calls made before the burst (the room's candidates) are not the burst's.
    before = httpx.get(f"{sandbox}/_sandbox/calls", headers=headers).json()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        pages = list(pool.map(lambda i: apply_once(site, i), range(count)))
    submitted_in = time.monotonic() - started
    deadline = time.monotonic() + 600
    calls: dict[str, object] = {}
    while time.monotonic() < deadline:
        calls = httpx.get(f"{sandbox}/_sandbox/calls", headers=headers).json()
        if calls["interviews_created"] - before["interviews_created"] >= count:
            break
        time.sleep(1)
    time.sleep(3)  # let any stray duplicate call show itself
    calls = httpx.get(f"{sandbox}/_sandbox/calls", headers=headers).json()
    stop.set()
    watcher.join(timeout=10)
    return {
        "applications": len(pages),
        "submitted_in_seconds": round(submitted_in, 2),
        "all_prepared_in_seconds": round(time.monotonic() - started, 2),
        "upstream_calls": calls["api_calls"] - before["api_calls"],
        "interviews_created": calls["interviews_created"] - before["interviews_created"],
        "careers_page_during_burst_ms": {
            "requests": len(latencies),
            "p50": round(statistics.median(latencies) * 1000, 1),
            "p95": round(sorted(latencies)[int(len(latencies) * 0.95) - 1] * 1000, 1),
            "max": round(max(latencies) * 1000, 1),
        },
    }
