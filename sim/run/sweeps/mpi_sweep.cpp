#include "sweeps/mpi_sweep.hpp"

#include <mpi.h>

#include <exception>

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

}  // namespace

MpiSession::MpiSession() {
    MPI_Init(nullptr, nullptr);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
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
    const std::size_t missing = points_to_run(plan, 0, 1).size();
    const auto mine = points_to_run(plan, session.rank(), session.ranks());
    MPI_Barrier(MPI_COMM_WORLD);
    SweepOutcome outcome;
    agree([&] { outcome.simulated = run_points(plan, mine, options); });
    agree([&] {
        if (first) {
            outcome = finish_sweep(plan, options, plan.points.size() - missing);
        }
    });
    return outcome;
}

}  // namespace reachsim
