"""The report as one self-contained HTML file, with each chart beside it as PNG and SVG.

The page carries Vega, Vega-Lite and Vega-Embed inline (vl-convert's bundle) and every chart's
data inline, so it opens anywhere, offline, and loads nothing from anywhere.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path

from .charts import VEGA_LITE, chart_for
from .figures import Figure, Report, summary_rows

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 58rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.4rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .2rem .55rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; }
.too-little { background: #fff6e0; border-left: 4px solid #e0a030; padding: .5rem .8rem; }
.files { font-size: .85rem; color: #555; }
details summary { cursor: pointer; color: #3b6ea8; }
"""


def write_report(report: Report, out_dir: Path, images: bool = True,
                 progress: Callable[[str], None] | None = None) -> Path:
    """Write `report.html` (and each chart as `<key>.png` and `<key>.svg`) into `out_dir`.

    Returns:
        The path of the HTML file.
    """
    import vl_convert

    out_dir.mkdir(parents=True, exist_ok=True)
    charts = {}
    for figure in report.figures:
        chart = chart_for(figure)
        if chart is None:
            continue
        spec = chart.to_dict()
        charts[figure.key] = spec
        if images:
            if progress:
                progress(f"drawing {figure.key}")
            (out_dir / f"{figure.key}.png").write_bytes(vl_convert.vegalite_to_png(spec, VEGA_LITE, scale=2))
            (out_dir / f"{figure.key}.svg").write_text(vl_convert.vegalite_to_svg(spec, VEGA_LITE), encoding="utf-8")
    bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE) if charts else ""
    page = out_dir / "report.html"
    page.write_text(render_html(report, charts, bundle, images), encoding="utf-8")
    return page


def render_html(report: Report, charts: dict[str, dict], bundle: str, images: bool) -> str:
    """The page: header, summary, then one section per figure."""
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{e(report.title)}: listener report</title>", f"<style>{_STYLE}</style>"]
    if bundle:
        parts.append(f"<script>{_script_safe(bundle)}</script>")
    parts += ["</head><body>", f"<h1>{e(report.title)}</h1>",
              f"<p>What listeners did with the <b>{e(report.campaign)}</b> skill"
              + (f" from {report.first} to {report.last}" if report.first else "")
              + f", read from {report.events} turn events.</p>", _table(("", ""), summary_rows(report), header=False)]
    if report.sources:
        parts.append("<details><summary>Read from</summary><ul>" +
                     "".join(f"<li>{e(s)}</li>" for s in report.sources) + "</ul></details>")
    parts += [f'<p class="too-little">{e(note)}</p>' for note in report.notes]
    for figure in report.figures:
        parts.append(_section(figure, charts.get(figure.key), images))
    if charts:
        calls = "\n".join(f"vegaEmbed({json.dumps('#chart-' + key)}, {_script_safe(json.dumps(spec))}, "
                          f"{{actions: false, renderer: 'svg'}}).catch(console.error);"
                          for key, spec in charts.items())
        parts.append(f"<script>\n{calls}\n</script>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _section(figure: Figure, spec: dict | None, images: bool) -> str:
    e = html.escape
    out = [f'<section id="{e(figure.key)}"><h2>{e(figure.title)}</h2>', f"<p>{e(figure.sentence)}</p>"]
    if spec is None:
        out.append(f'<p class="too-little">{e(figure.too_little or "Too little data to chart.")}</p>')
    else:
        out.append(f'<div id="chart-{e(figure.key)}"></div>')
        if images:
            out.append(f'<p class="files">This chart as <a href="{e(figure.key)}.png">PNG</a> or '
                       f'<a href="{e(figure.key)}.svg">SVG</a>.</p>')
    if figure.rows:
        out.append(_table(figure.columns, figure.rows))
    out.append("</section>")
    return "\n".join(out)


def _table(columns, rows, header: bool = True) -> str:
    e = html.escape
    head = "<tr>" + "".join(f"<th>{e(str(c))}</th>" for c in columns) + "</tr>" if header else ""
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table>{head}{body}</table>"


def _cell(value) -> str:
    if isinstance(value, float):
        value = f"{value:.2f}"
    css = ' class="n"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    return f"<td{css}>{html.escape(str(value))}</td>"


def _script_safe(text: str) -> str:
    """Text that cannot end the <script> element it is in (only `</script` could)."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
