"""Vega-Altair charts from the report's figures (the data is inline: no file or URL is read)."""

from __future__ import annotations

from .figures import Chart, Figure

try:
    import altair as alt
except ModuleNotFoundError as exc:  # pragma: no cover - the message is the point
    raise ModuleNotFoundError("dropday report draws its charts with Vega-Altair: install the report extra, "
                              "`pip install -e '.[report]'`", name=exc.name) from exc

#: The Vega-Lite version Altair writes its specs for, as vl-convert names it ("v6_4").
VEGA_LITE = "_".join(alt.SCHEMA_VERSION.split(".")[:2])
WIDTH = 640
BAR_HEIGHT = 22
COLOURS = ["#3b6ea8", "#e0893a", "#5a9e6f", "#b5545c", "#8a6bb8", "#7f7f7f"]


def chart_for(figure: Figure) -> alt.Chart | None:
    """The Altair chart of a figure; None when the figure has too little data to chart."""
    spec = figure.chart
    if spec is None:
        return None
    base = alt.Chart(alt.Data(values=[dict(row) for row in spec.data]), title=figure.title)
    value_axis = alt.Axis(format="%") if spec.percent else _count_axis(spec)
    colour = alt.Color(f"{spec.color}:N", title=spec.color, scale=alt.Scale(range=COLOURS)) if spec.color else \
        alt.value(COLOURS[0])
    if spec.mark == "hbar":
        categories = len({row[spec.y] for row in spec.data})
        chart = base.mark_bar().encode(
            x=alt.X(f"{_field(spec.x)}:Q", title=spec.x_title, axis=value_axis),
            y=alt.Y(f"{_field(spec.y)}:{_code(spec.y_type)}", title=spec.y_title,
                    sort=list(spec.order) if spec.order else "-x"),
            color=colour, tooltip=_tooltip(spec))
        return chart.properties(width=WIDTH, height=max(60, BAR_HEIGHT * categories))
    x = alt.X(f"{_field(spec.x)}:{_code(spec.x_type)}", title=spec.x_title,
              sort=list(spec.order) if spec.order else "ascending",
              axis=alt.Axis(format="%d %b", labelAngle=-45, tickCount="day") if spec.x_type == "temporal"
              else alt.Axis(labelAngle=0))
    y = alt.Y(f"{_field(spec.y)}:Q", title=spec.y_title, axis=value_axis)
    if spec.mark == "line":
        chart = base.mark_line(point=True).encode(x=x, y=y, color=colour, tooltip=_tooltip(spec))
    else:
        bar = base.mark_bar()
        if spec.x_type == "temporal":  # bars a day wide
            x = alt.X(f"yearmonthdate({_field(spec.x)}):O", title=spec.x_title,
                      axis=alt.Axis(format="%d %b", labelAngle=-45))
        encoding = dict(x=x, y=y, color=colour, tooltip=_tooltip(spec))
        if spec.color and spec.x_type != "temporal":
            encoding["xOffset"] = alt.XOffset(f"{spec.color}:N")   # groups side by side; days stack
        chart = bar.encode(**encoding)
    return chart.properties(width=WIDTH, height=260)


def _count_axis(spec: Chart) -> alt.Axis:
    """An axis of counts with whole-number ticks only (stacked bars: up to the tallest stack)."""
    value, category = (spec.x, spec.y) if spec.mark == "hbar" else (spec.y, spec.x)
    totals: dict = {}
    for row in spec.data:
        key = row[category] if spec.mark != "line" and spec.x_type == "temporal" else (row[category], row.get(spec.color))
        totals[key] = totals.get(key, 0) + (row[value] or 0)
    top = int(max(totals.values(), default=0))
    return alt.Axis(format="d", values=list(range(top + 1))) if top <= 8 else alt.Axis(format="d", tickMinStep=1)


def _tooltip(spec: Chart) -> list[alt.Tooltip]:
    x_type = "quantitative" if spec.mark == "hbar" else spec.x_type
    y_type = spec.y_type if spec.mark == "hbar" else "quantitative"
    fields = [(spec.x, x_type), (spec.y, y_type)] + ([(spec.color, "nominal")] if spec.color else [])
    return [alt.Tooltip(f"{_field(name)}:{_code(kind)}", title=name,
                        format=".0%" if spec.percent and kind == "quantitative" else "")
            for name, kind in fields]


def _field(name: str) -> str:
    """A field name as Vega-Lite reads it (dots and brackets would mean nesting)."""
    return name.replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _code(kind: str) -> str:
    return {"nominal": "N", "ordinal": "O", "temporal": "T", "quantitative": "Q"}[kind]
