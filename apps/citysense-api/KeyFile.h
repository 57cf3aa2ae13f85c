// The keys file of citysense-api: every key's name, hash, scopes, stations, expiry and rate, as JSON,
// never a key itself. `citysense-api keys ...` writes it atomically (a new file beside it, mode 0600,
// synced, then renamed over it), so the service reads either the old file or the new one, never half
// of one. The service watches it with a KeyRing: it looks at the file on every request and reads it
// again when it changed (inode, size or modification time), so a key added or revoked counts from the
// next request on.
#pragma once

#include "ApiKeys.h"

#include <sys/types.h>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace citysense::api {

/// The keys of a keys file's text. Throws std::invalid_argument or Poco::Exception for what is wrong.
std::vector<ApiKey> keysOfText(const std::string& text);

/// The keys of the file at `path`; none when it does not exist. Throws std::runtime_error naming the
/// file and what is wrong with it.
std::vector<ApiKey> readKeyFile(const std::string& path);

/// Replaces the file at `path` with `keys`, atomically, readable by its owner only. Throws
/// std::runtime_error naming the file.
void writeKeyFile(const std::string& path, const std::vector<ApiKey>& keys);

/// Holds an exclusive lock on the keys file at `path` (flock(2) on PATH.lock, made mode 0600), so two
/// commands changing it at once do not lose one's change. The service does not need it to read.
class KeyFileLock {
public:
    /// Waits for the lock. Throws std::runtime_error when the lock file cannot be made.
    explicit KeyFileLock(const std::string& path);
    ~KeyFileLock();
    KeyFileLock(const KeyFileLock&) = delete;
    KeyFileLock& operator=(const KeyFileLock&) = delete;

private:
    int _descriptor = -1;
};

using KeySet = std::vector<ApiKey>;

class KeyRing {
public:
    /// Reads `path` when first asked. An empty path: no keys at all.
    explicit KeyRing(std::string path);

    /// The keys as the file holds them now: read again when it changed. When a changed file cannot
    /// be read, the keys read before stay, and the problem is logged once (a file that is gone:
    /// no keys).
    std::shared_ptr<const KeySet> keys();

    const std::string& path() const { return _path; }

private:
    struct Identity {
        bool exists = false;
        ino_t inode = 0;
        off_t size = 0;
        timespec modified{};

        bool operator==(const Identity& other) const;
    };

    Identity identity() const;

    const std::string _path;
    std::mutex _mutex;
    bool _read = false;
    Identity _identity;
    std::shared_ptr<const KeySet> _keys = std::make_shared<const KeySet>();
};

}  // namespace citysense::api
