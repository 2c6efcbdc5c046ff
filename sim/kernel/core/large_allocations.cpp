// The program's global operator new and delete: allocations of 4 MiB or more ask the kernel for
// 2 MiB pages (transparent huge pages, which this machine kind grants on request only:
// `madvise` mode). The first touch of a page is the cost: on these VMs a 4 KiB page fault takes
// about 11 us (0.35 GB/s of new memory on one thread), a 2 MiB one about as long as zeroing it
// (16 GB/s), and every large array — follows, post times, counters — is new memory.
// docs/performance.md, "New memory on huge pages". Built into each executable (an object
// library: replacement functions must be in the program itself, not found in an archive), and
// left out of sanitizer builds, whose runtimes replace operator new themselves.
#include <cstdint>
#include <cstdlib>
#include <new>

#include "core/sanitizers.hpp"

#if defined(__linux__) && !defined(REACHSIM_ADDRESS_SANITIZER) && \
    !defined(REACHSIM_THREAD_SANITIZER)
#include <sys/mman.h>

namespace {

constexpr std::uintptr_t huge_page_bytes = std::uintptr_t{1} << 21;
// Smaller blocks come from malloc's heap, mostly touched already, and could not hold a whole
// aligned huge page anyway.
constexpr std::size_t advised_from_bytes = 2 * huge_page_bytes;

void* allocate(std::size_t bytes) {
    void* block = std::malloc(bytes == 0 ? 1 : bytes);
    if (block != nullptr && bytes >= advised_from_bytes) {
        // Only the huge pages wholly inside the block: a hint must not reach past it.
        const auto begin = reinterpret_cast<std::uintptr_t>(block);
        const std::uintptr_t first = (begin + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
        const std::uintptr_t last = (begin + bytes) & ~(huge_page_bytes - 1);
        if (last > first) {
            madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
        }
    }
    return block;
}

}  // namespace

void* operator new(std::size_t bytes) {
    while (true) {
        if (void* block = allocate(bytes)) {
            return block;
        }
        const std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) {
            throw std::bad_alloc();
        }
        handler();
    }
}

void* operator new(std::size_t bytes, const std::nothrow_t&) noexcept {
    try {
        return ::operator new(bytes);
    } catch (...) {
        return nullptr;
    }
}

void* operator new[](std::size_t bytes) {
    return ::operator new(bytes);
}

void* operator new[](std::size_t bytes, const std::nothrow_t& tag) noexcept {
    return ::operator new(bytes, tag);
}

void operator delete(void* block) noexcept {
    std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
    std::free(block);
}
void operator delete(void* block, const std::nothrow_t&) noexcept {
    std::free(block);
}
void operator delete[](void* block) noexcept {
    std::free(block);
}
void operator delete[](void* block, std::size_t) noexcept {
    std::free(block);
}
void operator delete[](void* block, const std::nothrow_t&) noexcept {
    std::free(block);
}

#endif
