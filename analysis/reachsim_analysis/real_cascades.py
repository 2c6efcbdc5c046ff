"""The real retweet cascades in analysis/validation/data (copies of ../shared/data; see its README for
formats, sources and licences): TiDeH's 50 large cascades, #auspol's ordinary tweets, SEISMIC's one
tweet. Each loader returns the retweet
delays (seconds after the original) and the cascade sizes (retweets per original)."""
import pathlib

import numpy as np
import pandas as pd

DEFAULT_DATA = pathlib.Path(__file__).resolve().parents[1] / "validation" / "data"


def tideh(data):
    """50 cascades: line 1 'N start_day', then 't_seconds followers' per event, the original first."""
    delays, sizes = [], []
    for path in sorted((data / "tideh" / "training").glob("RT*.txt")):
        rows = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
        times = np.array([float(row[0]) for row in rows])
        delays.append(times[1:] - times[0])
        sizes.append(len(times) - 1)
    return np.concatenate(delays), np.array(sizes), [d for d in delays]


def auspol(data):
    table = pd.read_csv(data / "evently_auspol" / "auspol_cascades.tsv", sep="\t")
    retweets = table[table.groupby("cascade").cumcount() > 0]  # the first row of a cascade is the tweet
    sizes = table.groupby("cascade").size().to_numpy() - 1
    return retweets["time"].to_numpy(dtype=float), sizes


def seismic(data):
    table = pd.read_csv(data / "seismic" / "seismic_tweet.tsv", sep="\t")
    times = table["relative_time_second"].to_numpy(dtype=float)
    return times[1:] - times[0], np.array([len(times) - 1])


def all_sets(data=DEFAULT_DATA):
    """{name: (delays, sizes)} for every real data set."""
    data = pathlib.Path(data)
    tideh_delays, tideh_sizes, _ = tideh(data)
    return {"TiDeH (50 large cascades)": (tideh_delays, tideh_sizes), "#auspol": auspol(data),
            "SEISMIC (1 tweet)": seismic(data)}
