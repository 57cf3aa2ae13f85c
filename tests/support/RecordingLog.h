// Captures what one instance logs, for tests that check a driver logs a change once, not every read.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace citysense::test {

/// Collects what the logger `instance` (by default the harness's "driver.test") logs while it exists.
class RecordingLog {
public:
    explicit RecordingLog(std::string instance = "driver.test") : _instance(std::move(instance)) {
        Poco::Logger::get(_instance).setChannel(_channel);
    }
    ~RecordingLog() { Poco::Logger::get(_instance).setChannel(nullptr); }
    RecordingLog(const RecordingLog&) = delete;
    RecordingLog& operator=(const RecordingLog&) = delete;

    /// The texts logged with `priority` that contain `text`.
    std::vector<std::string> find(Poco::Message::Priority priority, const std::string& text) const {
        return _channel->find(priority, text);
    }

    /// How many texts were logged with `priority` containing `text`.
    int count(Poco::Message::Priority priority, const std::string& text) const {
        return static_cast<int>(find(priority, text).size());
    }

private:
    class Channel : public Poco::Channel {
    public:
        void log(const Poco::Message& message) override {
            std::lock_guard<std::mutex> lock(_mutex);
            _messages.emplace_back(message.getPriority(), message.getText());
        }

        std::vector<std::string> find(Poco::Message::Priority priority, const std::string& text) const {
            std::lock_guard<std::mutex> lock(_mutex);
            std::vector<std::string> found;
            for (const auto& [logged, message] : _messages) {
                if (logged == priority && message.find(text) != std::string::npos)
                    found.push_back(message);
            }
            return found;
        }

    private:
        mutable std::mutex _mutex;
        std::vector<std::pair<Poco::Message::Priority, std::string>> _messages;
    };

    std::string _instance;
    Poco::AutoPtr<Channel> _channel{new Channel};
};

}  // namespace citysense::test
