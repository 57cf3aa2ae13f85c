#include "KeyFile.h"

#include "JsonObjects.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace citysense::api {

namespace {

/// The file's format: {"version": 1, "keys": [{"name": ..., "sha256": ..., ...}]}
constexpr int kVersion = 1;

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> result;
    if (array) {
        for (std::size_t at = 0; at < array->size(); ++at)
            result.push_back(array->getElement<std::string>(static_cast<unsigned>(at)));
    }
    return result;
}

Poco::JSON::Array::Ptr array(const std::vector<std::string>& items) {
    Poco::JSON::Array::Ptr result = new Poco::JSON::Array;
    for (const std::string& item : items)
        result->add(item);
    return result;
}

Micros timeOf(const Poco::JSON::Object& object, const std::string& field) {
    const auto time = parseIsoTime(object.getValue<std::string>(field));
    if (!time)
        throw std::invalid_argument("'" + field + "' is not an ISO 8601 time");
    return *time;
}

ApiKey keyOf(const Poco::JSON::Object& object) {
    ApiKey key;
    key.name = object.getValue<std::string>("name");
    if (!isKeyName(key.name))
        throw std::invalid_argument("'" + key.name + "' is not a key name");
    key.hash = object.getValue<std::string>("sha256");
    if (key.hash.size() != 64 || key.hash.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw std::invalid_argument("key '" + key.name + "': 'sha256' is not a SHA-256 in hex");
    for (const std::string& scope : strings(object.getArray("scopes")))
        key.scopes |= parseScopes(scope);
    if (key.scopes == 0)
        throw std::invalid_argument("key '" + key.name + "' has no scopes");
    key.stations = strings(object.getArray("stations"));
    for (const std::string& pattern : key.stations) {
        if (!isStationPattern(pattern))
            throw std::invalid_argument("key '" + key.name + "': '" + pattern + "' is not a station pattern");
    }
    if (object.has("expires"))
        key.expires = timeOf(object, "expires");
    if (object.has("rate"))
        key.rate = parseRateLimit(object.getValue<std::string>("rate"));
    if (object.has("max_streams")) {
        key.maxStreams = object.getValue<int>("max_streams");
        if (*key.maxStreams < 1)
            throw std::invalid_argument("key '" + key.name + "': 'max_streams' is not a positive number");
    }
    key.created = timeOf(object, "created");
    return key;
}

Poco::JSON::Object::Ptr objectOf(const ApiKey& key) {
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("name", key.name);
    object->set("sha256", key.hash);
    object->set("scopes", array(scopeNames(key.scopes)));
    if (!key.stations.empty())
        object->set("stations", array(key.stations));
    if (key.expires)
        object->set("expires", formatIsoTime(*key.expires));
    if (key.rate)
        object->set("rate", formatRateLimit(*key.rate));
    if (key.maxStreams)
        object->set("max_streams", *key.maxStreams);
    object->set("created", formatIsoTime(key.created));
    return object;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error("keys file " + path + ": " + what);
}

}  // namespace

std::vector<ApiKey> keysOfText(const std::string& text) {
    const Poco::JSON::Object::Ptr root = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    if (root->getValue<int>("version") != kVersion)
        throw std::invalid_argument("version " + root->getValue<std::string>("version") + " is not " +
                                    std::to_string(kVersion));
    std::vector<ApiKey> keys;
    const Poco::JSON::Array::Ptr list = root->getArray("keys");
    for (std::size_t at = 0; list && at < list->size(); ++at) {
        const Poco::JSON::Object::Ptr object = list->getObject(static_cast<unsigned>(at));
        if (!object)
            throw std::invalid_argument("key " + std::to_string(at + 1) + " is not an object");
        keys.push_back(keyOf(*object));
        for (std::size_t before = 0; before + 1 < keys.size(); ++before) {
            if (keys[before].name == keys.back().name)
                throw std::invalid_argument("two keys are named '" + keys.back().name + "'");
        }
    }
    return keys;
}

std::vector<ApiKey> readKeyFile(const std::string& path) {
    std::error_code missing;
    if (!std::filesystem::exists(path, missing))
        return {};
    std::ifstream in(path);
    if (!in)
        fail(path, std::strerror(errno));
    std::stringstream text;
    text << in.rdbuf();
    try {
        return keysOfText(text.str());
    } catch (const Poco::Exception& error) {
        fail(path, error.displayText());
    } catch (const std::invalid_argument& error) {
        fail(path, error.what());
    }
}

void writeKeyFile(const std::string& path, const std::vector<ApiKey>& keys) {
    Poco::JSON::Object::Ptr root = orderedObject();
    root->set("version", kVersion);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const ApiKey& key : keys)
        list->add(objectOf(key));
    root->set("keys", list);
    std::ostringstream text;
    root->stringify(text, 2);
    text << "\n";
    const std::string content = text.str();

    const std::filesystem::path target(path);
    std::string temporary =
        (target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path()) /
        ("." + target.filename().string() + ".XXXXXX");
    const int descriptor = mkstemp(temporary.data());  // mode 0600
    if (descriptor < 0)
        fail(path, std::string("cannot create a file beside it: ") + std::strerror(errno));
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t count = ::write(descriptor, content.data() + written, content.size() - written);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0)
            break;
        written += static_cast<std::size_t>(count);
    }
    const bool synced = written == content.size() && fchmod(descriptor, 0600) == 0 && fsync(descriptor) == 0;
    const int error = errno;
    ::close(descriptor);
    if (!synced || std::rename(temporary.c_str(), path.c_str()) != 0) {
        const int failure = synced ? errno : error;
        std::remove(temporary.c_str());
        fail(path, std::strerror(failure));
    }
    const int directory = ::open(temporary.substr(0, temporary.rfind('/')).c_str(), O_RDONLY | O_DIRECTORY);
    if (directory >= 0) {
        fsync(directory);  // the rename itself survives a crash
        ::close(directory);
    }
}

KeyFileLock::KeyFileLock(const std::string& path) {
    const std::string lockPath = path + ".lock";
    _descriptor = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (_descriptor < 0)
        fail(path, "cannot make its lock " + lockPath + ": " + std::strerror(errno));
    while (flock(_descriptor, LOCK_EX) != 0 && errno == EINTR) {
    }
}

KeyFileLock::~KeyFileLock() {
    ::close(_descriptor);  // and with it the lock
}

bool KeyRing::Identity::operator==(const Identity& other) const {
    return exists == other.exists && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

KeyRing::KeyRing(std::string path) : _path(std::move(path)) {}

KeyRing::Identity KeyRing::identity() const {
    struct stat status {};
    if (::stat(_path.c_str(), &status) != 0)
        return {};
    return {true, status.st_ino, status.st_size, status.st_mtim};
}

std::shared_ptr<const KeySet> KeyRing::keys() {
    if (_path.empty())
        return _keys;
    std::lock_guard<std::mutex> lock(_mutex);
    const Identity now = identity();
    if (_read && now == _identity)
        return _keys;
    auto& log = Poco::Logger::get("citysense-api");
    try {
        _keys = std::make_shared<const KeySet>(readKeyFile(_path));
        log.information("keys file " + _path + ": " + std::to_string(_keys->size()) + " key(s)");
    } catch (const std::runtime_error& error) {
        log.error(std::string(error.what()) + ": the keys read before stay in effect");
    }
    _identity = now;
    _read = true;
    return _keys;
}

}  // namespace citysense::api
