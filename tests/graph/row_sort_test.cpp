// Sorting a row of drawn followees: checked against std::sort and std::unique, for lengths on both
// sides of the cut between ranking and quicksort, with many repeats and with the largest id.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "graph/row_sort.hpp"

using namespace reachsim;

TEST_CASE("a row is sorted and its repeats dropped, whatever its length") {
    // The widest instructions, then the narrower ones: on a processor with AVX-512 both are
    // checked, each on both sides of its cut.
    const auto instructions =
        GENERATE(RowSortInstructions::widest, RowSortInstructions::without_avx512);
    std::mt19937_64 random(7);
    // Account counts go up to 2^32 - 1, so ids up to 2^32 - 2.
    const AccountIndex largest_id = std::numeric_limits<AccountIndex>::max() - 1;
    for (std::size_t length = 0; length <= 2 * rows_sorted_by_rank_up_to + 3; ++length) {
        // Ids from a handful (mostly repeats), or from the whole range with the largest among them.
        for (const AccountIndex most : {AccountIndex{5}, largest_id}) {
            std::uniform_int_distribution<AccountIndex> id(0, most);
            std::vector<AccountIndex> row(length);
            for (auto& followee : row) {
                followee = id(random);
            }
            if (length > 0) {
                row[length / 2] = most;
            }
            std::vector<AccountIndex> expected = row;
            std::sort(expected.begin(), expected.end());
            expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
            row.resize(sort_unique(row, instructions));
            INFO("length " << length << ", ids up to " << most);
            CHECK(row == expected);
        }
    }
}
