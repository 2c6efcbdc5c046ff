// Seeded, reproducible graph generators: power law (configuration-style, followees drawn in
// proportion to heavy-tailed follower weights), Price's preferential attachment, Erdős–Rényi;
// with optional reciprocity and segment homophily. Each account's follows come from a random
// stream keyed by that account, so the graph does not depend on the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/follower_graph.hpp"
#include "model/model.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

struct GeneratedGraph {
    FollowerGraph graph;
    EdgeCleanup cleanup;  // self-loops and duplicate draws dropped
};

// `account_segment[a]` is a's segment (0 .. segment_count-1), used for homophily.
GeneratedGraph generate_graph(const Audience& spec,
                              const std::vector<std::uint16_t>& account_segment,
                              std::size_t segment_count, std::uint64_t seed,
                              std::uint64_t memory_limit_bytes);

// Accounts a generator will create.
std::uint64_t generator_accounts(const AudienceSource& source);

// The expected number of follows, for the memory estimate.
double expected_generated_follows(const Audience& spec);

// Samples indices in proportion to weights in O(1) (Vose's alias method).
class AliasTable {
  public:
    AliasTable() = default;
    explicit AliasTable(const std::vector<double>& weights);
    std::uint32_t sample(RandomStream& random) const;
    [[nodiscard]] bool empty() const { return probability_.empty(); }

  private:
    std::vector<float> probability_;
    std::vector<std::uint32_t> alias_;
};

}  // namespace reachsim
