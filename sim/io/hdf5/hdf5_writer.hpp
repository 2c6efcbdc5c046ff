// Output: writes a run's results and everything needed to reproduce it into one HDF5 file.
// The file is written under a temporary name beside the target and renamed into place only when
// complete, so a failed run never leaves a half-written file or destroys an earlier result.
// Group and dataset names are the contract with users' notebooks (docs/output.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/expectation.hpp"
#include "engine/record.hpp"
#include "engine/world.hpp"
#include "hdf5/atomic_file.hpp"  // check_output_path, remove_partial_output_on_signals
#include "metrics/summary.hpp"
#include "model/model.hpp"

namespace reachsim {

// 2: one layout for every kind of run. 3: every dataset labelled by named dimensions (xarray
// opens every group), /segments/name became the coordinate /segments/segment, campaign reach
// (per week, month and run) in /replicates, /followers and /summary.
inline constexpr std::int64_t output_format_version = 4;

// How the run was made: written as root attributes.
struct RunMetadata {
    std::string command_line;
    std::string scenario_text;      // the scenario file, verbatim
    std::string resolved_scenario;  // every parameter after defaults and overrides
    std::uint64_t seed = 0;
    std::int64_t replicates = 0;
    std::int64_t threads = 0;  // worker threads used
};

// The root attributes every reachsim file starts with: format, mode, format_version, the
// build's version and commit, when, and the command line (the run and sweep writers share them).
void write_provenance(std::int64_t file, const std::string& mode, const std::string& command_line);

// Writes atomically (a temporary file beside `path`, closed and synced, then renamed into place).
// A failure to write is an output_error; the earlier file at `path`, if any, survives it.
void write_run(const std::string& path, const RunMetadata& metadata, const Model& model,
               const World& world, const std::vector<ReplicateRecord>& records,
               const Summary& summary);

// Expectation mode (mode "expected"): /followers, /tracked_authors, /segments and /summary hold
// expected values,
// with the same names as a sampled run's where they mean the same (docs/output.md). Atomically,
// as write_run.
void write_expected(const std::string& path, const RunMetadata& metadata, const Model& model,
                    const World& world, const Expectation& expectation);

}  // namespace reachsim
