// Fuzzes the edge-list reader, plain and gzip: the first byte picks a plain file, the rest written
// as a .gz file as it is (damaged or truncated streams), or the rest gzip-compressed. Bad input
// must be an input_error; a graph that loads must be well formed.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/errors.hpp"
#include "fuzz_support.hpp"
#include "graph_files/edge_list.hpp"
#include "gzip_bytes.hpp"

using namespace reachsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const int mode = data[0] % 3;
    const auto direction = static_cast<EdgeDirection>((data[0] / 3) % 3);
    std::string path;
    if (mode == 0) {
        path = fuzzing::write_scratch(".tsv", data + 1, size - 1);
    } else if (mode == 1) {
        path = fuzzing::write_scratch(".tsv.gz", data + 1, size - 1);
    } else {
        const std::string compressed = testing::gzip_member(
            std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
        path = fuzzing::write_scratch(
            ".tsv.gz", reinterpret_cast<const std::uint8_t*>(compressed.data()), compressed.size());
    }
    try {
        const LoadedGraph loaded = load_edge_list(path, direction, std::uint64_t{1} << 28);
        const FollowerGraph& graph = loaded.graph;
        if (loaded.original_ids.size() != graph.account_count()) {
            std::abort();
        }
        for (std::size_t a = 0; a < graph.account_count(); ++a) {
            const auto row = graph.followees_of(static_cast<AccountIndex>(a));
            for (std::size_t i = 0; i < row.size(); ++i) {
                // Rows are sorted, without duplicates or self-follows, within range.
                if (row[i] >= graph.account_count() || row[i] == a ||
                    (i > 0 && row[i - 1] >= row[i])) {
                    std::abort();
                }
            }
        }
    } catch (const input_error&) {
    }
    return 0;
}
