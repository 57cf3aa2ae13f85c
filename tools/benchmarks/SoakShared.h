// Memory the city soak's processes share: the generator forks its gateway processes after making it (an
// anonymous shared mapping), so the ledger's flags and the fleet's tally are the same in all of them.
// Lock-free atomics work across processes on such a mapping.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <stdexcept>

namespace citysense::bench {

/// `count` value-initialised Ts in a shared anonymous mapping, kept until the process ends.
template <class T>
T* sharedArray(std::size_t count) {
    void* memory =
        mmap(nullptr, sizeof(T) * count, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        throw std::runtime_error("mmap of the shared memory failed");
    T* array = static_cast<T*>(memory);
    for (std::size_t i = 0; i < count; ++i)
        new (array + i) T();
    return array;
}

}  // namespace citysense::bench
