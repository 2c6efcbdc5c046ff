// The floor under the pull scheduler: its memory traffic with almost none of its model. On the
// world and post times of scenarios/twitter-2010-scale.toml (REACHSIM_PROBE_ACCOUNTS accounts, 10 M
// by default), each follower gathers its followees' posts exactly as the engine does (the same
// arrays, the same prefetches), drops each into one of six evenly spaced gaps, and credits each
// author's per-thread counters with the gap's views — no session draws, no thresholds, no tracked
// posts. Deliveries per second here bound what the engine can reach with this layout; the variants
// say what each array's misses cost, and what a layout with post times inline would allow
// (docs/performance.md, "The floor under the pull scheduler").
#include <benchmark/benchmark.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <array>
#include <cstdlib>
#include <span>
#include <string>

#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "engine/replicate_setup.hpp"
#include "runs/run_scenario.hpp"
#include "runs/world_builder.hpp"

namespace {

using reachsim::AccountIndex;

// A layout the engine does not have (yet): each author's first two post times inline, as 32-bit
// millisecond ticks, next to its post count, and the rest in an overflow array; one miss per
// followee unless it posted more than twice.
struct AuthorPosts {
    std::uint32_t overflow = 0;  // its third post's place in `overflow_ticks`
    std::uint32_t count = 0;
    std::array<std::uint32_t, 2> ticks{};
};
constexpr double ticks_per_second = 1000;

struct Probe {
    reachsim::Scenario scenario;
    reachsim::World world;
    reachsim::PostTimes posts;
    std::vector<AuthorPosts> author_posts;
    std::vector<std::uint32_t> overflow_ticks;
};

void lay_out_inline(Probe& p) {
    const auto& offsets = p.posts.offsets;
    p.author_posts.resize(offsets.size() - 1);
    for (std::size_t author = 0; author + 1 < offsets.size(); ++author) {
        AuthorPosts& record = p.author_posts[author];
        record.overflow = static_cast<std::uint32_t>(p.overflow_ticks.size());
        record.count = static_cast<std::uint32_t>(offsets[author + 1] - offsets[author]);
        for (std::uint64_t k = offsets[author]; k != offsets[author + 1]; ++k) {
            const auto tick = static_cast<std::uint32_t>(p.posts.times[k] * ticks_per_second);
            const std::uint64_t place = k - offsets[author];
            if (place < record.ticks.size()) {
                record.ticks[place] = tick;
            } else {
                p.overflow_ticks.push_back(tick);
            }
        }
    }
}

const Probe& probe() {
    static const Probe built = [] {
        const char* accounts = std::getenv("REACHSIM_PROBE_ACCOUNTS");
        auto scenario = reachsim::load_scenario(
            std::string(REACHSIM_SOURCE_DIR) + "/scenarios/twitter-2010-scale.toml",
            {{"graph.accounts", accounts != nullptr ? accounts : "10000000"}});
        auto world = reachsim::build_world(scenario.model, scenario.run.seed, 0, scenario.path);
        auto posts = reachsim::draw_post_times(
            scenario.model, world, reachsim::posting_end(scenario.model), scenario.run.seed, 0);
        Probe built_probe{std::move(scenario), std::move(world), std::move(posts), {}, {}};
        lay_out_inline(built_probe);
        return built_probe;
    }();
    return built;
}

// What each variant gathers: everything the engine gathers; no per-author counters (views summed
// into one local); only the post offsets (each followee's post count, as if its posts' times were
// inline in one record with its offsets); AuthorPosts records (and their overflow for authors of
// more than two posts) with the counters, and without them.
enum class Gather {
    offsets_times_counters = 0,
    offsets_times = 1,
    offsets = 2,
    inline_counters = 3,
    inline_only = 4
};

struct AuthorCounts {
    std::uint64_t followers_reached = 0;
    std::uint64_t impressions = 0;
};

struct Scratch {
    std::vector<AuthorCounts> by_author;
    std::vector<std::pair<AccountIndex, std::uint32_t>> items;  // (author, gap)
    std::uint64_t deliveries = 0;
    std::uint64_t views = 0;
};

constexpr std::uint32_t gaps = 7;  // six sessions, evenly spaced over the horizon
constexpr std::size_t offsets_ahead = 32;
constexpr std::size_t times_ahead = 16;

using GapCounts = std::array<std::uint32_t, gaps>;

// A post, `gaps_from_start` gaps after the start of the horizon, into its gap.
void add_item(Scratch& s, GapCounts& items_in_gap, AccountIndex author, double gaps_from_start) {
    const auto gap = std::min(static_cast<std::uint32_t>(gaps_from_start), gaps - 1);
    ++items_in_gap[gap];
    s.items.emplace_back(author, gap);
}

void add_inline_posts(const Probe& p, bool scatter_counts, double gaps_per_tick, Scratch& s,
                      std::span<const AccountIndex> followees, std::size_t next,
                      GapCounts& items_in_gap) {
    const auto& records = p.author_posts;
    if (next + times_ahead < followees.size()) {
        const AuthorPosts& ahead = records[followees[next + times_ahead]];
        if (ahead.count > ahead.ticks.size()) {
            reachsim::prefetch(p.overflow_ticks[ahead.overflow]);
        }
    }
    const AccountIndex author = followees[next];
    if (scatter_counts) {
        reachsim::prefetch(s.by_author[author]);
    }
    const AuthorPosts& record = records[author];
    for (std::uint32_t k = 0; k < record.count; ++k) {
        const std::uint32_t tick =
            k < record.ticks.size() ? record.ticks[k] : p.overflow_ticks[record.overflow + k - 2];
        add_item(s, items_in_gap, author, tick * gaps_per_tick);
    }
    s.deliveries += record.count;
}

void pull_pass(const Probe& p, Gather gather, Scratch& s, AccountIndex first, AccountIndex last) {
    const auto& graph = p.world.graph;
    const auto& offsets = p.posts.offsets;
    const auto& times = p.posts.times;
    const double gaps_per_second = (gaps - 1) / p.scenario.model.horizon_seconds();
    const double gaps_per_tick = gaps_per_second / ticks_per_second;
    const bool inline_layout = gather == Gather::inline_counters || gather == Gather::inline_only;
    const bool scatter_counts =
        gather == Gather::offsets_times_counters || gather == Gather::inline_counters;
    const auto followees = graph.followees_of_accounts(first, last);
    std::size_t next = 0;
    for (AccountIndex follower = first; follower != last; ++follower) {
        const std::size_t end = next + graph.following_count(follower);
        GapCounts items_in_gap{};
        s.items.clear();
        for (; next != end; ++next) {
            if (next + offsets_ahead < followees.size()) {
                if (inline_layout) {
                    reachsim::prefetch(p.author_posts[followees[next + offsets_ahead]]);
                } else {
                    reachsim::prefetch(offsets[followees[next + offsets_ahead]]);
                }
            }
            const AccountIndex author = followees[next];
            if (inline_layout) {
                add_inline_posts(p, scatter_counts, gaps_per_tick, s, followees, next,
                                 items_in_gap);
                continue;
            }
            if (gather == Gather::offsets) {
                const auto count =
                    static_cast<std::uint32_t>(offsets[author + 1] - offsets[author]);
                s.deliveries += count;
                s.views += count;
                continue;
            }
            if (next + times_ahead < followees.size()) {
                const AccountIndex ahead = followees[next + times_ahead];
                if (offsets[ahead + 1] != offsets[ahead]) {
                    reachsim::prefetch(times[offsets[ahead]]);
                }
            }
            if (offsets[author + 1] == offsets[author]) {
                continue;
            }
            if (scatter_counts) {
                reachsim::prefetch(s.by_author[author]);
            }
            for (std::uint64_t k = offsets[author]; k != offsets[author + 1]; ++k) {
                add_item(s, items_in_gap, author, times[k] * gaps_per_second);
            }
            s.deliveries += offsets[author + 1] - offsets[author];
        }
        // Every later session shows an item: the views of gap g are the sessions after it.
        for (const auto& [author, gap] : s.items) {
            const std::uint32_t views = gaps - 1 - gap;
            if (scatter_counts) {
                AuthorCounts& counts = s.by_author[author];
                counts.impressions += views;
                counts.followers_reached += views > 0 ? 1 : 0;
            } else {
                s.views += views;
            }
        }
        // The engine plans its gaps from these counts; summing them keeps them computed.
        for (const std::uint32_t count : items_in_gap) {
            s.views += count;
        }
    }
}

void pull_floor(benchmark::State& state) {
    const Probe& p = probe();
    const auto gather = static_cast<Gather>(state.range(0));
    const auto threads = static_cast<int>(state.range(1));
    const std::size_t accounts = p.world.graph.account_count();
    std::uint64_t deliveries = 0;
    std::uint64_t views = 0;
    tbb::task_arena arena(threads);
    for (auto _ : state) {
        tbb::enumerable_thread_specific<Scratch> scratch;
        arena.execute([&] {
            reachsim::parallel_chunks(0, accounts, 256, [&](std::size_t begin, std::size_t end) {
                Scratch& local = scratch.local();
                if (local.by_author.empty()) {
                    local.by_author.assign(accounts, AuthorCounts{});
                }
                pull_pass(p, gather, local, static_cast<AccountIndex>(begin),
                          static_cast<AccountIndex>(end));
            });
        });
        for (const Scratch& local : scratch) {
            deliveries += local.deliveries;
            views += local.views;
            for (const AuthorCounts& counts : local.by_author) {
                views += counts.impressions;
            }
        }
    }
    benchmark::DoNotOptimize(views);
    state.counters["deliveries_per_second"] =
        benchmark::Counter(static_cast<double>(deliveries), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(pull_floor)
    ->ArgsProduct({{0, 1, 2, 3, 4}, {1, 2}})
    ->ArgNames({"gather", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
