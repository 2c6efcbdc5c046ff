"""Figures: each function takes data (the tables of a Run or Sweep) and an optional matplotlib Axes,
draws on it, and returns it. With no Axes, a new Figure is made (not through pyplot: nothing global
is touched). Intervals are 95%: 1.96 standard errors over replicates."""
import numpy as np
from matplotlib.figure import Figure

Z_95 = 1.959963984540054


def _axes(ax, size=(6.4, 4.0)):
    return ax if ax is not None else Figure(figsize=size, layout="constrained").subplots()


def _mean_and_interval(grouped):
    """The mean of each group and the half-width of its 95% interval (replicates as samples)."""
    return grouped.mean(), Z_95 * grouped.std(ddof=1) / np.sqrt(grouped.count())


def seen_fraction_by_segment(segments, ax=None):
    """The share of (post, follower) pairs seen, per segment, with 95% intervals (`Run.segments`)."""
    ax = _axes(ax)
    y = np.arange(len(segments))
    ax.barh(y, segments["seen_fraction"], xerr=Z_95 * segments["seen_fraction_stderr"].fillna(0),
            color="tab:blue", alpha=0.8, capsize=3)
    ax.set_yticks(y, segments["segment"])
    ax.invert_yaxis()
    ax.set_xlabel("share of posts seen by a follower")
    ax.set_xlim(0, 1)
    return ax


def reach_curve(curves, by_segment=True, ax=None):
    """The reach curve: the cumulative share of first views that happened within each age of a post
    (`Run.curves`), for all followers and, with `by_segment`, for each segment."""
    ax = _axes(ax)
    hours = curves["age_seconds"] / 3600
    ax.plot(hours, curves["fraction"], color="black", lw=2, label="all followers")
    if by_segment:
        for column in [c for c in curves.columns if c.startswith("fraction ")]:
            ax.plot(hours, curves[column], lw=1, label=column.removeprefix("fraction "))
    ax.set_xscale("log")
    ax.set_xlabel("age of the post (hours)")
    ax.set_ylabel("share of first views within that age")
    ax.set_ylim(0, 1)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def sweep_tradeoff(table, parameter, metrics=("seen_fraction", "mean_weekly_reach"), labels=None, ax=None):
    """Metrics against a swept parameter (`Sweep.table`): the mean over replicates with a 95% band.
    The default shows the frequency trade-off: per-post visibility against weekly unique reach."""
    ax = _axes(ax)
    labels = labels or {"seen_fraction": "seen per post", "mean_weekly_reach": "followers reached per week",
                        "run_reach": "followers reached over the run"}
    for metric in metrics:
        mean, half = _mean_and_interval(table.groupby(parameter)[metric])
        x = mean.index.to_numpy()
        ax.plot(x, mean.to_numpy(), marker="o", label=labels.get(metric, metric))
        ax.fill_between(x, (mean - half).to_numpy(), (mean + half).to_numpy(), alpha=0.25)
    values = table[parameter].to_numpy(dtype=float)
    if values.min() > 0 and values.max() / values.min() > 10:
        ax.set_xscale("log")
    ax.set_xlabel(parameter)
    ax.set_ylabel("share of followers")
    ax.set_ylim(0, 1.02)
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax


def by_hour(table, hour_parameter, metric="seen_fraction", ax=None):
    """A metric per posting time (a sweep over `author.posting.times`, one time per point)."""
    ax = _axes(ax)
    mean, half = _mean_and_interval(table.groupby(hour_parameter)[metric])
    names = [str(label).strip("[] '\"")[:5] for label in mean.index]
    ax.errorbar(np.arange(len(mean)), mean.to_numpy(), yerr=half.to_numpy(), marker="o", capsize=3)
    ax.set_xticks(np.arange(len(mean)), names, rotation=90)
    ax.set_xlabel("posting time (author's clock)")
    ax.set_ylabel(metric.replace("_", " "))
    ax.grid(True, alpha=0.3)
    return ax


def followers_by_share_seen(followers, bins=20, ax=None):
    """How many followers saw what share of the author's posts (`Run.followers`)."""
    ax = _axes(ax)
    ax.hist(followers["share_of_posts_seen"].dropna(), bins=bins, range=(0, 1), color="tab:blue", alpha=0.8)
    ax.set_xlabel("share of the author's posts the follower saw")
    ax.set_ylabel("followers")
    return ax


def _ccdfs(samples, xlabel, ylabel, ax):
    """Step CCDFs on log-log axes, one per named sample."""
    for name, values in samples.items():
        values = np.sort(np.asarray(values, dtype=float))
        ax.step(values, 1 - np.arange(len(values)) / len(values), where="post", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def cascade_sizes(posts, real=None, ax=None):
    """CCDF of cascade sizes (retweets per post, `Run.posts`), optionally with real ones
    (`real`: {name: sizes}, e.g. from reachsim_analysis.real_cascades)."""
    samples = {"reachsim": posts["retweets"], **(real or {})}
    return _ccdfs({name: np.asarray(sizes) + 1 for name, sizes in samples.items()},
                  "cascade size + 1 (retweets of a post + 1)", "share of posts with at least this size", _axes(ax))


def retweet_delays(cascades, real=None, ax=None):
    """CCDF of retweet delays after the original post (`Run.cascades`), optionally with real ones."""
    samples = {"reachsim": cascades["delay_seconds"], **(real or {})}
    return _ccdfs({name: np.asarray(delays) / 3600 for name, delays in samples.items()},
                  "delay after the original post (hours)", "share of retweets later than this", _axes(ax))


def influence_ranking(accounts, tracked=None, ax=None):
    """Followers against followers actually reached per post (`Run.accounts`): where the ranking by
    reach departs from the ranking by follower count. `tracked`: account indices to mark."""
    ax = _axes(ax)
    posted = accounts[(accounts["posts"] > 0) & (accounts["followers"] > 0)]
    ax.scatter(posted["followers"], posted["mean_followers_reached"], s=6, alpha=0.4, label="accounts")
    if tracked is not None:
        marked = posted[posted.index.isin(tracked)]
        ax.scatter(marked["followers"], marked["mean_followers_reached"], s=40, color="tab:red",
                   label="tracked authors")
    top = posted["followers"].max()
    ax.plot([1, top], [1, top], color="grey", lw=0.8, ls="--", label="every follower reached")
    ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("followers")
    ax.set_ylabel("followers reached per post (mean)")
    ax.legend()
    return ax


def weekly_reach_by_segment(weekly, ax=None):
    """Weekly unique reach per segment over the whole weeks of the run (`Run.weekly`), with 95%
    intervals over replicates."""
    ax = _axes(ax)
    whole = weekly[weekly["week_covered"] >= 1]
    per_replicate = whole.groupby(["segment", "replicate"], sort=False)["reach"].mean()
    mean, half = _mean_and_interval(per_replicate.groupby("segment", sort=False))
    y = np.arange(len(mean))
    ax.barh(y, mean.to_numpy(), xerr=half.fillna(0).to_numpy(), color="tab:green", alpha=0.8, capsize=3)
    ax.set_yticks(y, mean.index)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of followers reached in a week")
    return ax
