"""The installable app: manifest, icons, service worker and offline page, served for real."""

from __future__ import annotations

import re
import struct
from pathlib import Path

from bedside import __version__
from bedside.web.app import STATIC_DIR
from tests.integration.web.conftest import Web

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_manifest_opens_tonight_full_screen_with_our_icons(web: Web) -> None:
    response = web.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Bedside"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    css = (STATIC_DIR / "bedside.css").read_text()
    assert f"--bg: {manifest['background_color']};" in css
    assert f"--bg: {manifest['theme_color']};" in css
    purposes = {icon.get("purpose", "any") for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in manifest["icons"]:
        served = web.get(icon["src"])
        assert served.status_code == 200, icon
        assert served.headers["content-type"].startswith(icon["type"]), icon
        if icon["type"] == "image/png":
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert png_size(served.content) == (width, height), icon
        else:
            assert served.text.lstrip().startswith("<svg")


def test_every_page_links_the_manifest_and_the_home_screen_icon(profiled: Web) -> None:
    for page in ("/", "/history", "/offline"):
        text = profiled.get(page).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in text, page
        found = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', text)
        assert found, page
        icon = profiled.get(found.group(1))
        assert icon.status_code == 200 and png_size(icon.content) == (180, 180)
        assert 'name="theme-color"' in text


def test_service_worker_is_served_from_the_root_and_caches_only_the_shell(web: Web) -> None:
    response = web.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    script = response.text
    assert f'"bedside-shell-{__version__}"' in script
    shell = re.search(r"var SHELL = \[(.*?)\];", script, re.S)
    assert shell, script
    urls = [*re.findall(r'"([^"]+)"', shell.group(1)), "/offline"]
    assert "/api" not in shell.group(1)
    assert all(u == "/offline" or u.startswith(("/static/", "/manifest")) for u in urls)
    for url in urls:  # install fails if any of them is missing
        assert web.get(url, follow_redirects=False).status_code == 200, url


def test_content_security_policy_lets_the_worker_and_manifest_load(web: Web) -> None:
    policy = web.get("/sw.js").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))

    def effective(*names: str) -> str:
        """The first directive present, as browsers fall back (CSP level 3)."""
        return next(directives[n] for n in (*names, "default-src") if n in directives)

    assert "'self'" in effective("worker-src", "child-src", "script-src").split()
    assert "'self'" in effective("manifest-src").split()
    assert "'self'" in effective("img-src").split()  # the icons


def test_offline_page_needs_no_profile_and_shows_no_health_data(web: Web, tmp_path: Path) -> None:
    first = web.get("/offline", follow_redirects=False)
    assert first.status_code == 200  # no first-run redirect: it is cached at install
    assert "Bedside can't be reached" in first.text
    web.api("PUT", "/api/v1/profile", json={"timezone": "America/New_York", "bedtime": "23:00"})
    web.api("POST", "/api/v1/doses", json={"amount": 7.25, "note": "sore knee 8/10"})
    text = web.get("/offline").text
    assert "7.25" not in text and "sore knee" not in text
    assert 'aria-current="page"' not in text and "/history" not in text
