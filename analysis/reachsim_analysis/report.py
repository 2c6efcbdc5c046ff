"""One self-contained HTML page for a run or a sweep: the scenario's key assumptions, the headline
table and the figures that fit the file's kind. Figures are embedded as PNG; nothing is fetched."""
import base64
import html
import io

import numpy as np

from . import plots
from .files import _open, _text, open_run, open_sweep

STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}img{max-width:100%}
.note{color:#555;font-size:.9em}"""


def _figure(draw, size=(6.4, 4.0)):
    """Draws with `draw(ax)` on a new figure and returns it as an embedded <img>."""
    from matplotlib.figure import Figure
    figure = Figure(figsize=size, layout="constrained")
    draw(figure.subplots())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<p><img alt="figure" src="data:image/png;base64,{data}"></p>'


def _table(frame, formats=None):
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for column, value in row.items():
            form = formats.get(column)
            text = form(value) if form else (f"{value:.3g}" if isinstance(value, float) else str(value))
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _percent(value):
    return "n/a" if np.isnan(value) else f"{100 * value:.1f}%"


def _assumptions(scenario):
    """The scenario's key inputs, as (what, value) rows."""
    rows = []
    simulation = scenario.get("simulation", {})
    rows.append(("simulated", f"{simulation.get('duration')} from {simulation.get('start')}, "
                              f"{simulation.get('replicates')} replicates, seed {simulation.get('seed')}"))
    if "author" in scenario:
        author = scenario["author"]
        rows.append(("author posting", ", ".join(f"{k} = {v}" for k, v in author.get("posting", {}).items())))
    if "graph" in scenario:
        rows.append(("graph", ", ".join(f"{k} = {v}" for k, v in scenario["graph"].items())))
    segments = (scenario.get("followers") or scenario.get("accounts") or {}).get("segment", [])
    for segment in segments:
        sessions = segment.get("sessions", {})
        per_day = sessions.get("per_day", {})
        depth = segment.get("feed_depth", {})
        background = segment.get("background", {})
        rows.append((f"segment {segment.get('name')}",
                     f"{segment.get('count', segment.get('share'))} accounts at UTC{segment.get('utc_offset', 0):+g}; "
                     f"sessions {per_day.get('value', per_day.get('mean'))}/day ({sessions.get('profile', 'flat')}); "
                     f"feed depth {depth.get('value', depth.get('mean'))}; "
                     f"background {background.get('per_hour')}/hour ({background.get('profile', 'flat')})"))
    if "retweets" in scenario:
        rows.append(("retweets", ", ".join(f"{k} = {v}" for k, v in scenario["retweets"].items()
                                           if not isinstance(v, dict))))
    return rows


def _run_sections(run):
    sections = [f"<h2>Assumptions</h2>" + "<table>" + "".join(
        f"<tr><td>{html.escape(what)}</td><td style='text-align:left'>{html.escape(str(value))}</td></tr>"
        for what, value in _assumptions(run.scenario)) + "</table>"]
    headline = run.segments[["segment", "size", "seen_fraction", "seen_fraction_stderr",
                             "mean_followers_reached"]].copy()
    headline["95% interval"] = [
        f"{_percent(v - plots.Z_95 * s)} – {_percent(v + plots.Z_95 * s)}" if not np.isnan(s) else "n/a"
        for v, s in zip(headline["seen_fraction"], headline["seen_fraction_stderr"])]
    headline = headline.drop(columns="seen_fraction_stderr")
    summary = run.summary
    sections.append(
        "<h2>Headline</h2>"
        f"<p>{summary['posts']} tracked posts; each seen by {_percent(summary['seen_fraction'])} of the followers "
        f"({summary['mean_followers_reached']:.1f} followers per post); "
        f"{_percent(summary['mean_weekly_reach'])} of followers reached in a week, "
        f"{_percent(summary['run_reach'])} over the run.</p>"
        + _table(headline, {"seen_fraction": _percent, "mean_followers_reached": lambda v: f"{v:.1f}"}))
    figures = [
        ("Seen fraction by segment", lambda ax: plots.seen_fraction_by_segment(run.segments, ax=ax)),
        ("Weekly reach by segment", lambda ax: plots.weekly_reach_by_segment(run.weekly, ax=ax)),
        ("When posts are first seen", lambda ax: plots.reach_curve(run.curves, ax=ax)),
        ("Followers by the share of posts they saw", lambda ax: plots.followers_by_share_seen(run.followers, ax=ax)),
    ]
    if run.retweets and len(run.cascades):
        figures += [("Cascade sizes", lambda ax: plots.cascade_sizes(run.posts, ax=ax)),
                    ("Retweet delays", lambda ax: plots.retweet_delays(run.cascades, ax=ax))]
    if run.accounts is not None:
        figures.append(("Followers against followers reached",
                        lambda ax: plots.influence_ranking(run.accounts, run.tracked_authors["account"], ax=ax)))
    for title, draw in figures:
        sections.append(f"<h2>{html.escape(title)}</h2>" + _figure(draw))
    return sections


def _sweep_sections(sweep):
    table = sweep.table
    sections = [f"<h2>Points</h2><p>{int(sweep.parameters['done'].sum())} of {sweep.points} points done.</p>"]
    per_point = table.groupby("point").agg(
        seen=("seen_fraction", "mean"), weekly_reach=("mean_weekly_reach", "mean"),
        reached_per_post=("mean_followers_reached", "mean"))
    shown = sweep.parameters.join(per_point)
    sections.append(_table(shown, {"seen": _percent, "weekly_reach": _percent,
                                   "reached_per_post": lambda v: f"{v:.1f}"}))
    for name in sweep.parameter_names:
        numeric = np.issubdtype(sweep.parameters[name].dtype, np.number)
        if numeric:
            draw = lambda ax, name=name: plots.sweep_tradeoff(table, name, ax=ax)
        else:
            draw = lambda ax, name=name: plots.by_hour(table, name, ax=ax)
        sections.append(f"<h2>{html.escape(name)}</h2>" + _figure(draw))
    return sections


def write_report(path, output):
    """Writes the HTML report on the run or sweep at `path` to `output`."""
    with _open(path) as f:
        mode = _text(f.attrs.get("mode", ""))
    if mode == "sweep":
        sweep = open_sweep(path)
        title, sections = f"reachsim sweep: {path}", _sweep_sections(sweep)
    else:
        run = open_run(path)
        kind = {"single_author": "one author", "graph": "graph"}[run.kind] + (", retweets" if run.retweets else "")
        title, sections = f"reachsim run ({kind}): {path}", _run_sections(run)
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(str(title))}</title>"
            f"<style>{STYLE}</style></head><body><h1>{html.escape(str(title))}</h1>"
            + "".join(sections) + "<p class='note'>Made by reachsim_analysis; intervals are 95% "
            "(1.96 standard errors over replicates). docs/output.md describes every number.</p></body></html>")
    with open(output, "w", encoding="utf-8") as file:
        file.write(page)
