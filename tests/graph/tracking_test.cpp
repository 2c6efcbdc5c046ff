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

TEST_CASE("tracked authors: ties in follower count go by index") {
    // A ring: everyone follows the next account, so every follower count is 1.
    std::vector<std::pair<AccountIndex, AccountIndex>> follows;
    for (AccountIndex a = 0; a < 10; ++a) {
        follows.emplace_back(a, static_cast<AccountIndex>((a + 1) % 10));
    }
    EdgeCleanup cleanup;
    const FollowerGraph ring = graph_from_pairs(10, follows, cleanup);
    using Kind = AuthorSelector::Kind;
    CHECK(select_tracked_authors({selector(Kind::top_followers, 2)}, ring, {}, 1, "s.toml") ==
          std::vector<AccountIndex>{8, 9});
    CHECK(select_tracked_authors(
              {selector(Kind::followers_percentile, 50), selector(Kind::followers_percentile, 10)},
              ring, {}, 1, "s.toml") == std::vector<AccountIndex>{0, 4});
}

TEST_CASE("the followers of each tracked author, ascending, across blocks of followers") {
    // More accounts than one parallel block (65,536), and more than twice the filter's 2^18 bits,
    // so that followees that are not authors share an author's bit (3 + 2^18, 3 + 2^19): account a
    // follows a + 1 and a + 70,000.
    const AccountIndex accounts = 600000;
    std::vector<std::pair<AccountIndex, AccountIndex>> follows;
    for (AccountIndex a = 0; a < accounts; ++a) {
        follows.emplace_back(a, (a + 1) % accounts);
        follows.emplace_back(a, (a + 70000) % accounts);
    }
    EdgeCleanup cleanup;
    FollowerGraph graph = graph_from_pairs(accounts, follows, cleanup);
    const std::vector<AccountIndex> authors{0, 3, 70001, 599999};
    const auto followers = followers_of_each(graph, authors);
    REQUIRE(followers.size() == authors.size());
    graph.build_followers_index();
    for (std::size_t k = 0; k < authors.size(); ++k) {
        const auto expected = graph.followers_of(authors[k]);
        CHECK(followers[k] == std::vector<AccountIndex>(expected.begin(), expected.end()));
        CHECK(followers[k].size() == 2);
    }
    CHECK(followers[2] == std::vector<AccountIndex>{1, 70000});
}
