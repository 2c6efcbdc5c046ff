"""Reading reachsim files: a run (`open_run`) or a sweep (`open_sweep`) as pandas tables, dicts and
xarray Datasets. Names come back as str, times as UTC and as the author's local time, graph
accounts with their original ids, 2-D datasets as tidy columns."""
import pathlib
import tomllib

import h5py
import numpy as np
import pandas as pd

FORMAT_VERSION = 4  # the output layout this package reads (docs/output.md)


class NotReachsimOutput(ValueError):
    """The file is not reachsim output, or is in a layout this package does not know."""


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _check(path, attrs):
    if _text(attrs.get("format", "")) != "reachsim":
        raise NotReachsimOutput(f"{path}: not a reachsim output file (no format = \"reachsim\" attribute)")
    version = int(attrs.get("format_version", -1))
    if version != FORMAT_VERSION:
        raise NotReachsimOutput(
            f"{path}: format_version {version}, but this package reads format_version {FORMAT_VERSION} "
            f"(re-run the scenario with this reachsim, or use the matching analysis package)")


def _open(path):
    path = pathlib.Path(path)
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise NotReachsimOutput(f"{path}: not an HDF5 file ({error})") from None


def _is_scale(dataset):
    return h5py.h5ds.is_scale(dataset.id)


def _dimension(dataset, axis=0):
    return dataset.dims[axis][0].name.rsplit("/", 1)[-1] if len(dataset.dims[axis]) else None


def _values(dataset):
    if dataset.dtype.kind == "O" or h5py.check_string_dtype(dataset.dtype):
        return dataset.asstr()[()]
    return dataset[()]


def _rows(group, dimension):
    """The 1-D datasets of `group` along `dimension`, as a DataFrame indexed 0..n-1."""
    columns = {name: _values(dataset) for name, dataset in group.items()
               if isinstance(dataset, h5py.Dataset) and dataset.ndim == 1 and not _is_scale(dataset)
               and _dimension(dataset) == dimension}
    return pd.DataFrame(columns)


def _scalars(group):
    return {name: (_text(d[()]) if h5py.check_string_dtype(d.dtype) else d[()].item())
            for name, d in group.items() if isinstance(d, h5py.Dataset) and d.ndim == 0}


class Run:
    """One run's results (a file from `reachsim run`, or a point of a sweep), read eagerly.

    Tables (pandas DataFrames): posts, followers, segments, replicates, tracked_authors, channels
    (impressions and reach per post by the way each view came), and when present accounts,
    cascades, curves; dicts: summary, scenario (the resolved scenario, parsed),
    provenance. `kind` is "single_author" or "graph"; `retweets` says whether posts were retweeted.
    `dataset(group)` gives any group as an xarray Dataset."""

    def __init__(self, path, group="/"):
        self.path = pathlib.Path(path)
        self._group = group
        with _open(self.path) as f:
            root = f[group]
            attrs = {key: root.attrs[key] for key in root.attrs}
            if group == "/":
                _check(self.path, attrs)
            else:
                _check(self.path, {**{k: f.attrs[k] for k in f.attrs}, "format": attrs.get("format", "")})
            self.kind = _text(attrs["mode"])
            self.provenance = {
                "reachsim_version": _text(attrs["reachsim_version"]), "git_commit": _text(attrs["git_commit"]),
                "seed": int(attrs["seed"]), "replicates": int(attrs["replicates"]),
                "threads": int(attrs["threads"]), "command_line": _text(attrs["command_line"]),
                "created_utc": pd.Timestamp(_text(attrs["created_utc"])),
            }
            self.scenario = tomllib.loads(_text(attrs["resolved_scenario"]))
            self.scenario_text = _text(attrs["scenario"])
            self.start = pd.Timestamp(self.scenario["simulation"]["start"])
            self.summary = _scalars(root["summary"])
            self.segment_names = list(root["segments/segment"].asstr()[()])
            self.retweets = "cascades" in root
            self.tracked_authors = _rows(root["tracked_authors"], "tracked_author")
            self.original_ids = root["graph/original_id"].asstr()[()] if "graph/original_id" in root else None
            self.segments = self._segments(root)
            self.posts = self._posts(root)
            self.followers = self._followers(root)
            self.followers_by_week = self._by_period(root, "week")
            self.followers_by_month = self._by_period(root, "month")
            self.replicates = _rows(root["replicates"], "replicate")
            self.weekly = self._weekly(root)
            self.accounts = self._accounts(root) if "accounts" in root else None
            self.cascades = self._cascades(root) if self.retweets else None
            self.curves = self._curves(root["curves/seen_by_age"])
            self.channels = _rows(root["channels"], "channel").set_index(
                pd.Index(root["channels/channel"].asstr()[()], name="channel"))
            self.graph = _scalars(root["graph"]) if "graph" in root else None

    def __repr__(self):
        return f"<reachsim {self.kind} run {self.path}: {len(self.posts)} posts, {len(self.followers)} followers>"

    def dataset(self, group):
        """A group of this run as an xarray Dataset, loaded (labelled dimensions, decoded times)."""
        import xarray as xr
        name = group if self._group == "/" else f"{self._group.strip('/')}/{group}"
        with xr.open_dataset(self.path, engine="h5netcdf", group=name) as dataset, np.errstate(invalid="ignore"):
            return dataset.load()  # (NaN durations, posts never seen, become NaT)

    def _account_name(self, accounts):
        accounts = np.asarray(accounts)
        return self.original_ids[accounts] if self.original_ids is not None else accounts.astype(str)

    def _segments(self, root):
        table = _rows(root["segments"], "segment")
        table.insert(0, "segment", self.segment_names)
        return table

    def _posts(self, root):
        group = root["posts"]
        table = _rows(group, "post")
        reached = group["reached_by_segment"][()]
        for s, name in enumerate(self.segment_names):
            table[f"reached {name}"] = reached[:, s]
        table["time_utc"] = self.start + pd.to_timedelta(table["post_time"], unit="s")
        offsets = dict(zip(self.tracked_authors["account"], self.tracked_authors["utc_offset_hours"]))
        local = table["time_utc"] + pd.to_timedelta(table["author"].map(offsets), unit="h")
        table["time_local"] = local.dt.tz_localize(None) if local.dt.tz is not None else local
        table["weekday"] = table["time_local"].dt.day_name()
        table["hour"] = table["time_local"].dt.hour
        table["author_id"] = self._account_name(table["author"])
        # Columns as written (seconds, exact), plus the delay as a timedelta for plotting.
        with np.errstate(invalid="ignore"):  # NaN (never seen) becomes NaT
            table["first_seen_after"] = pd.to_timedelta(table["first_seen_delay"], unit="s")
        return table

    def _followers(self, root):
        table = _rows(root["followers"], "follower")
        table["segment_name"] = np.asarray(self.segment_names, dtype=object)[table["segment"].to_numpy()]
        table["author_id"] = self._account_name(table["author"])
        table["account_id"] = self._account_name(table["account"])
        table["share_of_posts_seen"] = table["posts_seen"] / table["posts_delivered"].where(table["posts_delivered"] > 0)
        return table

    def _by_period(self, root, period):
        """(follower, period) rows: in how many replicates the follower was reached by the posts
        made in that period, and the chance of it."""
        group = root["followers"]
        counts = group[f"{period}s_reached"][()]
        labels = group[f"{period}_label"].asstr()[()]
        table = pd.DataFrame({
            "follower": np.repeat(np.arange(counts.shape[0]), counts.shape[1]),
            period: np.tile(labels, counts.shape[0]),
            "replicates_reached": counts.reshape(-1),
        })
        table["reach_probability"] = table["replicates_reached"] / self.provenance["replicates"]
        return table

    def _weekly(self, root):
        """(replicate, week, segment) rows of weekly reach, with the week's label and coverage."""
        group = root["replicates"]
        reach = group["weekly_reach_by_segment"][()]
        replicates, weeks, segments = reach.shape
        labels = group["week_label"].asstr()[()]
        covered = group["week_seconds_in_run"][()] / (7 * 86400)
        return pd.DataFrame({
            "replicate": np.repeat(np.arange(replicates), weeks * segments),
            "week": np.tile(np.repeat(labels, segments), replicates),
            "week_covered": np.tile(np.repeat(covered, segments), replicates),
            "segment": np.tile(self.segment_names, replicates * weeks),
            "reach": reach.reshape(-1),
        })

    def _curves(self, group):
        """The reach curve: per age, the cumulative share of first views, of all followers and of
        each segment's (a column per segment)."""
        table = _rows(group, "age_seconds")
        table.insert(0, "age_seconds", group["age_seconds"][()])
        by_segment = group["fraction_by_segment"][()]
        for s, name in enumerate(self.segment_names):
            table[f"fraction {name}"] = by_segment[:, s]
        return table

    def _accounts(self, root):
        table = _rows(root["accounts"], "account")
        table.insert(0, "account_id", self._account_name(np.arange(len(table))))
        table["segment_name"] = np.asarray(self.segment_names, dtype=object)[table["segment"].to_numpy()]
        return table

    def _cascades(self, root):
        table = _rows(root["cascades"], "retweet")
        post_time = root["posts/post_time"][()]
        table["delay_seconds"] = table["time"] - post_time[table["post"].to_numpy()]
        table["retweeter_id"] = self._account_name(table["retweeter"])
        table["parent_id"] = self._account_name(table["parent"])
        return table


class Sweep:
    """A sweep file: `table` has a row per (point, replicate) with the swept parameters, then every
    per-replicate metric; `parameters` a row per point; `point(i)` that point's Run; `to_xarray()`
    the whole /sweep/summary as a labelled Dataset."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        with _open(self.path) as f:
            attrs = {key: f.attrs[key] for key in f.attrs}
            _check(self.path, attrs)
            if _text(attrs["mode"]) != "sweep":
                raise NotReachsimOutput(f"{self.path}: a {_text(attrs['mode'])} run, not a sweep: use open_run")
            self.complete = bool(attrs["complete"])
            self.points = int(attrs["points"])
            self.scenario_text = _text(attrs["scenario"])
            parameters = f["sweep/parameters"]
            self.parameter_names = [name for name in parameters if name != "point"]
            self.parameters = pd.DataFrame({name: _values(parameters[name]) for name in self.parameter_names})
            self.parameters["done"] = f["sweep/summary/done"][()].astype(bool)
            summary = f["sweep/summary"]
            metrics = {name: summary[name][()] for name in summary
                       if not _is_scale(summary[name]) and summary[name].ndim == 2}
            replicates = summary["replicate"].shape[0]
        rows = []
        for point in range(self.points):
            frame = pd.DataFrame({"point": point, "replicate": np.arange(replicates)})
            for name in self.parameter_names:
                frame[name] = self.parameters[name].iloc[point]
            for name, values in metrics.items():
                frame[name] = values[point]
            rows.append(frame)
        self.table = pd.concat(rows, ignore_index=True).dropna(subset=["posts"])

    def __repr__(self):
        done = int(self.parameters["done"].sum())
        return f"<reachsim sweep {self.path}: {done} of {self.points} points over {', '.join(self.parameter_names)}>"

    def point(self, index):
        return Run(self.path, f"/points/{index}")

    def to_xarray(self):
        import xarray as xr
        with xr.open_dataset(self.path, engine="h5netcdf", group="sweep/summary") as dataset:
            return dataset.load()


class Expected:
    """Expected values from `reachsim run --expected` (computed, not sampled: no replicates, no
    standard errors). Tables (pandas DataFrames): followers (posts_seen, impressions, seen_fraction
    per tracked author and follower), tracked_authors (posts, followers, mean_followers_reached),
    segments; dicts: summary (posts, seen_fraction, impressions_per_post_follower,
    mean_followers_reached), scenario, provenance. `dataset(group)` gives a group as xarray."""

    kind = "expected"

    def __init__(self, path):
        self.path = pathlib.Path(path)
        with _open(self.path) as f:
            attrs = {key: f.attrs[key] for key in f.attrs}
            _check(self.path, attrs)
            self.provenance = {
                "reachsim_version": _text(attrs["reachsim_version"]), "git_commit": _text(attrs["git_commit"]),
                "seed": int(attrs["seed"]), "threads": int(attrs["threads"]),
                "command_line": _text(attrs["command_line"]), "created_utc": pd.Timestamp(_text(attrs["created_utc"])),
            }
            self.scenario = tomllib.loads(_text(attrs["resolved_scenario"]))
            self.scenario_text = _text(attrs["scenario"])
            self.summary = _scalars(f["summary"])
            self.segment_names = list(f["segments/segment"].asstr()[()])
            self.segments = _rows(f["segments"], "segment")
            self.segments.insert(0, "segment", self.segment_names)
            self.followers = _rows(f["followers"], "follower")
            self.tracked_authors = _rows(f["tracked_authors"], "tracked_author")

    def __repr__(self):
        return (f"<reachsim expected values {self.path}: {self.summary['posts']:.1f} posts, "
                f"{len(self.followers)} followers, seen fraction {self.summary['seen_fraction']:.3f}>")

    def dataset(self, group):
        """A group as an xarray Dataset, loaded."""
        import xarray as xr
        with xr.open_dataset(self.path, engine="h5netcdf", group=group) as dataset:
            return dataset.load()


def open_run(path):
    """A run's results: `Run`, or `Expected` for `reachsim run --expected`. Raises
    NotReachsimOutput for other files and unknown layouts."""
    with _open(path) as f:
        _check(path, {key: f.attrs[key] for key in f.attrs})
        mode = _text(f.attrs["mode"])
        if mode == "sweep":
            raise NotReachsimOutput(f"{path}: a sweep, not a run: use open_sweep (or open_sweep(path).point(i))")
    return Expected(path) if mode == "expected" else Run(path)


def open_sweep(path):
    """A sweep's results (`Sweep`)."""
    return Sweep(path)
