"""Every page parses as HTML5 and every internal href and src resolves to a file the build wrote."""
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest

from briefing import pipeline
from conftest import LAYOUTS, NOW, ROOT

NS = "{http://www.w3.org/1999/xhtml}"
SITES = {
    "example": (ROOT / "content", LAYOUTS),
    "golden": (ROOT / "tests" / "golden" / "content", ROOT / "tests" / "golden" / "layouts"),
}


def internal_targets(page: Path, root: Path, base_url: str):
    """(attribute value, output path it must resolve to, fragment) for each internal link of a page."""
    document = html5lib.parse(page.read_bytes(), treebuilder="etree", namespaceHTMLElements=True)
    page_url = urljoin(base_url, page.relative_to(root).as_posix().removesuffix("index.html"))
    base = urlsplit(base_url)
    for element in document.iter():
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value is None or value.startswith(("mailto:", "data:")):
                continue
            target = urlsplit(urljoin(page_url, value))
            if target.netloc != base.netloc:
                continue
            assert target.path.startswith(base.path), f"{page}: {value} leaves the site's base path"
            rel = unquote(target.path[len(base.path) :])
            yield value, rel + "index.html" if rel.endswith("/") or rel == "" else rel, target.fragment


@pytest.mark.parametrize("name", SITES)
def test_every_internal_link_resolves(tmp_path, name):
    content, layouts = SITES[name]
    output = tmp_path / "site"
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=layouts, output_dir=output, now=NOW))
    assert report.ok, report.problems
    base_url = (output / "robots.txt").read_text().split("Sitemap: ")[1].strip().removesuffix("sitemap.xml")
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    broken = []
    for page in pages:
        for value, rel, fragment in internal_targets(page, output, base_url):
            target = output / rel
            if not target.is_file():
                broken.append(f"{page.relative_to(output)}: {value}")
            elif fragment and target.suffix == ".html" and f'id="{fragment}"' not in target.read_text():
                broken.append(f"{page.relative_to(output)}: {value} (no id {fragment})")
    assert broken == []
