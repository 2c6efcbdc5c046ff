// A deliberate data race in a parallel loop's body: under ThreadSanitizer the test that runs this
// passes only if TSan reports it, so the TSan build is shown able to see races in the loops that
// reachsim runs in parallel (tests/CMakeLists.txt).
#include <tbb/task_arena.h>

#include <atomic>
#include <cstdio>

#include "core/parallel.hpp"

int main() {
    long total = 0;
    std::atomic<int> arrived{0};
    tbb::task_arena two_threads(2);
    two_threads.execute([&] {
        reachsim::parallel_chunks(0, 2, 1, [&](std::size_t, std::size_t) {
            // Both threads are in the loop at once (relaxed atomics order nothing for TSan)...
            arrived.fetch_add(1, std::memory_order_relaxed);
            for (long spin = 0; arrived.load(std::memory_order_relaxed) < 2 && spin < 1'000'000'000;
                 ++spin) {
            }
            total += 1;  // ...and write here unsynchronised: the race
        });
    });
    std::printf("%ld\n", total);
}
