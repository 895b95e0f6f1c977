"""`dropday report`: the label's report on a campaign, made from the skill's turn events.

`events` reads the events (files of log lines, or CloudWatch Logs Insights), `figures` computes
every number in plain Python, `charts` turns figures into Vega-Altair charts, and `page` writes
the self-contained HTML with each chart beside it as PNG and SVG. Only `charts` and `page` need
the `report` extra (altair, vl-convert-python).
"""
