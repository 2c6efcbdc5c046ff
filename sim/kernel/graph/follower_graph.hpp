// The follower graph: who follows whom, as compressed sparse rows with 32-bit account indices.
// The primary direction is an account's followees (whose posts land in its feed), which is all
// the engine reads; the followers direction (whose feeds an account's posts land in) is built on
// request. Memory is estimated and checked before anything large is allocated.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/prefetch.hpp"

namespace reachsim {

using AccountIndex = std::uint32_t;

// Adjacency lists in compressed sparse row form: row a is neighbours[offsets[a] .. offsets[a+1]).
struct Csr {
    std::vector<std::uint64_t> offsets{0};
    std::vector<AccountIndex> neighbours;

    [[nodiscard]] std::span<const AccountIndex> row(AccountIndex a) const {
        return {neighbours.data() + offsets[a], neighbours.data() + offsets[a + 1]};
    }
    [[nodiscard]] std::size_t row_count() const { return offsets.size() - 1; }
};

class FollowerGraph {
  public:
    FollowerGraph() = default;
    // `followees` rows must be sorted, free of duplicates and self-loops.
    explicit FollowerGraph(Csr followees);

    [[nodiscard]] std::size_t account_count() const { return followees_.row_count(); }
    [[nodiscard]] std::uint64_t follow_count() const { return followees_.neighbours.size(); }

    // The accounts `a` follows, ascending.
    [[nodiscard]] std::span<const AccountIndex> followees_of(AccountIndex a) const {
        return followees_.row(a);
    }
    // The followees of accounts first..last-1, row after row.
    [[nodiscard]] std::span<const AccountIndex> followees_of_accounts(AccountIndex first,
                                                                      AccountIndex last) const {
        return {followees_.neighbours.data() + followees_.offsets[first],
                followees_.neighbours.data() + followees_.offsets[last]};
    }
    [[nodiscard]] std::uint32_t following_count(AccountIndex a) const {
        return static_cast<std::uint32_t>(followees_.offsets[a + 1] - followees_.offsets[a]);
    }
    [[nodiscard]] std::uint32_t follower_count(AccountIndex a) const { return follower_counts_[a]; }
    [[nodiscard]] const std::vector<std::uint32_t>& follower_counts() const {
        return follower_counts_;
    }

    // The followers direction, built on first request (it doubles the graph's memory).
    void build_followers_index();
    [[nodiscard]] bool has_followers_index() const { return followers_.offsets.size() > 1; }
    void drop_followers_index() { followers_ = Csr{}; }
    // The accounts that follow `a`, ascending. Requires build_followers_index().
    [[nodiscard]] std::span<const AccountIndex> followers_of(AccountIndex a) const;

    // The follow at `position` of all follows, ordered by follower then followee.
    [[nodiscard]] AccountIndex followee_at(std::uint64_t position) const {
        return followees_.neighbours[position];
    }
    [[nodiscard]] AccountIndex follower_at(std::uint64_t position) const;
    // The position of `a`'s first follow among all follows (a = account_count(): their number).
    [[nodiscard]] std::uint64_t first_follow_of(AccountIndex a) const {
        return followees_.offsets[a];
    }

    // Whether `follower` follows `followee` (binary search).
    [[nodiscard]] bool follows(AccountIndex follower, AccountIndex followee) const;
    // For loops of follows() on rows at random, where each row costs two dependent cache misses:
    // ask for the row's bounds some lookups ahead, then, once they are in, for the middle of the
    // row, where the binary search starts.
    void prefetch_row_bounds(AccountIndex follower) const {
        prefetch(followees_.offsets[follower]);
    }
    void prefetch_row_middle(AccountIndex follower) const {
        const std::uint64_t first = followees_.offsets[follower];
        const std::uint64_t last = followees_.offsets[follower + 1];
        if (first != last) {
            prefetch(followees_.neighbours[first + (last - first) / 2]);
        }
    }

  private:
    Csr followees_;
    std::vector<std::uint32_t> follower_counts_;
    Csr followers_;
};

// Bytes a graph of this size needs, with or without the followers index.
std::uint64_t estimated_graph_bytes(std::uint64_t accounts, std::uint64_t follows,
                                    bool with_followers_index);

// Throws input_error naming the estimate when `bytes` exceeds `limit_bytes`.
void check_memory(std::uint64_t bytes, std::uint64_t limit_bytes, const std::string& what);

std::string format_bytes(std::uint64_t bytes);

// Builds a graph from (follower, followee) pairs: self-loops and duplicates are dropped and
// counted. `pairs` is consumed.
struct EdgeCleanup {
    std::uint64_t self_loops = 0;
    std::uint64_t duplicates = 0;
};
FollowerGraph graph_from_pairs(std::size_t accounts,
                               std::vector<std::pair<AccountIndex, AccountIndex>>& pairs,
                               EdgeCleanup& cleanup);

}  // namespace reachsim
