// Selection without data-dependent branches: std::nth_element's contract, for the counted feed's
// split of a gap's items around a threshold. std::nth_element partitions with branches on each
// comparison, which a random order mispredicts about every other element (perf: its partition
// loop was most of the split's time); this one moves every element whatever the comparison says
// and advances by the comparison's value, so a comparison that compiles to flags, not branches,
// keeps the loop free of mispredictions.
#pragma once

#include <cstddef>
#include <utility>

namespace reachsim {

// Rearranges [first, last) so that *nth is the element that would be there if the range were
// sorted by `before`, every element before nth is not after it and every element after it is not
// before it. `before` is a strict weak ordering. Meant for distinct elements: it stays correct
// with ties, but many equal elements make it quadratic (Lomuto's partition does not split them).
template <typename T, typename Before>
void select_nth(T* first, T* nth, T* last, Before before) {
    // Below this, an insertion sort costs less than another partition.
    constexpr std::ptrdiff_t small = 16;
    if (nth == last) {
        return;
    }
    while (last - first > small) {
        // The median of the first, middle and last as the pivot, moved to the end.
        T* low = first;
        T* middle = first + (last - first) / 2;
        T* high = last - 1;
        if (before(*middle, *low)) {
            std::swap(low, middle);
        }
        if (before(*high, *middle)) {
            middle = before(*high, *low) ? low : high;
        }
        std::swap(*middle, last[-1]);
        const T pivot = last[-1];
        // Lomuto's partition, branch-free: each element is swapped with the first not before the
        // pivot, and that boundary moves on only if the element is before it.
        T* boundary = first;
        for (T* element = first; element != last - 1; ++element) {
            const T value = *element;
            const bool goes_before = before(value, pivot);
            *element = *boundary;
            *boundary = value;
            boundary += goes_before ? 1 : 0;
        }
        std::swap(*boundary, last[-1]);  // the pivot at its sorted place
        if (nth == boundary) {
            return;
        }
        if (nth < boundary) {
            last = boundary;
        } else {
            first = boundary + 1;
        }
    }
    for (T* next = first + 1; next < last; ++next) {
        T value = std::move(*next);
        T* place = next;
        for (; place != first && before(value, place[-1]); --place) {
            *place = std::move(place[-1]);
        }
        *place = std::move(value);
    }
}

}  // namespace reachsim
