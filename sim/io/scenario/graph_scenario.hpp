// Graph scenarios: the [graph], [accounts] and [track] sections, read into a GraphModel.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "model/graph_model.hpp"
#include "scenario/table_reader.hpp"
#include "scenario/value_readers.hpp"

namespace reachsim::detail {

// Every key a graph scenario may hold (dotted paths), for the documentation check.
std::vector<std::string> graph_scenario_keys();

// Reads a graph scenario's sections from `root` (the [simulation] table is read by the caller).
GraphModel read_graph_model(const TableReader& top, const Profiles& profiles,
                            const std::string& path);

// The keys of [simulation] in a graph scenario (adds follow_up).
extern const KeyList graph_top_keys;
extern const KeyList graph_simulation_keys;

toml::table graph_model_tables(const GraphModel& model, toml::table& profiles);

}  // namespace reachsim::detail
