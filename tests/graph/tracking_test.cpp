// Tracked-author selection on a small graph whose follower counts are known.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "graph/tracking.hpp"

using namespace reachsim;
using Catch::Matchers::Contains;

namespace {

// Account a (0..9) is followed by the a accounts after it (wrapping): follower counts 0..9.
FollowerGraph counted_graph() {
    std::vector<std::pair<AccountIndex, AccountIndex>> follows;
    for (AccountIndex a = 0; a < 10; ++a) {
        for (AccountIndex k = 1; k <= a; ++k) {
            follows.emplace_back(static_cast<AccountIndex>((a + k) % 10), a);
        }
    }
    EdgeCleanup cleanup;
    return graph_from_pairs(10, follows, cleanup);
}

AuthorSelector selector(AuthorSelector::Kind kind, double amount) {
    AuthorSelector s;
    s.kind = kind;
    s.amount = amount;
    return s;
}

AuthorSelector id(const std::string& account) {
    AuthorSelector s;
    s.account_id = account;
    return s;
}

}  // namespace

TEST_CASE("tracked authors: by follower rank, percentile, id, and at random, distinct and sorted") {
    const FollowerGraph graph = counted_graph();
    REQUIRE(graph.follower_count(9) == 9);
    using Kind = AuthorSelector::Kind;
    CHECK(select_tracked_authors({selector(Kind::top_followers, 3)}, graph, {}, 1, "s.toml") ==
          std::vector<AccountIndex>{7, 8, 9});
    CHECK(select_tracked_authors({selector(Kind::followers_percentile, 50)}, graph, {}, 1,
                                 "s.toml") == std::vector<AccountIndex>{4});
    CHECK(select_tracked_authors({id("2"), id("2"), selector(Kind::top_followers, 1)}, graph, {}, 1,
                                 "s.toml") == std::vector<AccountIndex>{2, 9});
    const std::vector<std::string> names{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    CHECK(select_tracked_authors({id("c")}, graph, names, 1, "s.toml") ==
          std::vector<AccountIndex>{2});
    const auto random = select_tracked_authors({selector(Kind::random, 4)}, graph, {}, 5, "s.toml");
    CHECK(random.size() == 4);
    CHECK(std::is_sorted(random.begin(), random.end()));
    CHECK(select_tracked_authors({selector(Kind::random, 4)}, graph, {}, 5, "s.toml") == random);
}

TEST_CASE("tracked authors not in the graph are input errors naming track.authors") {
    const FollowerGraph graph = counted_graph();
    CHECK_THROWS_WITH(select_tracked_authors({id("12")}, graph, {}, 1, "s.toml"),
                      Contains("s.toml") && Contains("'track.authors'") && Contains("below 10"));
    CHECK_THROWS_WITH(select_tracked_authors({id("zz")}, graph, {"a", "b"}, 1, "s.toml"),
                      Contains("no account with this id"));
    CHECK_THROWS_WITH(select_tracked_authors({selector(AuthorSelector::Kind::top_followers, 11)},
                                             graph, {}, 1, "s.toml"),
                      Contains("only 10 accounts"));
}
