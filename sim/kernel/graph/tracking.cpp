#include "graph/tracking.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "core/errors.hpp"
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

// Accounts ordered by follower count, then index.
std::vector<AccountIndex> by_followers(const FollowerGraph& graph) {
    std::vector<AccountIndex> order(graph.account_count());
    std::iota(order.begin(), order.end(), AccountIndex{0});
    std::stable_sort(order.begin(), order.end(), [&](AccountIndex a, AccountIndex b) {
        return graph.follower_count(a) < graph.follower_count(b);
    });
    return order;
}

}  // namespace

std::vector<AccountIndex> select_tracked_authors(const std::vector<AuthorSelector>& selectors,
                                                 const FollowerGraph& graph,
                                                 const std::vector<std::string>& original_ids,
                                                 std::uint64_t seed, const std::string& where) {
    const std::size_t accounts = graph.account_count();
    std::vector<AccountIndex> chosen;
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
            const auto order = by_followers(graph);
            const auto rank = static_cast<std::size_t>(
                std::ceil(selector.amount / 100.0 * static_cast<double>(accounts)));
            chosen.push_back(order[std::max<std::size_t>(rank, 1) - 1]);
            continue;
        }
        const std::string name = selector.kind == Kind::top_followers ? "top_followers" : "random";
        if (selector.amount > static_cast<double>(accounts)) {
            fail(name + ":" + std::to_string(static_cast<std::uint64_t>(selector.amount)),
                 "the graph has only " + std::to_string(accounts) + " accounts");
        }
        const auto n = static_cast<std::size_t>(selector.amount);
        if (selector.kind == Kind::top_followers) {
            const auto order = by_followers(graph);
            chosen.insert(chosen.end(), order.end() - static_cast<std::ptrdiff_t>(n), order.end());
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

}  // namespace reachsim
