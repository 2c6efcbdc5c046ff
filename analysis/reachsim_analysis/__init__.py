"""reachsim_analysis: read reachsim's HDF5 output into pandas and xarray, plot it, report on it.

    from reachsim_analysis import open_run, open_sweep, plots
    run = open_run("greencontact.h5")
    run.segments                      # a DataFrame per segment, names as str
    plots.seen_fraction_by_segment(run.segments)

Debian packages only (python3-h5py, -numpy, -pandas, -matplotlib, -xarray, -h5netcdf), used through
/usr/bin/python3 with PYTHONPATH=analysis. docs/output.md describes every dataset.
"""
from .files import FORMAT_VERSION, Expected, NotReachsimOutput, Run, Sweep, open_run, open_sweep
from .runner import SCENARIOS, reachsim
from . import plots

__all__ = ["Expected", "FORMAT_VERSION", "NotReachsimOutput", "Run", "SCENARIOS", "Sweep", "open_run", "open_sweep", "plots",
           "reachsim"]
