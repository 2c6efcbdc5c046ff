#include "graph/tracking.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "core/errors.hpp"
#include "core/nearest_rank.hpp"
#include "core/parallel.hpp"
#include "random/random_stream.hpp"

namespace reachsim {
namespace {

std::optional<double> parse_number(std::string_view text) {
    double value = 0;
    auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || ptr != text.data() + text.size() || !(value >= 0)) {
        return std::nullopt;
    }
    return value;
}

// Accounts ordered by follower count, then index, as keys (count << 32 | index) that are all
// distinct, so a selection from them is the same whatever the algorithm.
class FollowerRanking {
  public:
    explicit FollowerRanking(const FollowerGraph& graph) : keys_(graph.account_count()) {
        parallel_for_each_index(0, keys_.size(), [&](std::size_t a) {
            keys_[a] = std::uint64_t{graph.follower_count(static_cast<AccountIndex>(a))} << 32 | a;
        });
    }
    // The account at `rank` (from 0, fewest followers first): a selection, not a sort.
    AccountIndex at(std::size_t rank) {
        std::nth_element(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(rank),
                         keys_.end());
        return account_of(keys_[rank]);
    }
    // The `n` accounts with most followers, in no particular order.
    std::vector<AccountIndex> top(std::size_t n) {
        const auto first = keys_.end() - static_cast<std::ptrdiff_t>(n);
        std::nth_element(keys_.begin(), first, keys_.end());
        std::vector<AccountIndex> accounts;
        std::transform(first, keys_.end(), std::back_inserter(accounts), account_of);
        return accounts;
    }

  private:
    static AccountIndex account_of(std::uint64_t key) { return static_cast<AccountIndex>(key); }
    std::vector<std::uint64_t> keys_;
};

}  // namespace

std::vector<AccountIndex> select_tracked_authors(const std::vector<AuthorSelector>& selectors,
                                                 const FollowerGraph& graph,
                                                 const std::vector<std::string>& original_ids,
                                                 std::uint64_t seed, const std::string& where) {
    const std::size_t accounts = graph.account_count();
    std::vector<AccountIndex> chosen;
    std::optional<FollowerRanking> ranking;  // made on first use
    auto ranked = [&]() -> FollowerRanking& {
        if (!ranking) {
            ranking.emplace(graph);
        }
        return *ranking;
    };
    std::unordered_map<std::string_view, AccountIndex> index_of;
    for (std::size_t i = 0; i < original_ids.size(); ++i) {
        index_of.emplace(original_ids[i], static_cast<AccountIndex>(i));
    }
    auto fail = [&](const std::string& selector, const std::string& problem) {
        throw input_error({where, 0}, "track.authors", "'" + selector + "': " + problem);
    };
    for (const auto& selector : selectors) {
        using Kind = AuthorSelector::Kind;
        if (selector.kind == Kind::account_id) {
            const std::string& id = selector.account_id;
            if (!original_ids.empty()) {
                const auto found = index_of.find(id);
                if (found == index_of.end()) {
                    fail(id, "no account with this id in the graph");
                }
                chosen.push_back(found->second);
                continue;
            }
            const auto index = parse_number(id);
            if (!index || *index != std::floor(*index) || *index >= static_cast<double>(accounts)) {
                fail(id, "expected an account index below " + std::to_string(accounts));
            }
            chosen.push_back(static_cast<AccountIndex>(*index));
            continue;
        }
        if (selector.kind == Kind::followers_percentile) {
            chosen.push_back(ranked().at(nearest_rank(selector.amount, accounts) - 1));
            continue;
        }
        const std::string name = selector.kind == Kind::top_followers ? "top_followers" : "random";
        if (selector.amount > static_cast<double>(accounts)) {
            fail(name + ":" + std::to_string(static_cast<std::uint64_t>(selector.amount)),
                 "the graph has only " + std::to_string(accounts) + " accounts");
        }
        const auto n = static_cast<std::size_t>(selector.amount);
        if (selector.kind == Kind::top_followers) {
            const auto top = ranked().top(n);
            chosen.insert(chosen.end(), top.begin(), top.end());
        } else {
            // A partial Fisher-Yates shuffle over a seeded stream.
            std::vector<AccountIndex> pool(accounts);
            std::iota(pool.begin(), pool.end(), AccountIndex{0});
            RandomStream random({seed, 0, StreamKind::tracking_selection, 0});
            for (std::size_t i = 0; i < n; ++i) {
                std::swap(pool[i], pool[i + random.below(accounts - i)]);
            }
            chosen.insert(chosen.end(), pool.begin(),
                          pool.begin() + static_cast<std::ptrdiff_t>(n));
        }
    }
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    return chosen;
}

std::vector<std::vector<AccountIndex>> followers_of_each(const FollowerGraph& graph,
                                                         const std::vector<AccountIndex>& authors) {
    // Nearly every follow points at no tracked author: a 32 KiB filter of the authors' low bits,
    // which stays in the first-level cache, rules those out, and the few that pass are looked up
    // among the authors. A bit per account (5 MB at Twitter-2010 scale) missed the cache on most
    // follows (docs/performance.md).
    constexpr std::size_t filter_bits = std::size_t{1} << 18;
    std::vector<std::uint64_t> filter(filter_bits / 64, 0);
    auto filter_word = [&](AccountIndex account) -> std::uint64_t& {
        return filter[(account % filter_bits) / 64];
    };
    for (const AccountIndex author : authors) {
        filter_word(author) |= std::uint64_t{1} << (author % 64);
    }
    // Blocks of followers in parallel, each listing (author's place, follower) in follower order;
    // the blocks are then joined in order, so each list comes out ascending.
    constexpr std::size_t block_size = 1 << 16;
    const std::size_t blocks = (graph.account_count() + block_size - 1) / block_size;
    std::vector<std::vector<std::pair<std::uint32_t, AccountIndex>>> found(blocks);
    parallel_for_each_index(0, blocks, [&](std::size_t block) {
        const std::size_t end = std::min(graph.account_count(), (block + 1) * block_size);
        for (std::size_t follower = block * block_size; follower < end; ++follower) {
            for (const AccountIndex followee :
                 graph.followees_of(static_cast<AccountIndex>(follower))) {
                if (((filter_word(followee) >> (followee % 64)) & 1) == 0) {
                    continue;
                }
                const auto place = std::lower_bound(authors.begin(), authors.end(), followee);
                if (place != authors.end() && *place == followee) {
                    found[block].emplace_back(static_cast<std::uint32_t>(place - authors.begin()),
                                              static_cast<AccountIndex>(follower));
                }
            }
        }
    });
    std::vector<std::vector<AccountIndex>> followers(authors.size());
    for (const auto& block : found) {
        for (const auto& [place, follower] : block) {
            followers[place].push_back(follower);
        }
    }
    return followers;
}

}  // namespace reachsim
