// The sweep file: /sweep/parameters/<key> (a value per point), /sweep/summary/<metric> shaped
// [point, replicate (, week | month)(, segment)] — every per-replicate metric of each point's
// /replicates, stacked — and /points/<i>/ holding exactly what a single run of point i writes.
// Points are simulated and written one file each as the sweep goes (so that nothing finished is
// lost); this assembles those files into one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "metrics/summary.hpp"
#include "scenario/scenario.hpp"

namespace reachsim {

struct SweepMetadata {
    std::string command_line;
    std::string scenario_text;  // the scenario file, verbatim
    std::string identity;       // the hash that --resume compares
    std::vector<SweepParameter> parameters;
    // Per point, the index of its value of each parameter.
    std::vector<std::vector<std::size_t>> point_values;
    bool zip = false;
};

// The headline figures of a point, as its /summary holds them.
struct PointHeadline {
    RatioEstimate seen_fraction;
    double mean_followers_reached = 0;
    RatioEstimate mean_weekly_reach;
    RatioEstimate run_reach;
};
PointHeadline headline_of(const Summary& summary);
PointHeadline read_point_headline(const std::string& point_file);

// Writes the sweep file atomically from the point files (one per point, as write_run writes them;
// "" for a point not done, whose rows are NaN and which has no /points/<i>). The root attribute
// `complete` says whether every point is in.
void write_sweep(const std::string& path, const SweepMetadata& metadata,
                 const std::vector<std::string>& point_files);

}  // namespace reachsim
