"""The report's stylesheet, inlined in the page: the file must render with no network."""

CSS = """
:root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe2; --accent: #2f6db5;
  --outer: #c9dcf2; --inner: #8fb5e3; --firm: #d2591a; --shade: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 32px 28px 64px; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 40px 0 8px; padding-top: 12px; border-top: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
h3 small { color: var(--muted); font-weight: normal; }
code, .code, .pseudonym { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 13px; }
.scope { font-size: 16px; }
.note, .caption, .empty { color: var(--muted); font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--shade); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.suppressed, p.suppressed { color: var(--muted); font-style: italic; text-align: center; }
td.when { white-space: nowrap; }
td.label { color: var(--accent); font-weight: 600; }
.figure { break-inside: avoid; margin-bottom: 18px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 4px 0; }
svg.chart text { font-size: 11px; fill: var(--muted); }
svg.chart .legend { fill: var(--ink); }
svg.chart .suppressed-mark { font-style: italic; }
svg.chart .firm-label { fill: var(--firm); font-weight: 600; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .quarter { fill: var(--shade); }
svg.chart .band-outer { fill: var(--outer); stroke: none; }
svg.chart .band-inner { fill: var(--inner); stroke: none; }
svg.chart .median { fill: none; stroke: var(--accent); stroke-width: 2.5; }
svg.chart .median-key { fill: var(--accent); }
svg.chart .dot { fill: var(--ink); fill-opacity: 0.55; }
svg.chart .firm { fill: var(--firm); stroke: #fff; stroke-width: 1.5; }
svg.chart .firm-line { fill: none; stroke: var(--firm); stroke-width: 2; stroke-dasharray: 5 4; }
svg.chart .firm-key { fill: var(--firm); }
.appendix table { font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
"""
