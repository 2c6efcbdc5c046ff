#include <zlib.h>

#include <tbb/task_arena.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <unordered_set>

#include "core/errors.hpp"
#include "graph/graph_summary.hpp"
#include "graph_files/edge_list.hpp"
#include "gzip_bytes.hpp"
#include "temp_files.hpp"

using namespace reachsim;
using Catch::Matchers::Contains;
using reachsim::testing::gzip_member;
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
    SECTION("ids written otherwise than as plain numbers keep their text") {
        // "007" is not "7": a leading zero makes a different id, still ordered by its value.
        const auto loaded = load_edge_list(folder.write("e.txt", "100 007\n7 100\n"),
                                           EdgeDirection::follower_followee, no_limit);
        REQUIRE(loaded.original_ids.size() == 3);
        CHECK(std::count(loaded.original_ids.begin(), loaded.original_ids.end(), "007") == 1);
        CHECK(std::count(loaded.original_ids.begin(), loaded.original_ids.end(), "7") == 1);
        CHECK(loaded.original_ids[2] == "100");
        CHECK(loaded.graph.follow_count() == 2);
    }
    SECTION("a text id after numeric ones: every id numbered by first appearance") {
        const auto loaded = load_edge_list(folder.write("e.txt", "30 10\n20 10\n@x 30\n"),
                                           EdgeDirection::follower_followee, no_limit);
        CHECK(loaded.original_ids == std::vector<std::string>{"30", "10", "20", "@x"});
        CHECK(followees(loaded.graph, 3) == std::vector<AccountIndex>{0});  // @x follows 30
        CHECK(followees(loaded.graph, 2) == std::vector<AccountIndex>{1});  // 20 follows 10
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

TEST_CASE("a large edge list, plain and compressed: every line across the read blocks") {
    // Several of the reader's 4 MiB blocks, lines of varying length so that block ends fall
    // inside lines, ids of up to 19 digits.
    TempFolder folder;
    std::string text = "# follower followee\n";
    std::uint64_t lines = 0;
    for (std::uint64_t i = 0; text.size() < (std::size_t{13} << 20); ++i, ++lines) {
        const std::uint64_t follower =
            i % 50'000 * 1'000'003 + (i % 7 == 0 ? 9'000'000'000'000'000'000ULL : 0);
        text += std::to_string(follower) + (i % 3 == 0 ? "\t" : " ") +
                std::to_string((i * 7919) % 40'000 + 1) + (i % 5 == 0 ? " 1.5\n" : "\n");
    }
    const auto plain = folder.write("e.txt", text);
    const auto compressed = folder.write("e.txt.gz", gzip_member(text));
    const auto from_text = load_edge_list(plain, EdgeDirection::follower_followee, no_limit);
    const auto from_gzip = load_edge_list(compressed, EdgeDirection::follower_followee, no_limit);
    CHECK(from_text.edge_lines == lines);
    CHECK(from_gzip.edge_lines == lines);
    CHECK(from_text.original_ids == from_gzip.original_ids);
    REQUIRE(from_text.graph.account_count() == from_gzip.graph.account_count());
    for (AccountIndex a = 0; a < from_text.graph.account_count(); a += 997) {
        CHECK(followees(from_text.graph, a) == followees(from_gzip.graph, a));
    }
    CHECK(from_text.graph.follow_count() + from_text.cleanup.duplicates +
              from_text.cleanup.self_loops ==
          lines);
    CHECK(from_text.sha256 != from_gzip.sha256);  // of the files' bytes, not of the text
}

namespace {

// An edge list loaded on `threads` threads: its ids by index, and its follows as (follower id,
// followee id), sorted.
struct Follows {
    std::vector<std::string> ids;
    std::vector<std::pair<std::string, std::string>> follows;
};

Follows load_on_threads(const std::string& path, int threads) {
    tbb::task_arena arena(threads);
    const auto loaded = arena.execute(
        [&] { return load_edge_list(path, EdgeDirection::follower_followee, no_limit); });
    Follows result{loaded.original_ids, {}};
    for (AccountIndex a = 0; a < loaded.graph.account_count(); ++a) {
        for (const AccountIndex b : loaded.graph.followees_of(a)) {
            result.follows.emplace_back(loaded.original_ids[a], loaded.original_ids[b]);
        }
    }
    std::sort(result.follows.begin(), result.follows.end());
    return result;
}

}  // namespace

TEST_CASE("blocks read side by side give the graph and numbering of reading line by line") {
    // About 5 MiB: two of the reader's 4 MiB blocks read side by side, block ends inside lines,
    // comments among the lines, and far more ids than the id table has room for while threads
    // add to it. Expected: the follows and ids as the lines give them, read here one by one;
    // numeric ids in ascending order; after a text id, every id by first appearance.
    TempFolder folder;
    std::string text;
    std::vector<std::pair<std::string, std::string>> expected;
    std::vector<std::string> by_appearance;
    std::unordered_set<std::string> seen;
    auto add = [&](const std::string& follower, const std::string& followee) {
        text += follower + (follower.size() % 2 == 0 ? "\t" : " ") + followee + "\n";
        expected.emplace_back(follower, followee);
        for (const auto* id : {&follower, &followee}) {
            if (seen.insert(*id).second) {
                by_appearance.push_back(*id);
            }
        }
    };
    for (std::uint64_t i = 0; text.size() < (std::size_t{5} << 20); ++i) {
        add(std::to_string(i / 7 * 1009 + 3), std::to_string(i * 7919 % 300'007 * 13 + 1));
        if (i % 100'000 == 0) {
            text += "# a comment\n";
        }
    }
    auto sorted_unique = [](std::vector<std::pair<std::string, std::string>> follows) {
        std::sort(follows.begin(), follows.end());
        follows.erase(std::unique(follows.begin(), follows.end()), follows.end());
        return follows;
    };
    std::vector<std::string> by_value = by_appearance;
    std::sort(by_value.begin(), by_value.end(), [](const std::string& a, const std::string& b) {
        return std::stoull(a) < std::stoull(b);
    });
    const auto numeric = folder.write("numeric.txt", text);
    const auto malformed = folder.write("malformed.txt", text + "1 2 3 4\n");
    const auto numeric_follows = sorted_unique(expected);
    add("@late", "3");
    const auto with_text = folder.write("text.txt", text);
    const auto with_text_follows = sorted_unique(expected);

    for (const int threads : {1, 2}) {
        INFO(threads << " thread(s)");
        const auto plain = load_on_threads(numeric, threads);
        CHECK(plain.ids == by_value);  // plain numbers: ids by value
        CHECK(plain.follows == numeric_follows);
        const auto mixed = load_on_threads(with_text, threads);
        CHECK(mixed.ids == by_appearance);  // a text id at the end: every id by first appearance
        CHECK(mixed.follows == with_text_follows);
    }
    const auto lines = std::count(text.begin(), text.end(), '\n') - 1;  // without "@late 3"
    CHECK_THAT(error_of(malformed), Contains(malformed + ":" + std::to_string(lines + 1) + ":"));
}

TEST_CASE("the edge list's SHA-256 is that of its bytes") {
    TempFolder folder;
    const auto loaded = load_edge_list(folder.write("e.txt", "0 1\n1 2\n"),
                                       EdgeDirection::follower_followee, no_limit);
    // As `printf '0 1\n1 2\n' | sha256sum` gives it.
    CHECK(loaded.sha256 == "8ba65ee1bbe8297e30cab4c5fc9b62a8caa0dbe7b89298edf1da2609beb24ae1");
}

TEST_CASE("gzip streams: concatenated members are one file; damage is an error") {
    TempFolder folder;
    const auto two = folder.write("two.txt.gz", gzip_member("0 1\n1 ") + gzip_member("2\n2 0\n"));
    const auto loaded = load_edge_list(two, EdgeDirection::follower_followee, no_limit);
    CHECK(loaded.graph.follow_count() == 3);
    // Compressed a thousandfold: one read of the file inflates to many blocks.
    std::string repeated;
    for (int i = 0; i < 2'000'000; ++i) {
        repeated += i % 2 == 0 ? "1 2\n" : "2 1\n";
    }
    const auto dense = folder.write("dense.txt.gz", gzip_member(repeated));
    CHECK(load_edge_list(dense, EdgeDirection::follower_followee, no_limit).edge_lines ==
          2'000'000);
    const std::string whole = gzip_member("0 1\n1 2\n2 0\n");
    const auto trailing = folder.write("trailing.txt.gz", whole + "junk after the stream");
    CHECK_THAT(error_of(trailing), Contains(trailing) && Contains("after the end of the gzip"));
    const auto truncated = folder.write("truncated.txt.gz", whole.substr(0, whole.size() - 6));
    CHECK_THAT(error_of(truncated), Contains(truncated) && Contains("truncated"));
    std::string damaged = whole;
    damaged[12] = static_cast<char>(damaged[12] ^ 0x55);
    CHECK_THAT(error_of(folder.write("damaged.txt.gz", damaged)),
               Contains("damaged.txt.gz") && Contains("read error"));
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
