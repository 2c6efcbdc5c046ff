#include "runs/world_builder.hpp"

#include <unistd.h>

#include <algorithm>

#include "core/errors.hpp"
#include "graph/generators.hpp"
#include "graph/tracking.hpp"
#include "graph_files/edge_list.hpp"

namespace reachsim {

std::uint64_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page_size > 0
               ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size)
               : 0;
}

bool same_graph_inputs(const Model& a, std::uint64_t seed_a, const Model& b, std::uint64_t seed_b) {
    if (a.is_star() || b.is_star() || !(a.audience == b.audience) || seed_a != seed_b ||
        a.segments.size() != b.segments.size()) {
        return false;
    }
    // What assign_segments reads of each segment.
    return std::equal(a.segments.begin(), a.segments.end(), b.segments.begin(),
                      [](const AccountSegment& x, const AccountSegment& y) {
                          return x.name == y.name && x.count == y.count && x.share == y.share;
                      });
}

World build_world(const Model& model, std::uint64_t seed, std::uint64_t memory_limit_bytes,
                  const std::string& scenario_path, Progress* progress, World* earlier) {
    if (model.is_star()) {
        return star_world(model, seed);
    }
    if (memory_limit_bytes == 0) {
        memory_limit_bytes = physical_memory_bytes();
    }
    World world;
    std::vector<SegmentIndex> segments;
    AccountAttributes attributes;
    bool has_attributes = false;
    const auto* file = std::get_if<GraphFile>(&model.audience.source);
    if (earlier != nullptr) {
        world.graph = std::move(earlier->graph);
        world.original_ids = std::move(earlier->original_ids);
        world.cleanup = earlier->cleanup;
        world.source_sha256 = std::move(earlier->source_sha256);
        segments = std::move(earlier->accounts.segment);
        if (!model.retweets) {
            world.graph.drop_followers_index();  // only retweets need it
        }
    } else if (file != nullptr) {
        ReadProgress on_progress;
        if (progress) {
            constexpr std::uint64_t megabyte = 1000 * 1000;
            on_progress = [progress, started = false](std::uint64_t read,
                                                      std::uint64_t total) mutable {
                if (!started) {
                    progress->start_phase("reading the edge list", total / megabyte, "MB");
                    started = true;
                }
                progress->advance_to(read / megabyte);
            };
        }
        LoadedGraph loaded =
            load_edge_list(file->path, file->direction, memory_limit_bytes, on_progress);
        world.graph = std::move(loaded.graph);
        world.original_ids = std::move(loaded.original_ids);
        world.cleanup = loaded.cleanup;
        world.source_sha256 = std::move(loaded.sha256);
    } else {
        if (progress) {
            progress->start_phase("generating the graph", 0, "");
        }
        const std::uint64_t accounts = generator_accounts(model.audience.source);
        segments = assign_segments(model.segments, accounts, nullptr, seed, scenario_path);
        GeneratedGraph generated = generate_graph(model.audience, segments, model.segments.size(),
                                                  seed, memory_limit_bytes);
        world.graph = std::move(generated.graph);
        world.cleanup = generated.cleanup;
    }
    // A file graph's attribute file (segments, notification shares by account), read also when
    // the graph was taken from an earlier world: the accounts are drawn anew.
    if (file != nullptr && !file->attributes.empty()) {
        attributes = load_account_attributes(file->attributes, world.original_ids);
        has_attributes = true;
    }
    if (file != nullptr && earlier == nullptr) {
        segments = assign_segments(model.segments, world.graph.account_count(),
                                   has_attributes ? &attributes : nullptr, seed, file->attributes);
    }
    if (world.graph.follow_count() == 0) {
        throw input_error({file ? file->path : scenario_path, 0}, file ? "" : "graph",
                          "the graph has no follows (" + std::to_string(world.cleanup.self_loops) +
                              " self-loops and " + std::to_string(world.cleanup.duplicates) +
                              " duplicates dropped): nobody would see anything");
    }
    if (progress) {
        progress->start_phase("drawing the accounts and their followers", 0, "");
    }
    world.accounts =
        make_accounts(model, std::move(segments), has_attributes ? &attributes : nullptr, seed);
    if (model.retweets) {
        // Retweets are pushed to the retweeter's followers.
        check_memory(
            estimated_graph_bytes(world.graph.account_count(), world.graph.follow_count(), true),
            memory_limit_bytes, "the graph with its followers index (for retweets)");
        world.graph.build_followers_index();
    }
    world.tracked_authors = select_tracked_authors(model.track.authors, world.graph,
                                                   world.original_ids, seed, scenario_path);
    world.tracked_followers = followers_of_each(world.graph, world.tracked_authors);
    return world;
}

}  // namespace reachsim
