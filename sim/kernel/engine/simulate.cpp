#include "engine/simulate.hpp"

#include "core/errors.hpp"

namespace reachsim {

namespace {

ReplicateRecord run_scheduler(const Model& model, const World& world, std::uint64_t seed,
                              std::uint32_t replicate) {
    if (model.is_star()) {
        return simulate_star(model, world, seed, replicate);
    }
    if (model.retweets) {
        if (!world.graph.has_followers_index()) {
            throw internal_error("simulate_replicate: cascades need the followers index");
        }
        return simulate_cascades(model, world, seed, replicate);
    }
    return simulate_pull(model, world, seed, replicate);
}

}  // namespace

ReplicateRecord simulate_replicate(const Model& model, const World& world, std::uint64_t seed,
                                   std::uint32_t replicate) {
    ReplicateRecord record = run_scheduler(model, world, seed, replicate);
    for (PostRecord& post : record.posts) {
        complete_feed_channel(post);
    }
    return record;
}

}  // namespace reachsim
