#include <zlib.h>
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "graph/graph_summary.hpp"
#include "graph_files/edge_list.hpp"
#include "temp_files.hpp"

using namespace reachsim;
using Catch::Matchers::Contains;
using reachsim::testing::TempFolder;

namespace {

constexpr std::uint64_t no_limit = 0;

std::string error_of(const std::string& path,
                     EdgeDirection direction = EdgeDirection::follower_followee) {
    try {
        load_edge_list(path, direction, no_limit);
    } catch (const input_error& error) {
        return error.what();
    }
    FAIL("expected an input_error for " << path);
    return "";
}

std::vector<AccountIndex> followees(const FollowerGraph& graph, AccountIndex a) {
    const auto row = graph.followees_of(a);
    return {row.begin(), row.end()};
}

}  // namespace

TEST_CASE("edge direction decides who follows whom") {
    TempFolder folder;
    const auto path = folder.write("edges.txt", "0 1\n0 2\n");
    SECTION("follower_followee: 0 follows 1 and 2") {
        const auto loaded = load_edge_list(path, EdgeDirection::follower_followee, no_limit);
        CHECK(followees(loaded.graph, 0) == std::vector<AccountIndex>{1, 2});
        CHECK(loaded.graph.follower_count(1) == 1);
        CHECK(loaded.graph.following_count(1) == 0);
    }
    SECTION("followee_follower: 1 and 2 follow 0") {
        auto loaded = load_edge_list(path, EdgeDirection::followee_follower, no_limit);
        CHECK(followees(loaded.graph, 1) == std::vector<AccountIndex>{0});
        CHECK(followees(loaded.graph, 2) == std::vector<AccountIndex>{0});
        CHECK(loaded.graph.follower_count(0) == 2);
        loaded.graph.build_followers_index();
        const auto followers = loaded.graph.followers_of(0);
        CHECK(std::vector<AccountIndex>(followers.begin(), followers.end()) ==
              std::vector<AccountIndex>{1, 2});
    }
    SECTION("mutual: both ways") {
        const auto loaded = load_edge_list(path, EdgeDirection::mutual, no_limit);
        CHECK(loaded.graph.follow_count() == 4);
        CHECK(summarise_graph(loaded.graph).reciprocity == 1.0);
    }
}

TEST_CASE("ids are remapped to dense indices and kept") {
    TempFolder folder;
    SECTION("integer ids are numbered in ascending order") {
        const auto loaded = load_edge_list(folder.write("e.txt", "100 7\n7 3000000000\n"),
                                           EdgeDirection::follower_followee, no_limit);
        CHECK(loaded.original_ids == std::vector<std::string>{"7", "100", "3000000000"});
        CHECK(followees(loaded.graph, 1) == std::vector<AccountIndex>{0});  // 100 follows 7
        CHECK(followees(loaded.graph, 0) == std::vector<AccountIndex>{2});
    }
    SECTION("string ids are numbered by first appearance") {
        const auto loaded = load_edge_list(folder.write("e.txt", "@bob @alice\n@carol @bob\n"),
                                           EdgeDirection::follower_followee, no_limit);
        CHECK(loaded.original_ids == std::vector<std::string>{"@bob", "@alice", "@carol"});
        CHECK(followees(loaded.graph, 2) == std::vector<AccountIndex>{0});
    }
}

TEST_CASE("comments, blank lines, weights, self-loops and duplicates") {
    TempFolder folder;
    const auto path =
        folder.write("e.txt", "# SNAP header\n\n1\t2\t0.5\n1 2\n2 2\n  3   1  \r\n# end\n");
    const auto loaded = load_edge_list(path, EdgeDirection::follower_followee, no_limit);
    CHECK(loaded.edge_lines == 4);
    CHECK(loaded.cleanup.self_loops == 1);
    CHECK(loaded.cleanup.duplicates == 1);
    CHECK(loaded.graph.follow_count() == 2);
    CHECK(loaded.sha256.size() == 64);
}

TEST_CASE("gzip-compressed edge lists read like plain ones") {
    TempFolder folder;
    const auto path = folder.path("edges.txt.gz");
    gzFile file = gzopen(path.c_str(), "wb");
    REQUIRE(file != nullptr);
    const std::string text = "# compressed\n0 1\n1 2\n2 0\n";
    gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
    gzclose(file);
    const auto loaded = load_edge_list(path, EdgeDirection::follower_followee, no_limit);
    CHECK(loaded.graph.account_count() == 3);
    CHECK(loaded.graph.follow_count() == 3);
}

TEST_CASE("malformed edge lists are errors naming the file and line") {
    TempFolder folder;
    const auto one_id = folder.write("one.txt", "0 1\n# fine\n5\n");
    CHECK_THAT(error_of(one_id), Contains(one_id + ":3") && Contains("expected two account ids"));
    const auto four = folder.write("four.txt", "0 1 2 3\n");
    CHECK_THAT(error_of(four), Contains(four + ":1"));
    const auto weight = folder.write("weight.txt", "0 1\n1 2 heavy\n");
    CHECK_THAT(error_of(weight), Contains(weight + ":2") && Contains("numeric weight"));
    const auto empty = folder.write("empty.txt", "# nothing\n");
    CHECK_THAT(error_of(empty), Contains("no edges"));
    CHECK_THAT(error_of(folder.path("missing.txt")),
               Contains("missing.txt") && Contains("cannot open"));
}

TEST_CASE("the memory guard refuses an edge list before building it") {
    TempFolder folder;
    std::string text;
    for (int i = 0; i < 1000; ++i) {
        text += std::to_string(i) + " " + std::to_string(i + 1) + "\n";
    }
    const auto path = folder.write("e.txt", text);
    CHECK_THROWS_WITH(load_edge_list(path, EdgeDirection::follower_followee, 1000),
                      Contains("needs an estimated") && Contains("limit"));
}

TEST_CASE("account attributes are read by id, with errors naming file and line") {
    TempFolder folder;
    const std::vector<std::string> ids{"a", "b", "c"};
    const auto good = folder.write("good.csv",
                                   "id,segment,utc_offset,posts_per_day,feed_depth\n"
                                   "b,UK,+01:00,2.5,\nc,,-5,,50\n");
    const auto attributes = load_account_attributes(good, ids);
    CHECK(attributes.segment[1] == "UK");
    CHECK_FALSE(attributes.segment[0]);
    CHECK(attributes.utc_offset_hours[1] == 1.0);
    CHECK(attributes.utc_offset_hours[2] == -5.0);
    CHECK(attributes.posts_per_day[1] == 2.5);
    CHECK_FALSE(attributes.posts_per_day[2]);
    CHECK(attributes.feed_depth[2] == 50.0);

    const auto unknown_id = folder.write("unknown.csv", "id,segment\na,UK\nzed,US\n");
    CHECK_THROWS_WITH(load_account_attributes(unknown_id, ids),
                      Contains(unknown_id + ":3") && Contains("zed"));
    const auto bad_value = folder.write("bad.csv", "id,posts_per_day\na,-1\n");
    CHECK_THROWS_WITH(load_account_attributes(bad_value, ids),
                      Contains(bad_value + ":2") && Contains("posts_per_day"));
    const auto bad_column = folder.write("column.csv", "id,colour\na,red\n");
    CHECK_THROWS_WITH(load_account_attributes(bad_column, ids),
                      Contains(bad_column + ":1") && Contains("colour"));
    const auto short_row = folder.write("short.csv", "id,segment,feed_depth\na,UK\n");
    CHECK_THROWS_WITH(load_account_attributes(short_row, ids), Contains(short_row + ":2"));
}

TEST_CASE("the real hersheycareers graph has the published size and reciprocity") {
    // Facts from ../shared/data/README.md: 3,726 accounts, 23,939 directed follows, 37.7%
    // reciprocated.
    const auto loaded = load_edge_list(
        std::string(REACHSIM_SOURCE_DIR) + "/scenarios/data/hersheycareers.edges.tsv",
        EdgeDirection::followee_follower, no_limit);
    CHECK(loaded.graph.account_count() == 3726);
    CHECK(loaded.graph.follow_count() + loaded.cleanup.duplicates + loaded.cleanup.self_loops ==
          23939);
    CHECK(summarise_graph(loaded.graph).reciprocity == Approx(0.377).margin(0.0005));
}

TEST_CASE("the real ego-Facebook graph loads as mutual follows") {
    const auto loaded =
        load_edge_list(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/data/facebook_combined.txt",
                       EdgeDirection::mutual, no_limit);
    CHECK(loaded.graph.account_count() == 4039);
    CHECK(loaded.graph.follow_count() == 2 * 88234);
    CHECK(summarise_graph(loaded.graph).reciprocity == 1.0);
}
