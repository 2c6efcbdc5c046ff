// Sweeps over MPI ranks (built with -DREACHSIM_MPI=ON; run under mpirun or srun). Rank 0 prepares
// OUTPUT.parts/ on a file system all ranks share; the (point, replicate) pairs still to run are
// dealt out to the ranks, each simulating its replicates of a point on its own threads; the
// point's owner gathers the records, summarises and writes the point; rank 0 then assembles the
// sweep file. A replicate's record does not depend on where it ran, so the file holds the same data
// as a serial sweep's.
#pragma once

#include <stdexcept>

#include "sweeps/sweep.hpp"

namespace reachsim {

// MPI for the life of a command: initialised on construction, finalised on destruction.
class MpiSession {
  public:
    MpiSession();
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    [[nodiscard]] int rank() const { return rank_; }
    [[nodiscard]] int ranks() const { return ranks_; }
    void barrier() const;

  private:
    int rank_ = 0;
    int ranks_ = 1;
};

// Another rank failed (and reports why): this one stops with the given exit status.
class other_rank_failed : public std::runtime_error {
  public:
    explicit other_rank_failed(int exit_status)
        : std::runtime_error("another rank failed"), exit_status_(exit_status) {}
    [[nodiscard]] int exit_status() const { return exit_status_; }

  private:
    int exit_status_;
};

// run_sweep over the session's ranks. Rank 0 returns the outcome; the others return an outcome
// with only their own points counted. Every rank must call it.
SweepOutcome run_sweep_on_ranks(const SweepPlan& plan, const SweepOptions& options,
                                const MpiSession& session);

}  // namespace reachsim
