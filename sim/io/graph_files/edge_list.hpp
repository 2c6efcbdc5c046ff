// Follower graphs from files: SNAP-style edge lists (plain or .gz) and per-account attribute CSVs.
// Ids may be integers or strings; they are remapped to dense indices and the originals kept.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "activity/accounts.hpp"
#include "graph/follower_graph.hpp"
#include "model/model.hpp"

namespace reachsim {

struct LoadedGraph {
    FollowerGraph graph;
    std::vector<std::string> original_ids;  // by account index
    EdgeCleanup cleanup;                    // self-loops and duplicate follows dropped
    std::uint64_t edge_lines = 0;           // edge lines read
    std::string sha256;                     // of the file's bytes
};

// Reads an edge list: '#' comment lines and blank lines are skipped; each other line holds two
// whitespace-separated ids and an optional numeric weight (ignored). Integer ids are numbered in
// ascending order, other ids in order of first appearance. Throws input_error naming the file and
// line of a malformed line, or the memory estimate if the graph would exceed `memory_limit_bytes`.
// `on_progress`, if given, hears now and then how many of the file's bytes have been read.
using ReadProgress = std::function<void(std::uint64_t bytes_read, std::uint64_t file_bytes)>;
LoadedGraph load_edge_list(const std::string& path, EdgeDirection direction,
                           std::uint64_t memory_limit_bytes, const ReadProgress& on_progress = {});

// Reads per-account values from a CSV with a header: `id` plus any of segment, utc_offset,
// posts_per_day, sessions_per_day, feed_depth. An empty cell means "not given".
AccountAttributes load_account_attributes(const std::string& path,
                                          const std::vector<std::string>& original_ids);

}  // namespace reachsim
