// Sweeps: one scenario run at many points, each point the scenario with some keys set to one of
// their values (a grid of every combination, or values zipped in order). Every point is resolved
// and validated before the first one runs. Points share all cores; each finished point is written
// to its own file in OUTPUT.parts/ before it counts as done, so an interrupted sweep resumes where
// it stopped; at the end the points are assembled into one sweep file (hdf5/sweep_writer.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hdf5/sweep_writer.hpp"  // PointHeadline
#include "runs/run_scenario.hpp"
#include "scenario/scenario.hpp"

namespace reachsim {

struct SweepPoint {
    std::vector<std::size_t> value_index;  // per parameter, the index of its value
    std::vector<Override> settings;        // what the point sets on top of the scenario
    Scenario scenario;                     // resolved and validated
};

struct SweepPlan {
    Scenario base;  // the scenario as given (with --set overrides), without the sweep
    SweepDefinition definition;
    std::vector<SweepPoint> points;
    std::string output_path;
    std::string identity;  // a hash of every point's resolved scenario: what --resume compares
};

// Reads the scenario, adds the `--param`s to its [sweep], expands the points, and resolves and
// validates each (as `validate` would). A bad point is an input_error naming the point, its
// settings and the problem; a scenario without swept keys is one too.
SweepPlan plan_sweep(const std::string& path, const std::vector<Override>& overrides,
                     const std::vector<Override>& parameters, const Execution& execution);

struct SweepOptions {
    Execution execution;
    bool resume = false;  // continue an interrupted sweep of the same scenario
    std::string command_line;
};

struct SweepOutcome {
    std::size_t points = 0;
    std::size_t resumed = 0;  // finished before, by an interrupted run
    std::size_t simulated = 0;
    bool complete = false;  // false: stopped on request; the file holds the points done
    // Graphs built by this process (points with the graph inputs of the point before share its
    // graph); 0 for a star, and not counted across MPI ranks.
    std::size_t graphs_built = 0;
    std::vector<std::optional<PointHeadline>> headlines;  // per point, once done
};

// Runs the points not done yet and writes the sweep file. Throws input_error when OUTPUT.parts/
// holds another sweep's points, or holds points and `resume` was not asked for.
SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options);

// The steps of run_sweep, for running them on several MPI ranks (sweeps/mpi_sweep.hpp):
// checks the output path and creates (or, resuming, checks) OUTPUT.parts/;
void prepare_sweep_folder(const SweepPlan& plan, bool resume);
// the points not done yet;
std::vector<std::size_t> points_to_run(const SweepPlan& plan);
// writes one finished point (its records summarised) to OUTPUT.parts/;
void write_point(const SweepPlan& plan, std::size_t index, const RunResult& result,
                 const std::string& command_line);
// and assembles the sweep file from every point done, removing OUTPUT.parts/ when all are.
SweepOutcome finish_sweep(const SweepPlan& plan, const SweepOptions& options, std::size_t resumed);

// Keeps the graph of the point run last, for the next point to take when its graph inputs are the
// same (same_graph_inputs): most sweeps vary how accounts post or look, not who follows whom.
// Only the graph, its ids and the accounts' segments are kept, so that one graph is in memory at a
// time.
class GraphReuse {
  public:
    // The world whose graph `scenario`'s point takes (build_world's `earlier`), or null: then
    // what was kept is let go before the point builds its own.
    World* for_point(const Scenario& scenario);
    // After `scenario`'s point has run: keeps its graph (taken out of `world`).
    void keep(World& world, const Scenario& scenario);
    [[nodiscard]] std::size_t graphs_built() const { return graphs_built_; }

  private:
    std::optional<World> kept_;
    const Scenario* kept_for_ = nullptr;  // null once handed out (or nothing kept)
    std::size_t graphs_built_ = 0;
};

// Where an unfinished sweep keeps its finished points.
std::string sweep_parts_folder(const std::string& output_path);

}  // namespace reachsim
