"""Hostile contributors: XSS vectors in every field that reaches a page or feed; no executable script may come out."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import html5lib
import markdown
import pytest

from briefing import markup, pipeline
from conftest import LAYOUTS, SITE_YAML, write_tree

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
P = "window.__xss=1"  # what every vector tries to run; the browser test looks for it

# Collected from the OWASP XSS filter evasion cheat sheet, PortSwigger's XSS cheat sheet, html5sec.org and
# DOMPurify's mutation-XSS tests, each rewritten to set window.__xss (or open a dialog) when it runs.
VECTORS = [
    f"<script>{P}</script>",
    f"<SCRIPT>{P}</SCRIPT>",
    f"<ScRiPt>{P}</sCrIpT>",
    f"<script src=data:text/javascript,{P}></script>",
    f'<script/src="data:,{P}"></script>',
    f"<script>{P}",  # never closed
    f"<<script>{P}//<</script>",
    f"<scr<script>ipt>{P}</scr</script>ipt>",
    f"<img src=x onerror={P}>",
    f'<img src="x" onerror="{P}">',
    f"<IMG SRC=x OnErRoR={P}>",
    f'<img src="x" onerror="&#119;indow.__xss=1">',
    f"<img src=javascript:{P}>",
    f"<img/src=x/onerror={P}>",
    f"<img src=x onerror={P}",  # broken tag
    f"<img src=x:alert(alt) onerror=eval(src) alt=0>",
    f"<svg onload={P}>",
    f"<svg><script>{P}</script></svg>",
    f"<svg><animate onbegin={P} attributeName=x dur=1s>",
    f'<svg><a xlink:href="javascript:{P}"><text x=20 y=20>click</text></a></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={P}>",
    f'<noscript><p title="</noscript><img src=x onerror={P}>"></noscript>',
    f"<body onload={P}>",
    f'<iframe src="javascript:{P}"></iframe>',
    f'<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    f'<object data="javascript:{P}"></object>',
    f'<embed src="javascript:{P}">',
    f'<a href="javascript:{P}">click</a>',
    f'<a href="JaVaScRiPt:{P}">click</a>',
    f'<a href="&#106;avascript:{P}">click</a>',
    f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{P}">click</a>',
    f'<a href="java&#x09;script:{P}">click</a>',
    f'<a href=" javascript:{P}">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">click</a>',
    f'<a href="data:text/html,<script>{P}</script>">click</a>',
    f'<a href="https://example.org/" onclick="{P}">click</a>',
    f"[click](javascript:{P})",
    f"[click](JAVASCRIPT:{P})",
    f"[click](javascript&#58;{P})",
    f"[click]( javascript:{P} )",
    f"[click][evil]\n\n[evil]: javascript:{P}",
    f"<javascript:{P}>",
    f"![x](javascript:{P})",
    f'![x" onerror="{P}](x.png)',
    f'[click](https://example.org/"onmouseover="{P})',
    f'<form action="javascript:{P}"><button>go</button></form>',
    f"<form><button formaction=javascript:{P}>go</button></form>",
    f"<input autofocus onfocus={P}>",
    f"<details open ontoggle={P}>",
    f'<div style="background:url(javascript:{P})">styled</div>',
    f'<div style="width:expression({P})">styled</div>',
    f'<style>@import "javascript:{P}";</style>',
    f'<style>body{{background:url("javascript:{P}")}}</style>',
    f'<link rel=stylesheet href="javascript:{P}">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{P}">',
    f'<base href="javascript:{P}//">',
    f'"><script>{P}</script>',
    f"'><script>{P}</script>",
    f'" onmouseover="{P}',
    f"' onfocus='{P}' autofocus='",
    f"</script><script>{P}</script>",
    f"</title><script>{P}</script>",
    f"</textarea><script>{P}</script>",
    f"<!--<script>{P}</script>-->",
    f"<!-- --!><script>{P}</script> -->",
    f"&lt;script&gt;{P}&lt;/script&gt;",  # already escaped: must not be unescaped into markup anywhere
    f"&#60;img src=x onerror={P}&#62;",
    f'<video><source onerror="{P}"></video>',
    f"<audio src=x onerror={P}>",
    f"<marquee onstart={P}>moving</marquee>",
    f"<x onclick={P} contenteditable>click</x>",
    f'<img src="https://example.org/x.png" alt="x" srcset="javascript:{P} 1x">',
    f'<table background="javascript:{P}"><tr><td>cell</td></tr></table>',
    f'<div class="x" onmouseover={P}>hover</div>',
    "{{ 7*7 }} {% raw %}{{ self.__init__.__globals__ }}{% endraw %}",  # template injection: content is data, never a template
    f"\u2028\u2029</script><script>{P}</script>",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc", "lowsrc", "dynsrc", "ping", "srcset", "xlink:href", "codebase", "manifest"}
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style", "isindex", "portal", "template"}
SCRIPT_SOURCES = ("/pagefind/", "/static/")


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML; \\u escapes keep U+2028 out of the raw text)."""
    return json.dumps(value)


def hostile_briefing(n: int, vector: str) -> str:
    """One briefing that carries the vector in every field a template or feed shows."""
    squeezed = re.sub(r"\s", "", vector)  # URLs and image paths cannot hold spaces; quotes and brackets they can
    image_src = f"/static/x{n}.png" + (squeezed.replace(".", "")[:60] if n % 2 else "")
    lines = [
        "---",
        f"title: {q(vector)}",
        f"author: {q(f'Author {n} ' + vector)}",  # numbered: two vectors that differ only in marks would share one slug
        f"date: 2020-01-{1 + n % 28:02d}T{n % 24:02d}:00:00",
        f"tags: [xss, {q(f'tag {n} ' + vector[:90])}]",
        f"id: {q(vector)}",
        "image:",
        f"  src: {q(image_src)}",
        f"  alt: {q(vector)}",
        f"  caption: {q(vector)}",
        f"  credit: {q(vector)}",
        "source:",
        f"  name: {q(vector)}",
        f"  url: {q('https://example.org/' + squeezed)}",
    ]
    if n % 2:  # the others get their summary from the body's first paragraph, which is unescaped plain text
        lines.append(f"summary: {q('Summary ' + vector)}")  # Markdown: text first, as a summary with no text is refused
    return "\n".join(lines + ["---", "", f"Before {vector} after.", "", vector, ""])


def hostile_topic(n: int, vectors: list[str]) -> str:
    body = "\n\n".join(vectors)
    return f"---\ntitle: {q('Topic ' + vectors[0])}\nsummary: {q(vectors[-1])}\ntags: [xss]\n---\n\n{body}\n"


def write_hostile_content(root: Path) -> Path:
    files = {f"briefings/2020/v{n:03d}.md": hostile_briefing(n, vector) for n, vector in enumerate(VECTORS)}
    chunks = [VECTORS[i : i + 10] for i in range(0, len(VECTORS), 10)]
    files |= {f"topics/t{n}.md": hostile_topic(n, chunk) for n, chunk in enumerate(chunks)}
    return write_tree(root, {"site.yaml": SITE_YAML, **files})


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("xss")
    content = write_hostile_content(tmp / "content")
    report = pipeline.build_site(pipeline.Options(content_dir=content, layouts_dir=LAYOUTS, output_dir=tmp / "site", now=NOW))
    assert report.ok, "\n".join(map(str, report.errors))
    return tmp / "site"


def own_inline_scripts() -> list[re.Pattern]:
    """The inline scripts the site's own templates contain (a {{ ... }} inside matches a quoted config value)."""
    patterns = []
    for path in LAYOUTS.glob("*.html"):
        for text in re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), re.DOTALL):
            parts = [re.escape(re.sub(r"\s+", " ", part)) for part in re.split(r"\{\{.*?\}\}", text.strip())]
            patterns.append(re.compile('"[^"<]*"'.join(parts)))
    return patterns


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _url_is_script(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:"))


def findings(html_text: str, where: str, own_scripts: list[re.Pattern]) -> list[str]:
    """Everything in a document a browser could execute that the site's own templates did not put there."""
    found = []
    tree = html5lib.parse(html_text, treebuilder="etree", namespaceHTMLElements=False)
    for element in tree.iter():
        tag = _local(element.tag)
        attributes = {_local(k) if not k.startswith("{http://www.w3.org/1999/xlink}") else "xlink:href": v for k, v in element.attrib.items()}
        if tag == "script":
            text = (element.text or "").strip()
            if attributes.get("type") == "application/ld+json":
                try:
                    json.loads(text)
                except ValueError:
                    found.append(f"{where}: JSON-LD broken open: {text[:120]!r}")
            elif not (any(p.fullmatch(" ".join(text.split())) for p in own_scripts) and not attributes.get("src")) and not (not text and attributes.get("src", "").startswith(SCRIPT_SOURCES)):
                found.append(f"{where}: script {attributes} {text[:120]!r}")
        if tag in NEVER:
            found.append(f"{where}: <{tag}> element")
        if tag == "form" and attributes.get("action") != "/search/":
            found.append(f"{where}: form posting to {attributes.get('action')!r}")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh" and not re.fullmatch(r"0; url=/[\w/.-]*", attributes.get("content", "")):
            found.append(f"{where}: meta refresh to {attributes.get('content')!r}")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"{where}: <{tag} {name}={value[:80]!r}>")
            if name in URL_ATTRIBUTES and _url_is_script(value):
                found.append(f"{where}: <{tag} {name}={value[:80]!r}>")
            if name == "srcdoc":
                found.append(f"{where}: <{tag} srcdoc>")
            if name == "style" and re.search(r"url\(|expression|javascript|@import|behavior|\\", value, re.IGNORECASE):
                found.append(f"{where}: <{tag} style={value[:80]!r}>")
    return found


def feed_findings(xml_bytes: bytes, where: str) -> list[str]:
    """Feeds must stay well-formed, and the HTML a reader renders from them must be as safe as a page."""
    root = ET.fromstring(xml_bytes)  # raises on any markup that broke the XML
    found = []
    for item in root.iter("item"):  # an item's description and content are HTML; titles and the channel's description plain text (RSS Profile)
        for element in item:
            name = _local(element.tag)
            if name in ("description", "encoded") and element.text:
                found += findings(element.text, f"{where} <{name}>", [])
    return found


def test_there_are_at_least_fifty_vectors():
    assert len(set(VECTORS)) == len(VECTORS) >= 50


def test_every_vector_briefing_is_built(hostile_site):
    articles = sorted(hostile_site.glob("briefings/2020/*/index.html"))
    assert len(articles) == len(VECTORS)


def test_no_page_carries_an_executable_script(hostile_site):
    own = own_inline_scripts()
    found = []
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 2 * len(VECTORS)
    for path in pages:
        found += findings(path.read_text(encoding="utf-8"), path.relative_to(hostile_site).as_posix(), own)
    assert found == []


def test_no_feed_carries_an_executable_script(hostile_site):
    found = []
    feeds = sorted(hostile_site.rglob("*.xml")) + sorted(hostile_site.rglob("*.opml"))
    assert len(feeds) > 50
    for path in feeds:
        found += feed_findings(path.read_bytes(), path.relative_to(hostile_site).as_posix())
    assert found == []


def test_json_ld_holds_the_hostile_title_as_data(hostile_site):
    for path in sorted(hostile_site.glob("briefings/2020/*/index.html")):
        tree = html5lib.parse(path.read_text(encoding="utf-8"), treebuilder="etree", namespaceHTMLElements=False)
        [script] = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
        assert json.loads(script.text)["headline"] in VECTORS


def test_template_syntax_in_content_is_shown_not_run(hostile_site):
    text = "\n".join(p.read_text(encoding="utf-8") for p in hostile_site.glob("briefings/2020/*/index.html"))
    assert "{{ 7*7 }}" in text and "__globals__" in text


def test_the_checker_itself_sees_a_script():
    """The checks above can fail: fed each vector unsanitised (as raw HTML, or through Markdown), they flag it."""
    inert = {  # harmless as a fragment of their own: they attack an attribute, a template, a feed, or a broken parser
        f"<scr<script>ipt>{P}</scr</script>ipt>", f"<img/src=x/onerror={P}>", f'" onmouseover="{P}', f"' onfocus='{P}' autofocus='",
        f"<!--<script>{P}</script>-->", f"&lt;script&gt;{P}&lt;/script&gt;", f"&#60;img src=x onerror={P}&#62;", VECTORS[-2],
        f'[click](https://example.org/"onmouseover="{P})', f'![x" onerror="{P}](x.png)',
        f"<javascript:{P}>",
        f'<noscript><p title="</noscript><img src=x onerror={P}>"></noscript>',  # html5lib parses with scripting off; the browser test covers it
    }
    missed = [v for v in VECTORS if v not in inert and not findings(f"<p>{v}</p>", "raw", []) and not findings(markdown.markdown(v), "md", [])]
    assert missed == []


# --- the sanitiser allowlist in site.yaml -----------------------------------------------------------


def test_site_yaml_can_allow_more_harmless_tags_and_attributes(make_content, tmp_path):
    site_yaml = SITE_YAML + "sanitize:\n  tags: [ruby, rt]\n  attributes:\n    span: [lang]\n"
    body = '<ruby>漢<rt>kan</rt></ruby> <span lang="fr" onclick="x()">oui</span> <script>x()</script>'
    from conftest import briefing_text

    root = make_content({"briefings/2020/a.md": briefing_text(body=body)}, site_yaml=site_yaml)
    report = pipeline.build_site(pipeline.Options(content_dir=root, layouts_dir=LAYOUTS, output_dir=tmp_path / "site", now=NOW))
    assert report.ok, report.problems
    page = (tmp_path / "site/briefings/2020/a/index.html").read_text()
    assert '<ruby>漢<rt>kan</rt></ruby> <span lang="fr">oui</span>' in page
    assert "onclick" not in page and "<script>x()" not in page


@pytest.mark.parametrize(
    "setting, fragment",
    [
        ("tags: [script]", "sanitize.tags: 'script' can never be allowed"),
        ("tags: [iframe]", "sanitize.tags: 'iframe' can never be allowed"),
        ("attributes: {a: [onclick]}", "sanitize.attributes: 'onclick' can never be allowed"),
        ("attributes: {span: [style]}", "sanitize.attributes: 'style' can never be allowed"),
        ("attributes: {span: lang}", "attributes of 'span' must be a list"),
        ("tags: [Bad Name]", "'Bad Name' is not a lower-case HTML name"),
    ],
)
def test_site_yaml_cannot_allow_what_runs_code(make_content, setting, fragment):
    root = make_content({}, site_yaml=SITE_YAML + f"sanitize: {{{setting}}}\n")
    report = pipeline.check(pipeline.Options(content_dir=root, layouts_dir=LAYOUTS, now=NOW))
    assert [fragment in str(p) for p in report.errors] == [True], report.problems
    assert report.errors[0].line == 7


def test_sanitize_keeps_safe_markup_from_a_trusted_looking_body():
    html = markup.render_markdown('Text with [a link](https://example.org/ "title") and ![photo](/static/a.jpg)\n\n| a | b |\n|---|---|\n| 1 | 2 |')
    assert '<a href="https://example.org/" title="title">a link</a>' in html
    assert '<img alt="photo" src="/static/a.jpg">' in html and "<table>" in html
