"""Developer tool: pictures of the web page and of the 一图读懂 for docs/images (needs Debian's chromium).

    python docs/tools/publish_images.py docs/images/

Writes figure-2021.png / figure-2019.png (the pictures of the two built-in examples, scaled down) and
web-desktop.png / web-phone.png (the web page of the 2019-format example in headless Chromium at a
desktop width, and the 2021 example at a phone's width, where table 三 scrolls inside its box).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from nianbao import examples, figure, web

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def shoot(page: Path, out: Path, width: int, height: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([*CHROMIUM, f"--user-data-dir={profile}", f"--screenshot={out}",
                        f"--window-size={width},{height}", page.as_uri()], capture_output=True, check=True, timeout=120)
    return Image.open(out).convert("RGB")


def small(img: Image.Image, width: int) -> Image.Image:
    if img.width > width:
        img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
    return img.quantize(256, method=Image.Quantize.MEDIANCUT)


def main(outdir: str) -> int:
    out = Path(outdir)
    with tempfile.TemporaryDirectory(prefix="nianbao-img-") as tmp:
        t = Path(tmp)
        for name, stem in (("example2021", "figure-2021"), ("seed", "figure-2019")):
            png = figure.export(examples.load(name), t / f"{stem}.png")[0]
            small(Image.open(png).convert("RGB"), 720).save(out / f"{stem}.png", optimize=True)
        desk = web.export(examples.load("seed"), t / "desk.html", page=True)
        img = shoot(desk, t / "desk.png", 1100, 3600)
        small(img.crop((0, 1450, img.width, 3350)), 1000).save(out / "web-desktop.png", optimize=True)
        phone = web.export(examples.load("example2021"), t / "phone.html", page=True)
        img = shoot(phone, t / "phone.png", 390, 7000)
        small(img.crop((0, 3900, img.width, 5600)), 390).save(out / "web-phone.png", optimize=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/images"))
