// Whole Philox blocks several at a time: the same numbers as Random123's one block at a time
// (tests/random/random_stream_test.cpp checks them word for word), so nothing drawn changes.
#include "random/random_stream.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/processor.hpp"

namespace reachsim {

void RandomStream::blocks_portable(const r123::Philox4x32::key_type& key,
                                   r123::Philox4x32::ctr_type counter, std::size_t count,
                                   result_type* out) {
    const Philox philox;
    for (std::size_t b = 0; b < count; ++b, ++counter.v[0]) {
        const auto block = philox(counter, key);
        std::copy(block.v, block.v + 4, out + 4 * b);
    }
}

#if defined(__x86_64__)

namespace {

// The masked forms with every lane selected: the same instructions, but GCC 12's unmasked
// intrinsics read an "undefined" vector that -Wuninitialized flags inside a target("avx512f")
// function.
constexpr __mmask8 every_lane = 0xFF;
__attribute__((target("avx512f"))) __m512i mul_low_words(__m512i a, __m512i b) {
    return _mm512_maskz_mul_epu32(every_lane, a, b);
}
__attribute__((target("avx512f"))) __m512i high_words(__m512i a) {
    return _mm512_maskz_srli_epi64(every_lane, a, 32);
}
__attribute__((target("avx512f"))) __m512i to_high_words(__m512i a) {
    return _mm512_maskz_slli_epi64(every_lane, a, 32);
}

// Eight blocks, word k of each in vector k (one block per 64-bit lane), stored in block order:
// words 0 and 1 of a block joined in one 64-bit lane, words 2 and 3 in another, then the lanes
// interleaved.
__attribute__((target("avx512f"))) void store_eight_blocks(__m512i w0, __m512i w1, __m512i w2,
                                                           __m512i w3, std::uint32_t* to) {
    const __m512i first_blocks = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i last_blocks = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    const __m512i w01 = _mm512_or_si512(w0, to_high_words(w1));
    const __m512i w23 = _mm512_or_si512(w2, to_high_words(w3));
    _mm512_storeu_si512(to, _mm512_permutex2var_epi64(w01, first_blocks, w23));
    _mm512_storeu_si512(to + 16, _mm512_permutex2var_epi64(w01, last_blocks, w23));
}

// Sixteen blocks: two sets of eight, one block per 64-bit lane and one vector per word of the
// block, so that each round's 32 x 32 -> 64-bit products are single instructions
// (vpmuludq) and the two sets' dependency chains interleave.
__attribute__((target("avx512f"))) void sixteen_blocks_avx512(
    const r123::Philox4x32::key_type& key, const r123::Philox4x32::ctr_type& counter,
    std::uint32_t first, std::uint32_t* out) {
    const __m512i low_words = _mm512_set1_epi64(0xFFFFFFFF);
    const __m512i multiplier_0 = _mm512_set1_epi64(PHILOX_M4x32_0);
    const __m512i multiplier_1 = _mm512_set1_epi64(PHILOX_M4x32_1);
    // The counter's first word wraps at 2^32, as ++ does in the scalar stream.
    const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    __m512i a0 = _mm512_and_si512(_mm512_add_epi64(_mm512_set1_epi64(first), lanes), low_words);
    __m512i b0 = _mm512_and_si512(
        _mm512_add_epi64(_mm512_set1_epi64(std::int64_t{first} + 8), lanes), low_words);
    __m512i a1 = _mm512_set1_epi64(counter.v[1]);
    __m512i a2 = _mm512_set1_epi64(counter.v[2]);
    __m512i a3 = _mm512_set1_epi64(counter.v[3]);
    __m512i b1 = a1;
    __m512i b2 = a2;
    __m512i b3 = a3;
    std::uint32_t key_0 = key.v[0];
    std::uint32_t key_1 = key.v[1];
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            key_0 += PHILOX_W32_0;
            key_1 += PHILOX_W32_1;
        }
        const __m512i k0 = _mm512_set1_epi64(key_0);
        const __m512i k1 = _mm512_set1_epi64(key_1);
        const __m512i pa0 = mul_low_words(multiplier_0, a0);
        const __m512i pa1 = mul_low_words(multiplier_1, a2);
        const __m512i pb0 = mul_low_words(multiplier_0, b0);
        const __m512i pb1 = mul_low_words(multiplier_1, b2);
        a0 = _mm512_xor_si512(_mm512_xor_si512(high_words(pa1), a1), k0);
        a2 = _mm512_xor_si512(_mm512_xor_si512(high_words(pa0), a3), k1);
        a1 = _mm512_and_si512(pa1, low_words);
        a3 = _mm512_and_si512(pa0, low_words);
        b0 = _mm512_xor_si512(_mm512_xor_si512(high_words(pb1), b1), k0);
        b2 = _mm512_xor_si512(_mm512_xor_si512(high_words(pb0), b3), k1);
        b1 = _mm512_and_si512(pb1, low_words);
        b3 = _mm512_and_si512(pb0, low_words);
    }
    store_eight_blocks(a0, a1, a2, a3, out);
    store_eight_blocks(b0, b1, b2, b3, out + 32);
}

}  // namespace

bool RandomStream::blocks_avx512(const r123::Philox4x32::key_type& key,
                                 r123::Philox4x32::ctr_type counter, std::size_t count,
                                 result_type* out) {
    if (!processor_has_avx512()) {
        return false;
    }
    constexpr std::size_t per_call = 16;
    for (; count >= per_call; count -= per_call, out += 4 * per_call) {
        sixteen_blocks_avx512(key, counter, counter.v[0], out);
        counter.v[0] += per_call;
    }
    if (count > 0) {
        std::uint32_t rest[4 * per_call];
        sixteen_blocks_avx512(key, counter, counter.v[0], rest);
        std::memcpy(out, rest, 4 * count * sizeof(result_type));
    }
    return true;
}

#else

bool RandomStream::blocks_avx512(const r123::Philox4x32::key_type&, r123::Philox4x32::ctr_type,
                                 std::size_t, result_type*) {
    return false;
}

#endif

void RandomStream::fill(std::span<result_type> draws) {
    std::size_t done = 0;
    while (done < draws.size() && next_ < block_.size()) {
        draws[done++] = block_.v[next_++];
    }
    const std::size_t whole = (draws.size() - done) / block_.size();
    if (whole > 0) {
        if (!blocks_avx512(key_, counter_, whole, draws.data() + done)) {
            blocks_portable(key_, counter_, whole, draws.data() + done);
        }
        counter_.v[0] += static_cast<std::uint32_t>(whole);
        done += whole * block_.size();
    }
    while (done < draws.size()) {
        draws[done++] = (*this)();
    }
}

}  // namespace reachsim
