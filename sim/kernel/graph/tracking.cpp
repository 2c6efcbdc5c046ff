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

std::vector<AccountIndex> select_tracked_authors(const std::vector<std::string>& selectors,
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
        const auto colon = selector.find(':');
        if (colon == std::string::npos) {
            if (!original_ids.empty()) {
                const auto found = index_of.find(selector);
                if (found == index_of.end()) {
                    fail(selector, "no account with this id in the graph");
                }
                chosen.push_back(found->second);
                continue;
            }
            const auto index = parse_number(selector);
            if (!index || *index != std::floor(*index) || *index >= static_cast<double>(accounts)) {
                fail(selector, "expected an account index below " + std::to_string(accounts));
            }
            chosen.push_back(static_cast<AccountIndex>(*index));
            continue;
        }
        const std::string kind = selector.substr(0, colon);
        const auto number = parse_number(std::string_view(selector).substr(colon + 1));
        if (!number) {
            fail(selector, "expected a number after ':'");
        }
        if (kind == "top_followers" || kind == "random") {
            if (*number != std::floor(*number) || *number < 1 ||
                *number > static_cast<double>(accounts)) {
                fail(selector,
                     "expected a whole number of accounts from 1 to " + std::to_string(accounts));
            }
            const auto n = static_cast<std::size_t>(*number);
            if (kind == "top_followers") {
                const auto order = by_followers(graph);
                chosen.insert(chosen.end(), order.end() - static_cast<std::ptrdiff_t>(n),
                              order.end());
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
        } else if (kind == "followers_percentile") {
            if (*number > 100) {
                fail(selector, "expected a percentile from 0 to 100");
            }
            const auto order = by_followers(graph);
            const auto rank = static_cast<std::size_t>(
                std::ceil(*number / 100.0 * static_cast<double>(accounts)));
            chosen.push_back(order[std::max<std::size_t>(rank, 1) - 1]);
        } else {
            fail(selector,
                 "expected an account id, top_followers:N, random:N or followers_percentile:P");
        }
    }
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    return chosen;
}

}  // namespace reachsim
