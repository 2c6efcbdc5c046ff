// Seeded, reproducible graph generators: power law (configuration-style, followees drawn in
// proportion to heavy-tailed follower weights), Price's preferential attachment, Erdős–Rényi;
// with optional reciprocity and segment homophily. Each account's follows come from a random
// stream keyed by that account, so the graph does not depend on the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "core/prefetch.hpp"
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

// With reciprocity r, each generated follow not already returned gets its reverse with this
// probability, so that the share of reciprocated follows is r in expectation
// (r = 2 R / (E + R) with R ~ p E added follows).
inline double returned_share(double reciprocity) {
    return reciprocity / (2.0 - reciprocity);
}

// The expected number of follows, for the memory estimate.
double expected_generated_follows(const Audience& spec);

// Samples indices in proportion to weights in O(1) (Vose's alias method). A sample is a draw (its
// random numbers) then a lookup in the table: callers drawing many can prefetch the lookups.
class AliasTable {
  public:
    AliasTable() = default;
    explicit AliasTable(const std::vector<double>& weights);

    struct Draw {
        std::uint32_t column = 0;
        double coin = 0;
    };
    // One uniform U = bits / 2^64 picks the column and tosses the coin, as in Walker's method:
    // column = floor(n U), coin = n U - column. Given the column, the coin is uniform on a grid of
    // spacing n / 2^64 (docs/model.md), so P(coin < p) is p to within 2^-32 for any n < 2^32: half
    // the random numbers of a column and a coin drawn apart.
    Draw draw(RandomStream& random) const { return draw(random.bits64()); }
    [[nodiscard]] Draw draw(std::uint64_t bits) const {
        __extension__ using uint128 = unsigned __int128;
        const uint128 scaled = static_cast<uint128>(bits) * columns_.size();
        return {static_cast<std::uint32_t>(scaled >> 64),
                static_cast<double>(static_cast<std::uint64_t>(scaled) >> 11) * 0x1p-53};
    }
    void prefetch(const Draw& drawn) const { reachsim::prefetch(columns_[drawn.column]); }
    // Without a branch: the coin is as likely to fall either side, so a branch would be
    // mispredicted on a large share of draws (docs/performance.md).
    [[nodiscard]] std::uint32_t resolve(const Draw& drawn) const {
        const Column& column = columns_[drawn.column];
        const auto to_alias = static_cast<std::uint32_t>(!(drawn.coin < column.probability));
        return drawn.column ^ ((drawn.column ^ column.alias) & (0u - to_alias));
    }
    std::uint32_t sample(RandomStream& random) const { return resolve(draw(random)); }
    [[nodiscard]] bool empty() const { return columns_.empty(); }

  private:
    struct Column {  // one cache line holds both halves of a lookup
        float probability = 1;
        std::uint32_t alias = 0;
    };
    std::vector<Column> columns_;
};

}  // namespace reachsim
