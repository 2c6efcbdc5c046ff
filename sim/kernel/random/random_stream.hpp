// Counter-based random streams keyed by what they decide: (seed, replicate, stream kind, entity).
// Any thread that asks for the stream of follower 17 in replicate 3 gets the same numbers, so
// results do not depend on how work is split between threads.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include <Random123/philox.h>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

namespace reachsim {

// What a stream decides. Values are part of the output contract (same seed, same results):
// append new kinds, never renumber.
enum class StreamKind : std::uint32_t {
    author_posts = 1,          // when an author posts
    follower_activity = 2,     // a follower's sessions, feed arrivals and scroll depths
    graph_generation = 3,      // a generated graph: one account's follows
    graph_reciprocity = 4,     // a generated graph: which follows are returned
    account_parameters = 5,    // an account's rates and depth drawn from its segment
    segment_assignment = 6,    // which accounts belong to which segment
    tracking_selection = 7,    // "random:N" tracked authors
    post_appeal = 8,           // a post's appeal (retweetability)
    retweet_decisions = 9,     // an account's retweet decisions and delays
    retweet_audience = 10,     // a star: one follower of a retweeter (background, depth)
    session_times = 11,        // an account's sessions and their scroll depths, one day a substream
    audience_sessions = 12,    // a star: sessions of one follower of a retweeter
    notified_pairs = 13,       // which (follower, author) pairs notify (pair streams, below)
    notification_delays = 14,  // a pair's reaction delays to notifications
    profile_visits = 15,       // a pair's visits to the author's profile
    attention = 16,            // what an account notices, and whom it unfollows
};

struct StreamKey {
    std::uint64_t seed = 0;
    std::uint32_t replicate = 0;
    StreamKind kind = StreamKind::author_posts;
    std::uint32_t entity = 0;     // account index, or 0 for streams of the whole replicate
    std::uint32_t substream = 0;  // below 2^24: e.g. the day of a session stream
};

// The stream of a (follower, author) pair: the author takes the replicate's place in the counter
// and the replicate the substream's (replicates are below 2^24), so a pair has a stream of its own
// in every replicate whichever scheduler, thread or order meets it.
inline StreamKey pair_stream_key(std::uint64_t seed, std::uint32_t replicate, StreamKind kind,
                                 std::uint32_t follower, std::uint32_t author) {
    return {seed, author, kind, follower, replicate};
}

// Philox4x32-10 in counter mode: key = seed, counter = (block, entity, replicate, kind +
// 256 x substream).
// Satisfies UniformRandomBitGenerator so Boost.Random distributions can draw from it.
class RandomStream {
  public:
    using result_type = std::uint32_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

    explicit RandomStream(const StreamKey& key) {
        key_ = {{static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)}};
        counter_ = {{0, key.entity, key.replicate,
                     static_cast<std::uint32_t>(key.kind) | (key.substream << 8)}};
    }

    result_type operator()() {
        if (next_ == block_.size()) {
            block_ = philox_(counter_, key_);
            ++counter_.v[0];  // 2^32 blocks of 4 draws per stream: far more than any stream uses
            next_ = 0;
        }
        return block_.v[next_++];
    }

    // The next draws.size() draws, the very numbers operator() would give one by one; the whole
    // blocks among them are computed several at a time (random_stream.cpp), which is what a
    // generator drawing a row of followees at once gains from.
    void fill(std::span<result_type> draws);

    // 32-bit draws taken so far; discard(n) skips n draws, as if they had been taken: a stream
    // set up again can skip to where an earlier pass over it stopped, without drawing again.
    [[nodiscard]] std::uint64_t draws_taken() const {
        return std::uint64_t{counter_.v[0]} * block_.size() - (block_.size() - next_);
    }
    void discard(std::uint64_t draws) {
        const std::size_t left_in_block = block_.size() - next_;
        if (draws <= left_in_block) {
            next_ += static_cast<std::size_t>(draws);
            return;
        }
        draws -= left_in_block;
        counter_.v[0] += static_cast<std::uint32_t>(draws / block_.size());
        next_ = block_.size();
        if (const auto rest = static_cast<std::size_t>(draws % block_.size()); rest != 0) {
            (*this)();  // computes the block
            next_ = rest;
        }
    }

    // Uniform on the open interval (0, 1) with 53 random bits.
    double uniform_open01() {
        const std::uint64_t high = (*this)() >> 5;  // 27 bits
        const std::uint64_t low = (*this)() >> 6;   // 26 bits
        return (static_cast<double>((high << 26) | low) + 0.5) * 0x1p-53;
    }

    // Uniform on [low, high).
    double uniform(double low, double high) { return low + (high - low) * uniform_open01(); }

    // Exponential with mean 1 (Boost's ziggurat: a logarithm only in the rare tail).
    double standard_exponential() {
        return boost::random::exponential_distribution<double>(1.0)(*this);
    }

    // Standard normal (Boost's ziggurat, like the exponential: Box-Muller's logarithm, square root
    // and cosine for every draw were most of the cost of an account's lognormal parameters).
    double standard_normal() { return boost::random::normal_distribution<double>(0.0, 1.0)(*this); }

    // 64 random bits: two draws, the first the high half (in two statements: the operands of |
    // are not sequenced).
    std::uint64_t bits64() {
        const result_type high = (*this)();
        return join(high, (*this)());
    }
    // Two draws as bits64() joins them, for draws taken by fill().
    static std::uint64_t join(result_type high, result_type low) {
        return (std::uint64_t{high} << 32) | low;
    }

    // Uniform integer in [0, n), n >= 1 (multiply-shift on 64 random bits; bias < n / 2^64).
    std::uint64_t below(std::uint64_t n) {
        __extension__ using uint128 = unsigned __int128;
        return static_cast<std::uint64_t>((static_cast<uint128>(bits64()) * n) >> 64);
    }

    // Poisson count with the given mean (0 for a mean of 0).
    std::int64_t poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        return boost::random::poisson_distribution<std::int64_t, double>(mean)(*this);
    }

    // Failures before the first success of trials that each succeed with probability p, given as
    // log_failure = log(1 - p) < 0, which callers drawing many compute once: geometric on
    // {0, 1, ...}, as floor(E / -log(1 - p)) for a standard exponential E, since
    // P(E >= -k log(1 - p)) = (1 - p)^k. One ziggurat draw, no logarithm. Capped at 2^62.
    double geometric_failures(double log_failure) {
        return std::min(std::floor(standard_exponential() / -log_failure), 0x1p62);
    }

    // Geometric on {1, 2, ...} with the given mean (>= 1).
    std::int64_t geometric(double mean) {
        if (mean <= 1.0) {
            return 1;
        }
        return 1 + static_cast<std::int64_t>(geometric_failures(std::log1p(-1.0 / mean)));
    }

    // Philox blocks `first`, `first` + 1, ... (the counter's first word; the rest of `counter` and
    // `key` fixed), `count` of them, four words each, into `out`: the scalar reference and, where
    // the processor has them, AVX-512 instructions (sixteen blocks at a time). For the tests.
    static void blocks_portable(const r123::Philox4x32::key_type& key,
                                r123::Philox4x32::ctr_type counter, std::size_t count,
                                result_type* out);
    static bool blocks_avx512(const r123::Philox4x32::key_type& key,
                              r123::Philox4x32::ctr_type counter, std::size_t count,
                              result_type* out);  // false: not on this processor

  private:
    using Philox = r123::Philox4x32;
    Philox philox_;
    Philox::key_type key_{};
    Philox::ctr_type counter_{};
    Philox::ctr_type block_{};
    std::size_t next_ = 4;
};

}  // namespace reachsim
