#include "sweeps/sweep.hpp"

#include <tbb/task_arena.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>

#include "core/parallel.hpp"
#include "hdf5/hdf5_writer.hpp"
#include "hdf5/sweep_writer.hpp"
#include "runs/world_builder.hpp"

namespace reachsim {
namespace {

constexpr std::size_t most_points = 100000;

// Every combination of the parameters' values (the first parameter varying slowest), or with
// `zip` the i-th value of each.
std::vector<std::vector<std::size_t>> point_values(const SweepDefinition& sweep,
                                                   const std::string& path) {
    std::vector<std::vector<std::size_t>> points;
    if (sweep.zip) {
        const std::size_t count = sweep.parameters.front().values.size();
        for (const auto& parameter : sweep.parameters) {
            if (parameter.values.size() != count) {
                throw input_error({path, 0}, "sweep." + parameter.key,
                                  "has " + std::to_string(parameter.values.size()) +
                                      " values, but mode = \"zip\" pairs them with " +
                                      sweep.parameters.front().key + "'s " + std::to_string(count));
            }
        }
        for (std::size_t i = 0; i < count; ++i) {
            points.emplace_back(sweep.parameters.size(), i);
        }
        return points;
    }
    double combinations = 1;
    for (const auto& parameter : sweep.parameters) {
        combinations *= static_cast<double>(parameter.values.size());
    }
    if (combinations > static_cast<double>(most_points)) {
        throw input_error({path, 0}, "sweep",
                          "the grid has " + std::to_string(static_cast<long long>(combinations)) +
                              " points; at most 100000 are allowed (use mode = \"zip\" to pair "
                              "values instead of combining them)");
    }
    points.emplace_back();
    for (const auto& parameter : sweep.parameters) {
        std::vector<std::vector<std::size_t>> grown;
        for (const auto& point : points) {
            for (std::size_t i = 0; i < parameter.values.size(); ++i) {
                grown.push_back(point);
                grown.back().push_back(i);
            }
        }
        points = std::move(grown);
    }
    return points;
}

std::string describe(const std::vector<Override>& settings) {
    std::string text;
    for (const auto& setting : settings) {
        text += (text.empty() ? "" : ", ") + setting.key + " = " + setting.value;
    }
    return text;
}

// FNV-1a, 64 bits: enough to notice that a scenario changed between a sweep and its resumption.
std::string hash_text(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

std::string point_file(const std::string& folder, std::size_t point) {
    return (std::filesystem::path(folder) / ("point-" + std::to_string(point) + ".h5")).string();
}

std::string read_identity(const std::string& folder) {
    std::ifstream file(std::filesystem::path(folder) / "sweep-identity");
    std::string identity;
    std::getline(file, identity);
    return identity;
}

void write_identity(const std::string& folder, const std::string& identity) {
    const auto path = std::filesystem::path(folder) / "sweep-identity";
    const auto temporary = std::filesystem::path(folder) / ".sweep-identity.tmp";
    {
        std::ofstream file(temporary);
        file << identity << "\n";
        if (!file.flush()) {
            throw output_error("could not write " + temporary.string());
        }
    }
    std::filesystem::rename(temporary, path);
}

}  // namespace

std::string sweep_parts_folder(const std::string& output_path) {
    return output_path + ".parts";
}

SweepPlan plan_sweep(const std::string& path, const std::vector<Override>& overrides,
                     const std::vector<Override>& parameters, const Execution& execution) {
    SweepPlan plan;
    plan.base = load_scenario(path, overrides);
    plan.definition = plan.base.sweep;
    for (const auto& parameter : parameters) {
        add_sweep_parameter(plan.definition, parameter);
    }
    if (plan.definition.empty()) {
        throw input_error({path, 0}, "sweep",
                          "nothing to sweep: add a [sweep] table to the scenario or --param "
                          "KEY=VALUES");
    }
    plan.output_path = plan.base.run.output_path;
    std::string identity_text;
    // Checking a file graph's point loads the graph: each distinct model is checked once.
    std::vector<Model> validated_file_graphs;
    const auto values = point_values(plan.definition, path);
    for (std::size_t p = 0; p < values.size(); ++p) {
        SweepPoint point;
        point.value_index = values[p];
        for (std::size_t k = 0; k < plan.definition.parameters.size(); ++k) {
            const SweepParameter& parameter = plan.definition.parameters[k];
            point.settings.push_back(
                {parameter.key, parameter.values[values[p][k]].toml, false, "[sweep]"});
        }
        std::vector<Override> all = overrides;
        all.insert(all.end(), point.settings.begin(), point.settings.end());
        all.push_back({"output.path", plan.output_path, true});
        try {
            point.scenario = parse_scenario(plan.base.text, path, all);
            const Model& model = point.scenario.model;
            if (!std::holds_alternative<GraphFile>(model.audience.source)) {
                validate_scenario(point.scenario, execution);
            } else if (std::find(validated_file_graphs.begin(), validated_file_graphs.end(),
                                 model) == validated_file_graphs.end()) {
                validate_scenario(point.scenario, execution);
                validated_file_graphs.push_back(model);
            }
        } catch (const input_error& error) {
            // The base scenario and its --set overrides were read above: a value located at an
            // override here is one of the point's settings, which the message names already.
            std::string problem = error.what();
            if (error.where().file == "--set" && problem.starts_with("--set: ")) {
                problem.erase(0, 7);
            }
            throw input_error("sweep point " + std::to_string(p) + " of " +
                              std::to_string(values.size()) + " (" + describe(point.settings) +
                              "): " + problem);
        }
        identity_text += resolved_scenario_toml(point.scenario) + "\n#point\n";
        plan.points.push_back(std::move(point));
    }
    plan.identity = hash_text(identity_text);
    return plan;
}

void prepare_sweep_folder(const SweepPlan& plan, bool resume) {
    check_output_path(plan.output_path);
    const std::string folder = sweep_parts_folder(plan.output_path);
    std::error_code error;
    if (std::filesystem::exists(folder, error)) {
        if (!resume) {
            throw input_error({plan.output_path, 0}, "",
                              "an unfinished sweep left its points in " + folder +
                                  ": add --resume to finish it, or remove that folder to start "
                                  "again");
        }
        if (read_identity(folder) != plan.identity) {
            throw input_error({plan.output_path, 0}, "",
                              "the scenario or its sweep changed since the unfinished sweep in " +
                                  folder +
                                  " was started, so --resume would mix results of different "
                                  "scenarios: remove that folder to start again");
        }
        return;
    }
    std::filesystem::create_directory(folder, error);
    if (error) {
        throw output_error("could not create " + folder + ": " + error.message());
    }
    write_identity(folder, plan.identity);
}

World* GraphReuse::for_point(const Scenario& scenario) {
    if (kept_for_ != nullptr && same_graph_inputs(kept_for_->model, kept_for_->run.seed,
                                                  scenario.model, scenario.run.seed)) {
        kept_for_ = nullptr;  // handed out: the point moves the graph away
        return &*kept_;
    }
    kept_for_ = nullptr;
    kept_.reset();
    graphs_built_ += scenario.model.is_star() ? 0 : 1;
    return nullptr;
}

void GraphReuse::keep(World& world, const Scenario& scenario) {
    if (scenario.model.is_star()) {
        return;
    }
    kept_.emplace();
    kept_->graph = std::move(world.graph);
    kept_->original_ids = std::move(world.original_ids);
    kept_->cleanup = world.cleanup;
    kept_->source_sha256 = std::move(world.source_sha256);
    kept_->accounts.segment = std::move(world.accounts.segment);
    kept_for_ = &scenario;
}

std::vector<std::size_t> points_to_run(const SweepPlan& plan) {
    const std::string folder = sweep_parts_folder(plan.output_path);
    std::vector<std::size_t> missing;
    std::error_code error;
    for (std::size_t p = 0; p < plan.points.size(); ++p) {
        if (!std::filesystem::exists(point_file(folder, p), error)) {
            missing.push_back(p);
        }
    }
    return missing;
}

void write_point(const SweepPlan& plan, std::size_t index, const RunResult& result,
                 const std::string& command_line) {
    const Scenario& scenario = plan.points[index].scenario;
    const RunMetadata metadata{
        command_line,      scenario.text,           resolved_scenario_toml(scenario),
        scenario.run.seed, scenario.run.replicates, result.threads};
    write_run(point_file(sweep_parts_folder(plan.output_path), index), metadata, scenario.model,
              result.world, result.records, result.summary);
}

namespace {

// Runs `points` on this process's threads, writing each to OUTPUT.parts/ as it finishes. Returns
// how many graphs it built (0 for a star).
std::size_t run_points(const SweepPlan& plan, const std::vector<std::size_t>& points,
                       const SweepOptions& options) {
    Execution inner = options.execution;
    inner.progress = nullptr;  // the sweep reports points, not each point's replicates
    Progress* progress = options.execution.progress;
    if (progress) {
        progress->start_phase("sweep points", points.size(), "points");
    }
    std::mutex writing;  // one HDF5 write at a time
    // Runs point `points[i]`, taking the graph of `earlier` if given; the result once written, or
    // nothing if the run was stopped.
    auto run_point = [&](std::size_t i, World* earlier) -> std::optional<RunResult> {
        const std::size_t p = points[i];
        RunResult result;
        try {
            result = simulate_in_arena(plan.points[p].scenario, inner, earlier);
        } catch (const interrupted&) {
            return std::nullopt;  // not done: a resumed sweep runs it again
        }
        const std::lock_guard lock(writing);
        write_point(plan, p, result, options.command_line);
        if (progress) {
            progress->step_done();
        }
        return result;
    };
    GraphReuse reuse;
    tbb::task_arena arena(threads_to_use(options.execution));
    arena.execute([&] {
        // Stars are small: points run side by side (each parallel over its replicates). A graph
        // point is parallel over accounts, and one at a time keeps one world in memory; a point
        // whose graph inputs equal the previous point's takes its graph instead of building it
        // again (most sweeps vary how accounts post or look, not who follows whom).
        if (plan.base.model.is_star()) {
            parallel_for_each_index(0, points.size(),
                                    [&](std::size_t i) { run_point(i, nullptr); });
            return;
        }
        for (std::size_t i = 0; i < points.size(); ++i) {
            const Scenario& scenario = plan.points[points[i]].scenario;
            std::optional<RunResult> result = run_point(i, reuse.for_point(scenario));
            if (result) {
                reuse.keep(result->world, scenario);
            }
        }
    });
    return reuse.graphs_built();
}

}  // namespace

SweepOutcome finish_sweep(const SweepPlan& plan, const SweepOptions& options, std::size_t resumed) {
    const std::string folder = sweep_parts_folder(plan.output_path);
    SweepOutcome outcome;
    outcome.points = plan.points.size();
    outcome.resumed = resumed;
    outcome.headlines.resize(plan.points.size());
    std::vector<std::string> files(plan.points.size());
    std::size_t done = 0;
    std::error_code error;
    for (std::size_t p = 0; p < files.size(); ++p) {
        if (std::filesystem::exists(point_file(folder, p), error)) {
            files[p] = point_file(folder, p);
            outcome.headlines[p] = read_point_headline(files[p]);
            ++done;
        }
    }
    outcome.simulated = done - resumed;
    outcome.complete = done == outcome.points;

    SweepMetadata metadata;
    metadata.command_line = options.command_line;
    metadata.scenario_text = plan.base.text;
    metadata.identity = plan.identity;
    metadata.parameters = plan.definition.parameters;
    metadata.zip = plan.definition.zip;
    for (const auto& point : plan.points) {
        metadata.point_values.push_back(point.value_index);
    }
    if (options.execution.progress) {
        options.execution.progress->start_phase("writing " + plan.output_path, 0, "");
    }
    write_sweep(plan.output_path, metadata, files);
    if (outcome.complete) {
        std::filesystem::remove_all(folder, error);
    }
    return outcome;
}

SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options) {
    prepare_sweep_folder(plan, options.resume);
    const auto points = points_to_run(plan);
    const std::size_t graphs_built = run_points(plan, points, options);
    SweepOutcome outcome = finish_sweep(plan, options, plan.points.size() - points.size());
    outcome.graphs_built = graphs_built;
    return outcome;
}

}  // namespace reachsim
