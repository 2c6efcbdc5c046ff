// Which sanitizer a build runs under, for code that must step aside for one: GCC says so with
// __SANITIZE_*__, Clang with __has_feature.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define REACHSIM_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define REACHSIM_THREAD_SANITIZER 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#define REACHSIM_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REACHSIM_ADDRESS_SANITIZER 1
#endif
#endif
