// An LD_PRELOAD library that puts an emulated BME280 behind a fake Linux I2C adapter, so that the real
// citysensed and its Linux bus (open, ioctl(I2C_SLAVE), write, read, close on /dev/i2c-N) run end to
// end on a machine without I2C:
//
//   CITYSENSE_FAKE_I2C_DEV=/dev/i2c-97 LD_PRELOAD=libbme280-fake-i2c-dev.so citysensed --once -c ...
//
// Opening the path named by CITYSENSE_FAKE_I2C_DEV gives a real descriptor (of /dev/null) whose I2C
// traffic goes to a Bme280Emulator at 0x76 holding the datasheet test vector (Bme280TestVectors.h). A
// transfer to any other address fails with ENXIO, as an address nobody acknowledges does. Every other
// path and descriptor goes to the next definition (libc, or the sanitizer's interceptor) untouched.
// Under AddressSanitizer the child needs ASAN_OPTIONS=verify_asan_link_order=0.

// The Poco flags this target inherits set _FILE_OFFSET_BITS=64, which renames open() to open64() in the
// headers; this file defines both under their own names.
#undef _FILE_OFFSET_BITS

#include "Bme280Emulator.h"
#include "Bme280TestVectors.h"

#include <linux/i2c-dev.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace {

using citysense::bme280::Bme280Emulator;
namespace vectors = citysense::bme280::testdata;

constexpr unsigned long kChipAddress = 0x76;
constexpr unsigned long kNoAddress = ~0ul;

struct FakeAdapter {
    std::mutex mutex;
    std::map<int, unsigned long> selected;  ///< fake descriptor -> address chosen with I2C_SLAVE
    Bme280Emulator chip;

    FakeAdapter() {
        chip.setCalibration(vectors::kDatasheetCalibration, vectors::kNegativeHumidityCalibration);
        chip.setAdc(vectors::kDatasheetAdcP, vectors::kDatasheetAdcT, vectors::kAdcH);
    }
};

FakeAdapter& adapter() {
    static FakeAdapter* instance = new FakeAdapter;  // never destroyed: descriptors may close at exit
    return *instance;
}

/// How many fake descriptors are open: while none is, read and write skip the lock.
std::atomic<int> openFakes{0};

template <typename Function>
Function next(const char* name) {
    return reinterpret_cast<Function>(dlsym(RTLD_NEXT, name));
}

bool handles(const char* path) {
    const char* fake = std::getenv("CITYSENSE_FAKE_I2C_DEV");
    return path && fake && *fake && std::strcmp(path, fake) == 0;
}

int openFake(int flags) {
    static const auto realOpen = next<int (*)(const char*, int, ...)>("open");
    const int fd = realOpen("/dev/null", O_RDWR | (flags & O_CLOEXEC));
    if (fd >= 0) {
        std::lock_guard<std::mutex> lock(adapter().mutex);
        adapter().selected[fd] = kNoAddress;
        ++openFakes;
    }
    return fd;
}

/// The address selected on `fd` if it is a fake descriptor.
bool fakeAddress(int fd, unsigned long& address) {
    if (openFakes == 0)
        return false;
    std::lock_guard<std::mutex> lock(adapter().mutex);
    const auto found = adapter().selected.find(fd);
    if (found == adapter().selected.end())
        return false;
    address = found->second;
    return true;
}

int modeOf(int flags, va_list arguments) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(arguments, int) : 0;
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
    if (handles(path))
        return openFake(flags);
    va_list arguments;
    va_start(arguments, flags);
    const int mode = modeOf(flags, arguments);
    va_end(arguments);
    static const auto real = next<int (*)(const char*, int, ...)>("open");
    return real(path, flags, mode);
}

int open64(const char* path, int flags, ...) {
    if (handles(path))
        return openFake(flags);
    va_list arguments;
    va_start(arguments, flags);
    const int mode = modeOf(flags, arguments);
    va_end(arguments);
    static const auto real = next<int (*)(const char*, int, ...)>("open64");
    return real(path, flags, mode);
}

int openat(int directory, const char* path, int flags, ...) {
    if (handles(path))
        return openFake(flags);
    va_list arguments;
    va_start(arguments, flags);
    const int mode = modeOf(flags, arguments);
    va_end(arguments);
    static const auto real = next<int (*)(int, const char*, int, ...)>("openat");
    return real(directory, path, flags, mode);
}

int openat64(int directory, const char* path, int flags, ...) {
    if (handles(path))
        return openFake(flags);
    va_list arguments;
    va_start(arguments, flags);
    const int mode = modeOf(flags, arguments);
    va_end(arguments);
    static const auto real = next<int (*)(int, const char*, int, ...)>("openat64");
    return real(directory, path, flags, mode);
}

int ioctl(int fd, unsigned long request, ...) noexcept {
    va_list arguments;
    va_start(arguments, request);
    void* argument = va_arg(arguments, void*);
    va_end(arguments);
    unsigned long address = 0;
    if (fakeAddress(fd, address)) {
        if (request != I2C_SLAVE && request != I2C_SLAVE_FORCE) {
            errno = ENOTTY;
            return -1;
        }
        std::lock_guard<std::mutex> lock(adapter().mutex);
        adapter().selected[fd] = reinterpret_cast<unsigned long>(argument);
        return 0;
    }
    static const auto real = next<int (*)(int, unsigned long, ...)>("ioctl");
    return real(fd, request, argument);
}

ssize_t write(int fd, const void* buffer, size_t count) {
    unsigned long address = 0;
    if (fakeAddress(fd, address)) {
        if (address != kChipAddress) {
            errno = ENXIO;
            return -1;
        }
        std::lock_guard<std::mutex> lock(adapter().mutex);
        adapter().chip.write(static_cast<const std::uint8_t*>(buffer), count);
        return static_cast<ssize_t>(count);
    }
    static const auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
    return real(fd, buffer, count);
}

ssize_t read(int fd, void* buffer, size_t count) {
    unsigned long address = 0;
    if (fakeAddress(fd, address)) {
        if (address != kChipAddress) {
            errno = ENXIO;
            return -1;
        }
        std::lock_guard<std::mutex> lock(adapter().mutex);
        adapter().chip.read(static_cast<std::uint8_t*>(buffer), count);
        return static_cast<ssize_t>(count);
    }
    static const auto real = next<ssize_t (*)(int, void*, size_t)>("read");
    return real(fd, buffer, count);
}

int close(int fd) {
    unsigned long address = 0;
    if (fakeAddress(fd, address)) {
        std::lock_guard<std::mutex> lock(adapter().mutex);
        adapter().selected.erase(fd);
        --openFakes;
    }
    static const auto real = next<int (*)(int)>("close");
    return real(fd);
}

}  // extern "C"
