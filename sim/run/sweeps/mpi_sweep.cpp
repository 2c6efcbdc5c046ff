#include "sweeps/mpi_sweep.hpp"

#include <mpi.h>

#include <tbb/task_arena.h>

#include <cstring>
#include <exception>
#include <memory>
#include <type_traits>
#include <vector>

#include "metrics/summary.hpp"

namespace reachsim {
namespace {

constexpr int ok = 0;
constexpr int bad_input = 2;
constexpr int failed = 1;

// Runs `step` (on this rank), then agrees with every rank on the worst status: a rank whose step
// threw rethrows it, the others throw other_rank_failed — so no rank waits for one that stopped.
template <typename Step>
void agree(Step step) {
    int status = ok;
    std::exception_ptr error;
    try {
        step();
    } catch (const input_error&) {
        status = bad_input;
        error = std::current_exception();
    } catch (...) {
        status = failed;
        error = std::current_exception();
    }
    int worst = ok;
    MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (error) {
        std::rethrow_exception(error);
    }
    if (worst != ok) {
        throw other_rank_failed(worst);
    }
}

// A replicate's record as bytes, to send to the rank that summarises its point. Records are
// vectors of plain values (and vectors of those), written field by field in a fixed order.
class Bytes {
  public:
    template <typename T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* first = reinterpret_cast<const char*>(&value);
        data.insert(data.end(), first, first + sizeof(T));
    }
    template <typename T>
    void put(const std::vector<T>& values) {
        put(values.size());
        if constexpr (std::is_trivially_copyable_v<T>) {
            const auto* first = reinterpret_cast<const char*>(values.data());
            data.insert(data.end(), first, first + values.size() * sizeof(T));
        } else {
            for (const auto& value : values) {
                put(value);
            }
        }
    }
    template <typename T>
    void get(T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::memcpy(&value, data.data() + read, sizeof(T));
        read += sizeof(T);
    }
    template <typename T>
    void get(std::vector<T>& values) {
        std::size_t size = 0;
        get(size);
        values.resize(size);
        if constexpr (std::is_trivially_copyable_v<T>) {
            std::memcpy(values.data(), data.data() + read, size * sizeof(T));
            read += size * sizeof(T);
        } else {
            for (auto& value : values) {
                get(value);
            }
        }
    }

    std::vector<char> data;
    std::size_t read = 0;
};

// Every field of a record, in one order for writing and reading.
template <typename Record, typename Visit>
void for_each_field(Record& record, Visit&& visit) {
    visit(record.replicate);
    visit(record.posts);
    visit(record.reached_by_segment);
    visit(record.follower_posts_seen);
    visit(record.follower_impressions);
    visit(record.post_day);
    visit(record.day_words);
    visit(record.follower_days_reached);
    visit(record.account_posts);
    visit(record.account_followers_reached);
    visit(record.account_impressions);
    visit(record.account_reach);
    visit(record.account_retweets);
    visit(record.cascade_rows);
    visit(record.first_views);
    visit(record.unfollows_by_tracked_author);
    visit(record.account_unfollows);
    visit(record.deliveries);
    visit(record.unresolved_pairs);
}

void put_record(Bytes& bytes, const ReplicateRecord& record) {
    for_each_field(record, [&](const auto& field) { bytes.put(field); });
    bytes.put(record.first_view_age.bins_of_all_groups());
}

ReplicateRecord get_record(Bytes& bytes) {
    ReplicateRecord record;
    for_each_field(record, [&](auto& field) { bytes.get(field); });
    std::vector<std::int64_t> bins;
    bytes.get(bins);
    record.first_view_age = LogHistogram::from_bins(std::move(bins));
    return record;
}

// Ranks share the (point, replicate) pairs still to run: the u-th pair of the sweep goes to rank
// u mod ranks. A point is summarised and written by its owner, which gathers the others' records.
struct Share {
    std::vector<std::uint32_t> replicates;  // this rank's, of one point
    int owner = 0;
};

Share share_of(std::size_t index, std::int64_t replicates, int rank, int ranks) {
    Share share;
    share.owner = static_cast<int>(index % static_cast<std::size_t>(ranks));
    for (std::int64_t r = 0; r < replicates; ++r) {
        const auto unit =
            index * static_cast<std::size_t>(replicates) + static_cast<std::size_t>(r);
        if (static_cast<int>(unit % static_cast<std::size_t>(ranks)) == rank) {
            share.replicates.push_back(static_cast<std::uint32_t>(r));
        }
    }
    return share;
}

}  // namespace

MpiSession::MpiSession() {
    MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
}

void MpiSession::barrier() const {
    MPI_Barrier(MPI_COMM_WORLD);
}

MpiSession::~MpiSession() {
    MPI_Finalize();
}

SweepOutcome run_sweep_on_ranks(const SweepPlan& plan, const SweepOptions& options,
                                const MpiSession& session) {
    const bool first = session.rank() == 0;
    agree([&] {
        if (first) {
            prepare_sweep_folder(plan, options.resume);
        }
    });
    // Every rank reads the folder as rank 0 left it, and only then does any rank add to it.
    const std::vector<std::size_t> missing = points_to_run(plan);
    MPI_Barrier(MPI_COMM_WORLD);
    Execution inner = options.execution;
    inner.progress = nullptr;
    tbb::task_arena arena(threads_to_use(inner));
    GraphReuse reuse;
    agree([&] {
        // Point by point, so that a rank holds one point's world at a time. Sends are left in
        // flight (their buffers kept) so that no rank waits for an owner still simulating.
        std::vector<MPI_Request> requests;
        std::vector<std::unique_ptr<Bytes>> buffers;
        Progress* progress = options.execution.progress;  // rank 0's, if shown
        if (progress) {
            progress->start_phase("sweep points", missing.size(), "points");
        }
        for (std::size_t index = 0; index < missing.size(); ++index) {
            if (progress && index > 0) {
                progress->step_done();
            }
            const SweepPoint& point = plan.points[missing[index]];
            const std::int64_t replicates = point.scenario.run.replicates;
            const Share mine = share_of(index, replicates, session.rank(), session.ranks());
            const bool owner = mine.owner == session.rank();
            if (mine.replicates.empty() && !owner) {
                continue;
            }
            RunResult result;
            bool complete = true;
            try {
                World* earlier = reuse.for_point(point.scenario);
                result = arena.execute([&] {
                    return simulate_replicates(point.scenario, inner, mine.replicates, earlier);
                });
            } catch (const interrupted&) {
                complete = false;  // the owner leaves the point to a resumed sweep
            }
            if (!owner) {
                auto bytes = std::make_unique<Bytes>();
                bytes->put(std::uint8_t{complete});
                if (complete) {
                    for (const std::uint32_t r : mine.replicates) {
                        put_record(*bytes, result.records[r]);
                    }
                }
                requests.emplace_back();
                MPI_Isend(bytes->data.data(), static_cast<int>(bytes->data.size()), MPI_BYTE,
                          mine.owner, static_cast<int>(index), MPI_COMM_WORLD, &requests.back());
                buffers.push_back(std::move(bytes));
                if (complete) {
                    reuse.keep(result.world, point.scenario);
                }
                continue;
            }
            for (int rank = 0; rank < session.ranks(); ++rank) {
                if (rank == session.rank() ||
                    share_of(index, replicates, rank, session.ranks()).replicates.empty()) {
                    continue;
                }
                MPI_Status status;
                MPI_Probe(rank, static_cast<int>(index), MPI_COMM_WORLD, &status);
                int size = 0;
                MPI_Get_count(&status, MPI_BYTE, &size);
                Bytes bytes;
                bytes.data.resize(static_cast<std::size_t>(size));
                MPI_Recv(bytes.data.data(), size, MPI_BYTE, rank, static_cast<int>(index),
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                std::uint8_t theirs_complete = 0;
                bytes.get(theirs_complete);
                complete = complete && theirs_complete != 0;
                if (complete) {
                    for (const std::uint32_t r :
                         share_of(index, replicates, rank, session.ranks()).replicates) {
                        result.records[r] = get_record(bytes);
                    }
                }
            }
            if (complete) {
                result.summary = summarise(point.scenario.model, result.world, result.records);
                write_point(plan, missing[index], result, options.command_line);
            }
            if (complete) {
                reuse.keep(result.world, point.scenario);
            }
        }
        if (progress && !missing.empty()) {
            progress->step_done();
        }
        if (!requests.empty()) {
            MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
        }
    });
    SweepOutcome outcome;
    agree([&] {
        if (first) {
            outcome = finish_sweep(plan, options, plan.points.size() - missing.size());
            outcome.graphs_built = reuse.graphs_built();
        }
    });
    return outcome;
}

}  // namespace reachsim
