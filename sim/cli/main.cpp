// The command line: `reachsim run` and `reachsim validate`. The only place that prints
// messages and chooses exit codes: 0 success, 2 bad usage or input, 1 internal error.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "build_info/version.hpp"
#include "hdf5/hdf5_writer.hpp"
#include "runs/run_scenario.hpp"
#include "scenario/scenario.hpp"
#include "sweeps/sweep.hpp"
#ifdef REACHSIM_MPI
#include "sweeps/mpi_sweep.hpp"
#endif

namespace reachsim {
namespace {

constexpr int exit_success = 0;
constexpr int exit_failure = 1;  // the machine refused (a full disk), or a bug in reachsim
constexpr int exit_bad_input = 2;
constexpr int exit_interrupted = 130;  // 128 + SIGINT, as shells report Ctrl-C
constexpr double z_95 = 1.959963984540054;

constexpr const char* main_help = R"(reachsim — how often is a post actually seen?

Usage:
  reachsim run SCENARIO [options]     simulate a scenario and write HDF5 results
  reachsim sweep SCENARIO [options]   run the scenario at every point of its [sweep] (or
                                      --param KEY=VALUES) and write one HDF5 file
  reachsim validate SCENARIO [--set KEY=VALUE]...
                                      check a scenario file without running it
  reachsim help keys                  list every scenario key
  reachsim --help | --version

Run 'reachsim COMMAND --help' for a command's options. Scenario keys: docs/scenarios.md.
)";

constexpr const char* run_help =
    R"(Usage: reachsim run SCENARIO [-o OUT.h5] [--seed N] [--replicates N] [--threads N]
                    [--expected] [--set KEY=VALUE]...

Simulates SCENARIO and writes results to OUT.h5 (default: the scenario's output.path, else
SCENARIO's name with .h5). Prints a table per segment; graph scenarios also print the graph's
size, the engine's speed, retweet totals and the accounts whose posts reach the most followers.

Options:
  -o, --output PATH     output file (same as --set output.path=PATH)
  --seed N              random seed (same as --set simulation.seed=N)
  --replicates N        independent replicates (same as --set simulation.replicates=N)
  --threads N           worker threads, 0 for all cores (default 0); results do not depend on it
  --expected            expected values, computed rather than sampled: no replicates, no noise
                        (sessions that are glances; no retweets on graphs; docs/model.md)
  --memory-limit SIZE   refuse graphs whose estimated memory exceeds SIZE (e.g. 8GiB, 500MiB);
                        default: this machine's memory
  --set KEY=VALUE       override any scenario key with any TOML value, e.g.
                        --set simulation.duration=30d, --set followers.segment.0.count=150,
                        --set 'author.posting.times=["09:00","13:00"]'; validated like the file
  -q, --quiet           no progress line (there is none when stderr is not a terminal)
  -h, --help            this help
)";

constexpr const char* sweep_help =
    R"(Usage: reachsim sweep SCENARIO [-o OUT.h5] [--param KEY=VALUES]... [--resume]
                      [--seed N] [--replicates N] [--threads N] [--set KEY=VALUE]...

Runs SCENARIO at every point of its [sweep] table, plus any --param, and writes one HDF5 file:
/sweep/parameters, /sweep/summary (every per-replicate metric, [point, replicate, ...]) and
/points/<i> (what 'reachsim run' writes for point i). Every point is checked before the first
runs. Finished points are kept in OUT.h5.parts/ until the sweep completes; after Ctrl-C (which
writes OUT.h5 with the points done) or a crash, the same command with --resume runs only what is
missing. Prints a table of the headline metrics per point. On a graph, a point that changes nothing
of the graph ([graph], seed, segment names and shares) takes the previous point's graph instead of
building it again.

Options:
  -o, --output PATH     output file (same as --set output.path=PATH)
  --param KEY=VALUES    sweep KEY over a TOML list or range, e.g.
                        --param 'author.posting.per_day=[0.5, 1, 2, 4]',
                        --param 'followers.sessions.per_day={from=1, to=12, steps=5, scale="log"}'
  --resume              finish the unfinished sweep whose points are in OUT.h5.parts/
  --seed N, --replicates N, --threads N, --memory-limit SIZE, --set KEY=VALUE, -q, --quiet
                        as for 'reachsim run'; every point uses the same seed (common random
                        numbers: differences between points are not blurred by chance)
  -h, --help            this help
)";

constexpr const char* validate_help = R"(Usage: reachsim validate SCENARIO [--set KEY=VALUE]...

Checks SCENARIO (with any overrides) as 'run' would before simulating — a file graph's edge
list, attribute file and tracked ids included, and every point of a [sweep] — and prints a
one-line description, or the first error with its file, line and key. Exit status 0 if valid, 2
if not.
)";

class usage_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Arguments {
    std::string scenario_path;
    std::vector<Override> overrides;
    std::vector<Override> parameters;  // sweep: --param
    std::int64_t threads = 0;
    std::uint64_t memory_limit_bytes = 0;
    bool help = false;
    bool quiet = false;
    bool resume = false;
    bool expected = false;  // run: expectation mode
};

// Which options a command takes beyond --set and --help.
enum class Command { run, sweep, validate };

std::uint64_t parse_size(const std::string& option, const std::string& text) {
    const std::vector<std::pair<std::string, double>> units{{"GiB", 1024.0 * 1024 * 1024},
                                                            {"MiB", 1024.0 * 1024},
                                                            {"KiB", 1024.0},
                                                            {"GB", 1e9},
                                                            {"MB", 1e6},
                                                            {"B", 1}};
    for (const auto& [suffix, bytes] : units) {
        if (text.size() > suffix.size() && text.ends_with(suffix)) {
            std::size_t used = 0;
            double value = -1;
            try {
                value = std::stod(text.substr(0, text.size() - suffix.size()), &used);
            } catch (const std::exception&) {
                used = 0;
            }
            // Below 2^63 bytes, so the conversion is exact; NaN and infinity fail too.
            if (used == text.size() - suffix.size() && value > 0 && value * bytes < 0x1p63) {
                return static_cast<std::uint64_t>(value * bytes);
            }
            break;
        }
    }
    throw usage_error(option + ": expected a size like 8GiB or 500MiB, got '" + text + "'");
}

std::int64_t parse_count(const std::string& option, const std::string& text, std::int64_t minimum) {
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || value < minimum) {
        throw usage_error(option + ": expected an integer of at least " + std::to_string(minimum) +
                          ", got '" + text + "'");
    }
    return value;
}

Arguments parse_arguments(const std::vector<std::string>& args, Command command) {
    const bool allow_run_options = command != Command::validate;
    Arguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) {
                throw usage_error(arg + ": expected a value");
            }
            return args[++i];
        };
        if (arg == "-h" || arg == "--help") {
            parsed.help = true;
        } else if (arg == "--set") {
            parsed.overrides.push_back(parse_override(value()));
        } else if (allow_run_options && (arg == "-o" || arg == "--output")) {
            parsed.overrides.push_back({"output.path", value(), true});
        } else if (allow_run_options && arg == "--seed") {
            parsed.overrides.push_back(
                {"simulation.seed", std::to_string(parse_count(arg, value(), 0))});
        } else if (allow_run_options && arg == "--replicates") {
            parsed.overrides.push_back(
                {"simulation.replicates", std::to_string(parse_count(arg, value(), 1))});
        } else if (allow_run_options && arg == "--threads") {
            parsed.threads = parse_count(arg, value(), 0);
        } else if (allow_run_options && arg == "--memory-limit") {
            parsed.memory_limit_bytes = parse_size(arg, value());
        } else if (allow_run_options && (arg == "-q" || arg == "--quiet")) {
            parsed.quiet = true;
        } else if (command == Command::run && arg == "--expected") {
            parsed.expected = true;
        } else if (command == Command::sweep && arg == "--param") {
            parsed.parameters.push_back(parse_override(value()));
        } else if (command == Command::sweep && arg == "--resume") {
            parsed.resume = true;
        } else if (!arg.empty() && arg[0] == '-') {
            throw usage_error("unknown option '" + arg + "'");
        } else if (parsed.scenario_path.empty()) {
            parsed.scenario_path = arg;
        } else {
            throw usage_error("unexpected argument '" + arg + "' (one scenario at a time)");
        }
    }
    if (!parsed.help && parsed.scenario_path.empty()) {
        throw usage_error("expected a SCENARIO file");
    }
    return parsed;
}

std::string percent(double fraction) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * fraction);
    return buffer;
}

std::string interval(const RatioEstimate& estimate) {
    if (std::isnan(estimate.standard_error)) {
        return "n/a (1 replicate)";
    }
    return percent(estimate.value - z_95 * estimate.standard_error) + " – " +
           percent(estimate.value + z_95 * estimate.standard_error);
}

// Per segment: its size, the posts, the share of (post, follower) pairs seen with a 95%
// interval, impressions per (post, follower) and followers reached per post.
void print_table(const Summary& summary, std::int64_t replicates) {
    std::printf("%-24s %9s %7s %8s  %-19s %12s %12s\n", "segment", "size", "posts", "seen",
                "95% interval", "impr/post/f", "reached/post");
    auto row = [](const std::string& name, std::int64_t size, std::int64_t posts,
                  const RatioEstimate& seen, double impressions, double reached) {
        std::printf("%-24s %9lld %7lld %8s  %-19s %12.3f %12.2f\n", name.c_str(),
                    static_cast<long long>(size), static_cast<long long>(posts),
                    percent(seen.value).c_str(), interval(seen).c_str(), impressions, reached);
    };
    std::int64_t size = 0;
    double impressions = 0;
    double pairs = 0;
    for (const auto& segment : summary.segments) {
        row(segment.name, segment.size, summary.posts, segment.seen_fraction,
            segment.impressions_per_post_follower, segment.mean_followers_reached);
        size += segment.size;
        const auto segment_pairs = static_cast<double>(segment.post_follower_pairs);
        impressions += segment.impressions_per_post_follower * segment_pairs;
        pairs += segment_pairs;
    }
    if (summary.segments.size() > 1) {
        row("all", size, summary.posts, summary.seen_fraction, impressions / pairs,
            summary.mean_followers_reached);
    }
    std::printf(
        "(posts over %lld replicates; seen = share of (post, follower) pairs; impr/post/f = "
        "impressions per post per follower; reached/post = followers who saw a post, mean)\n",
        static_cast<long long>(replicates));
}

// How the tracked posts were first seen, by channel, when anything came other than through
// sessions opening on the feed.
void print_channels(const Summary& summary) {
    double reach = 0;
    for (const double by_channel : summary.mean_reach_by_channel) {
        reach += by_channel;
    }
    const double feed = summary.mean_reach_by_channel[static_cast<std::size_t>(Channel::feed)];
    if (!(reach > 0) || feed == reach) {
        return;
    }
    std::printf("first views by channel:");
    for (std::size_t c = 0; c < channel_count; ++c) {
        std::printf("%s %s %s", c == 0 ? "" : ",", channel_names[c],
                    percent(summary.mean_reach_by_channel[c] / reach).c_str());
    }
    std::printf("\n");
}

std::string joined_command_line(int argc, char** argv) {
    std::string text;
    for (int i = 0; i < argc; ++i) {
        text += (i ? " " : "") + std::string(argv[i]);
    }
    return text;
}

std::string account_name(const World& world, AccountIndex account) {
    return world.original_ids.empty() ? std::to_string(account) : world.original_ids[account];
}

void print_top_accounts(const World& world, const AccountsTable& table, std::size_t shown) {
    std::vector<std::size_t> order;
    for (std::size_t a = 0; a < table.posts.size(); ++a) {
        if (table.posts[a] > 0) {
            order.push_back(a);
        }
    }
    shown = std::min(shown, order.size());
    std::partial_sort(
        order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown), order.end(),
        [&](std::size_t a, std::size_t b) {
            return table.mean_followers_reached[a] > table.mean_followers_reached[b] ||
                   (table.mean_followers_reached[a] == table.mean_followers_reached[b] && a < b);
        });
    std::printf("\nAccounts whose posts reach the most followers (mean per post):\n");
    std::printf("%-16s %10s %10s %8s %14s %8s\n", "account", "followers", "following", "posts",
                "reached/post", "seen");
    for (std::size_t i = 0; i < shown; ++i) {
        const std::size_t a = order[i];
        std::printf("%-16s %10u %10u %8llu %14.2f %8s\n",
                    account_name(world, static_cast<AccountIndex>(a)).c_str(), table.followers[a],
                    table.following[a], static_cast<unsigned long long>(table.posts[a]),
                    table.mean_followers_reached[a], percent(table.seen_fraction[a]).c_str());
    }
}

// Tracked authors who made no post during the run have nothing to measure: name them.
void print_silent_authors(const World& world, const TrackedAuthors& tracked) {
    std::string silent;
    std::size_t count = 0;
    for (std::size_t k = 0; k < tracked.account.size(); ++k) {
        if (tracked.posts[k] == 0) {
            silent += (count++ ? ", " : "") + account_name(world, tracked.account[k]);
        }
    }
    if (count > 0) {
        std::printf(
            "note: %zu of them made no posts during the run and are not in the figures: %s\n",
            count, silent.c_str());
    }
}

void print_retweets(const Summary& summary) {
    std::printf(
        "retweets: %.3f per post (deepest generation %u); reach per post %.2f with retweets "
        "(%.2f followers, %.2f beyond)\n",
        summary.mean_retweets, summary.deepest_generation, summary.mean_reach,
        summary.mean_followers_reached, summary.mean_reach - summary.mean_followers_reached);
}

void print_graph_run(const Scenario& scenario, const RunResult& result) {
    const Summary& summary = result.summary;
    const GraphSummary& graph = *summary.graph;
    std::printf(
        "graph: %llu accounts, %llu follows, reciprocity %.3f, mean followers %.1f (max %u); built "
        "in %.1f s\n",
        static_cast<unsigned long long>(graph.accounts),
        static_cast<unsigned long long>(graph.follows), graph.reciprocity, graph.followers.mean,
        graph.followers.max, result.build_seconds);
    std::printf("simulated %lld replicate(s): %.3g deliveries in %.1f s (%.3g deliveries/s)\n",
                static_cast<long long>(scenario.run.replicates),
                static_cast<double>(summary.deliveries), result.simulate_seconds,
                static_cast<double>(summary.deliveries) / result.simulate_seconds);
    if (!result.world.tracked_authors.empty()) {
        std::printf("\nTracked authors (%zu): their posts' seen fraction by follower segment\n",
                    result.world.tracked_authors.size());
        print_silent_authors(result.world, summary.tracked_authors);
        print_table(summary, scenario.run.replicates);
        print_channels(summary);
    }
    if (summary.accounts) {
        print_top_accounts(result.world, *summary.accounts, 10);
    }
}

// "42s", "3m05s", "1h02m".
std::string time_left(double seconds) {
    const auto whole = static_cast<long long>(std::ceil(seconds));
    char text[32];
    if (whole < 60) {
        std::snprintf(text, sizeof text, "%llds", whole);
    } else if (whole < 3600) {
        std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
    } else {
        std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole / 60 % 60);
    }
    return text;
}

// The progress line on stderr: phase, steps done of total, rate and time left, redrawn at most
// five times a second. Shown only on a terminal and without --quiet.
class TerminalProgress : public Progress {
  public:
    explicit TerminalProgress(bool quiet) : shown_(!quiet && isatty(STDERR_FILENO) != 0) {}

    Progress* if_shown() { return shown_ ? this : nullptr; }

    void start_phase(const std::string& phase, std::uint64_t steps,
                     const std::string& unit) override {
        const std::lock_guard lock(mutex_);
        phase_ = phase;
        steps_ = steps;
        unit_ = unit.empty() ? "" : " " + unit;
        done_ = 0;
        started_ = std::chrono::steady_clock::now();
        draw(true);
    }

    void step_done() override {
        const std::lock_guard lock(mutex_);
        ++done_;
        draw(done_ == steps_);
    }

    void advance_to(std::uint64_t steps_done) override {
        const std::lock_guard lock(mutex_);
        done_ = steps_done;
        draw(false);
    }

    // Clears the line, so that what is printed next starts clean.
    void finish() {
        if (shown_) {
            std::fprintf(stderr, "\r\033[K");
            std::fflush(stderr);
        }
    }

  private:
    void draw(bool now) {
        const auto time = std::chrono::steady_clock::now();
        if (!now && time - drawn_ < std::chrono::milliseconds(200)) {
            return;
        }
        drawn_ = time;
        const double elapsed = std::chrono::duration<double>(time - started_).count();
        std::string line = phase_;
        if (steps_ > 0) {
            line += ": " + std::to_string(done_) + " of " + std::to_string(steps_) + unit_;
            if (done_ > 0 && elapsed > 0) {
                const double rate = static_cast<double>(done_) / elapsed;
                char text[96];
                const double left = static_cast<double>(steps_ > done_ ? steps_ - done_ : 0) / rate;
                std::snprintf(text, sizeof text, " (%.3g%s/s, %s left)", rate, unit_.c_str(),
                              time_left(left).c_str());
                line += text;
            }
        } else {
            line += "...";  // steps unknown: the phase alone
        }
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
        std::fflush(stderr);
    }

    bool shown_;
    std::mutex mutex_;
    std::string phase_;
    std::string unit_;
    std::uint64_t steps_ = 0;
    std::uint64_t done_ = 0;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point drawn_;
};

// Per point: its settings, then the headline metrics with 95% intervals.
void print_sweep_table(const SweepPlan& plan, const SweepOutcome& outcome) {
    std::printf("%-6s %-40s %-24s %14s %-24s\n", "point", "settings", "seen per post (95%)",
                "reached/post", "weekly reach (95%)");
    for (std::size_t p = 0; p < plan.points.size(); ++p) {
        std::string settings;
        for (const auto& setting : plan.points[p].settings) {
            settings += (settings.empty() ? "" : ", ") + setting.key + "=" + setting.value;
        }
        const auto& headline = outcome.headlines[p];
        if (!headline) {
            std::printf("%-6zu %-40s not done\n", p, settings.c_str());
            continue;
        }
        auto with_interval = [](const RatioEstimate& estimate) {
            return percent(estimate.value) + " (" + interval(estimate) + ")";
        };
        std::printf("%-6zu %-40s %-24s %14.2f %-24s\n", p, settings.c_str(),
                    with_interval(headline->seen_fraction).c_str(),
                    headline->mean_followers_reached,
                    with_interval(headline->mean_weekly_reach).c_str());
    }
    std::printf(
        "(seen per post = share of (post, follower) pairs seen; weekly reach = share of followers "
        "who saw at least one post in a week, over the run's whole weeks)\n");
}

// The exit status for an error (see the top of this file), with its message on stderr when
// `print`; another MPI rank's failure is reported by that rank.
int report_error(const std::exception_ptr& error, bool print) {
    auto say = [&](const std::string& message) {
        if (print) {
            std::cerr << message;
        }
    };
    try {
        std::rethrow_exception(error);
#ifdef REACHSIM_MPI
    } catch (const other_rank_failed& failure) {
        return failure.exit_status();
#endif
    } catch (const usage_error& failure) {
        say("reachsim: " + std::string(failure.what()) + "\n(see 'reachsim --help')\n");
        return exit_bad_input;
    } catch (const input_error& failure) {
        say("reachsim: error: " + std::string(failure.what()) + "\n");
        return exit_bad_input;
    } catch (const output_error& failure) {
        say("reachsim: error: " + std::string(failure.what()) + "\n");
        return exit_failure;
    } catch (const std::exception& failure) {
        say("reachsim: internal error: " + std::string(failure.what()) + "\n");
        return exit_failure;
    }
}

// The sweep command once its options are read. `session`: this process's MPI rank, if built
// with MPI; only the reporting rank prints.
int sweep_with(const Arguments& arguments, const std::string& command_line, bool reporting,
               [[maybe_unused]] const void* session) {
    TerminalProgress progress(arguments.quiet || !reporting);
    std::atomic<bool> stop{false};
    const Execution execution{arguments.threads, arguments.memory_limit_bytes, progress.if_shown(),
                              &stop};
    const SweepPlan plan =
        plan_sweep(arguments.scenario_path, arguments.overrides, arguments.parameters, execution);
    request_stop_on_signals(stop);
    const SweepOptions options{execution, arguments.resume, command_line};
#ifdef REACHSIM_MPI
    const SweepOutcome outcome =
        run_sweep_on_ranks(plan, options, *static_cast<const MpiSession*>(session));
#else
    const SweepOutcome outcome = run_sweep(plan, options);
#endif
    progress.finish();
    if (!reporting) {
        return stop ? exit_interrupted : exit_success;
    }
    print_sweep_table(plan, outcome);
    if (!outcome.complete) {
        std::printf(
            "interrupted: %zu of %zu points done, written to %s; run the same command "
            "with --resume to finish\n",
            outcome.resumed + outcome.simulated, outcome.points, plan.output_path.c_str());
        return exit_interrupted;
    }
    const std::string resumed =
        outcome.resumed ? ", " + std::to_string(outcome.resumed) + " from before" : "";
    // Points that vary nothing of the graph share one (sweeps/sweep.cpp).
    const std::string graphs =
        outcome.graphs_built == 0
            ? ""
            : "; " + std::to_string(outcome.graphs_built) +
                  (outcome.graphs_built == 1 ? " graph built" : " graphs built");
    std::printf("wrote %s (%zu points%s%s)\n", plan.output_path.c_str(), outcome.points,
                resumed.c_str(), graphs.c_str());
    return exit_success;
}

int sweep(const std::vector<std::string>& args, const std::string& command_line) {
    const Arguments arguments = parse_arguments(args, Command::sweep);
    if (arguments.help) {
        std::cout << sweep_help;
        return exit_success;
    }
#ifdef REACHSIM_MPI
    const MpiSession session;
    const bool reporting = session.rank() == 0;
    try {
        return sweep_with(arguments, command_line, reporting, &session);
    } catch (...) {
        // A failure reaches every rank (each makes the same plan; run_sweep_on_ranks agrees on
        // errors). mpirun ends the job at the first non-zero exit, so rank 0 reports before any
        // rank leaves.
        const int status = report_error(std::current_exception(), reporting);
        session.barrier();
        return status;
    }
#else
    return sweep_with(arguments, command_line, true, nullptr);
#endif
}

void print_expected(const Model& model, const ExpectedRunResult& result) {
    const Expectation& expectation = result.expectation;
    const auto groups = expected_by_segment(model, result.world, expectation);
    std::printf("%-24s %9s %8s %12s %12s\n", "segment", "followers", "seen", "impr/post/f",
                "reached/post");
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (g + 1 == groups.size() && groups.size() == 2) {
            break;  // one segment: "all" says it again
        }
        const ExpectedGroup& group = groups[g];
        std::printf("%-24s %9lld %8s %12.3f %12.2f\n", group.name.c_str(),
                    static_cast<long long>(group.size), percent(group.seen_fraction).c_str(),
                    group.impressions_per_post_follower, group.mean_followers_reached);
    }
    for (const ExpectedAuthor& author : expectation.authors) {
        const double reached = author.followers_reached_per_post();
        std::printf("author %s: %.2f posts, %zu followers, %.2f followers reached per post (%s)\n",
                    account_name(result.world, author.account).c_str(), author.posts,
                    author.followers.size(), reached,
                    percent(reached / static_cast<double>(author.followers.size())).c_str());
    }
    std::printf(
        "(expected values, computed in %.2f s after %.2f s building the world: posts = the "
        "author's posts made in the run; seen = share of (post, follower) pairs; impr/post/f = "
        "impressions per post per follower; reached/post = followers who see a post)\n",
        result.expect_seconds, result.build_seconds);
    if (!model.is_star() && model.track.all_accounts) {
        std::printf(
            "note: expected values cover the tracked authors' followers; the row per account "
            "that track.all_accounts asks for is written by sampled runs only\n");
    }
}

int run(const std::vector<std::string>& args, const std::string& command_line) {
    const Arguments arguments = parse_arguments(args, Command::run);
    if (arguments.help) {
        std::cout << run_help;
        return exit_success;
    }
    const Scenario scenario = load_scenario(arguments.scenario_path, arguments.overrides);
    if (!scenario.sweep.empty()) {
        throw usage_error(arguments.scenario_path +
                          " has a [sweep] table: run it with 'reachsim sweep', or set single "
                          "values with --set");
    }
    remove_partial_output_on_signals();
    TerminalProgress progress(arguments.quiet);
    if (arguments.expected) {
        const ExpectedRunResult result = run_expected(
            scenario,
            {arguments.threads, arguments.memory_limit_bytes, progress.if_shown(), nullptr},
            command_line);
        progress.finish();
        print_expected(scenario.model, result);
        std::printf("wrote %s\n", scenario.run.output_path.c_str());
        return exit_success;
    }
    const RunResult result = run_scenario(
        scenario, {arguments.threads, arguments.memory_limit_bytes, progress.if_shown(), nullptr},
        command_line);
    progress.finish();
    if (scenario.model.is_star()) {
        print_table(result.summary, scenario.run.replicates);
        print_channels(result.summary);
    } else {
        print_graph_run(scenario, result);
    }
    if (scenario.model.retweets) {
        print_retweets(result.summary);
    }
    if (result.summary.unresolved_pairs > 0) {
        std::printf(
            "note: %llu (post, follower) pairs were still unseen but within scroll reach when "
            "simulation.follow_up ended; a longer follow_up would settle them\n",
            static_cast<unsigned long long>(result.summary.unresolved_pairs));
    }
    std::printf("memory: estimated peak %s\n", format_bytes(result.memory.peak_bytes()).c_str());
    std::printf("wrote %s\n", scenario.run.output_path.c_str());
    return exit_success;
}

void print_keys() {
    std::printf("Scenario keys (docs/scenarios.md says what each means, its unit and default):\n");
    for (const auto& key : scenario_keys()) {
        std::printf("  %s\n", key.c_str());
    }
    std::printf("A distribution is a number, or a table with the keys:");
    for (const auto& key : distribution_table_keys()) {
        std::printf(" %s", key.c_str());
    }
    std::printf("\n");
}

int validate(const std::vector<std::string>& args) {
    const Arguments arguments = parse_arguments(args, Command::validate);
    if (arguments.help) {
        std::cout << validate_help;
        return exit_success;
    }
    const Scenario scenario = load_scenario(arguments.scenario_path, arguments.overrides);
    const Execution execution{arguments.threads, arguments.memory_limit_bytes, nullptr, nullptr};
    validate_scenario(scenario, execution);
    std::string points;
    if (!scenario.sweep.empty()) {  // every point, as `sweep` checks them before running
        const SweepPlan plan =
            plan_sweep(arguments.scenario_path, arguments.overrides, {}, execution);
        points = ", a sweep of " + std::to_string(plan.points.size()) + " points";
    }
    const Model& model = scenario.model;
    std::string audience;
    if (model.is_star()) {
        std::int64_t followers = 0;
        for (const auto& segment : model.segments) {
            followers += segment.count;
        }
        audience = std::to_string(followers) + " followers of one author";
    } else {
        audience = "a graph";
    }
    std::printf("%s: valid — %s in %zu segment(s), %s from %s, %lld replicates%s\n",
                arguments.scenario_path.c_str(), audience.c_str(), model.segments.size(),
                format_duration(model.duration_seconds).c_str(),
                format_utc_instant(model.start_unix_seconds).c_str(),
                static_cast<long long>(scenario.run.replicates), points.c_str());
    return exit_success;
}

int main_with_errors(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "help" && args[1] == "keys") {
            print_keys();
            return exit_success;
        }
        if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
            std::cout << main_help;
            return args.empty() ? exit_bad_input : exit_success;
        }
        if (args[0] == "--version") {
#ifdef REACHSIM_MPI
            std::printf("reachsim %s (%s) with MPI\n", reachsim_version, reachsim_git_commit);
#else
            std::printf("reachsim %s (%s)\n", reachsim_version, reachsim_git_commit);
#endif
            return exit_success;
        }
        const std::vector<std::string> rest(args.begin() + 1, args.end());
        if (args[0] == "run") {
            return run(rest, joined_command_line(argc, argv));
        }
        if (args[0] == "sweep") {
            return sweep(rest, joined_command_line(argc, argv));
        }
        if (args[0] == "validate") {
            return validate(rest);
        }
        throw usage_error("unknown command '" + args[0] + "' (expected run, sweep or validate)");
    } catch (...) {
        return report_error(std::current_exception(), true);
    }
}

}  // namespace
}  // namespace reachsim

int main(int argc, char** argv) {
    return reachsim::main_with_errors(argc, argv);
}
