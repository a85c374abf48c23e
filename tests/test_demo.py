"""The demo command: one process serving the site, the sandbox on another port, and the worker."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.helpers import Candidate, wait_for
from tests.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_runs_everything_and_a_candidate_reaches_the_interview(tmp_path: Path) -> None:
    site_port, sandbox_port, smtp_port = free_port(), free_port(), free_port()
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")}
    env.update(APP_ENV="demo", INSTANCE_PATH=str(tmp_path), PYTHONUNBUFFERED="1")
    log = tmp_path / "demo.log"
    with log.open("wb") as output:
        demo = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "wsgi",
                "demo",
                "--port",
                str(site_port),
                "--sandbox-port",
                str(sandbox_port),
                "--latency",
                "0.3",
                "--smtp-port",
                str(smtp_port),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        printed = wait_for(
            lambda: "Ctrl+C to stop" in log.read_text() and log.read_text(),
            timeout=60,
            what="demo start",
        )
        assert f"http://127.0.0.1:{site_port}/" in printed
        assert f"http://127.0.0.1:{sandbox_port}/functions/v1" in printed
        assert f"http://127.0.0.1:{sandbox_port}/mailbox" in printed
        assert re.search(r"Recruiter\s+recruiter@\S+ / \S{10,}", printed)
        assert re.search(r"Sample résumé:\s+\S+\.pdf", printed) and re.search(
            r"Sample résumé:\s+\S+\.docx", printed
        )
        assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600

        pdf = re.search(r"Sample résumé:\s+(\S+\.pdf)", printed).group(1)
        candidate = Candidate(f"http://127.0.0.1:{site_port}")
        page = candidate.apply(
            "data-analyst-amsterdam", "demo@example.com", file=("cv.pdf", Path(pdf).read_bytes())
        )
        candidate.wait_for_stage(page, "interview", timeout=30)
        # The interview opens once the address is proven: follow the link in the demo's mailbox.
        mailbox = f"http://127.0.0.1:{sandbox_port}/mailbox"
        number = wait_for(
            lambda: re.search(r'href="[^"]*/mailbox/(\d+)"', httpx.get(mailbox).text),
            timeout=30,
            what="the confirmation e-mail",
        ).group(1)
        mail = httpx.get(f"{mailbox}/{number}").text
        link = re.search(r"/continue/[A-Za-z0-9_.\-]+", mail).group(0)
        assert candidate.http.get(link).status_code == 303
        html = candidate.http.get(page).text
        src = (
            html.split('<iframe id="interview-frame" src="', 1)[1]
            .split('"', 1)[0]
            .replace("&amp;", "&")
        )
        assert src.startswith(f"http://127.0.0.1:{sandbox_port}/embed?")
        assert httpx.get(src).status_code == 200
        candidate.close()
    finally:
        demo.send_signal(signal.SIGTERM)
        try:
            demo.wait(timeout=20)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
    secret_values = [
        v for v in __import__("json").loads((tmp_path / "secrets.json").read_text()).values()
    ]
    output_text = log.read_text()
    assert not any(value in output_text for value in secret_values)
    assert (
        "/applications/" in output_text
        and page.split("/applications/")[1].split(".")[0] not in output_text
    )


def test_the_demo_server_logs_no_private_link() -> None:
    from webapp.serving import public_path

    assert (
        public_path("/applications/IjE2Ig.aaa.bbb/status.json?x=1")
        == "/applications/[token]/status.json"
    )
    assert public_path("/preview/abc.def") == "/preview/[token]"
    assert public_path("/jobs/data-analyst?q=1") == "/jobs/data-analyst"
