// The announcement decoder (AnnouncementJson.h), given any bytes as a gateway's retained `…/about`
// document: an announcement or a PayloadError, and what it returns holds to the limits it promises.
#include <payload/AnnouncementJson.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const citysense::Announcement announcement =
            citysense::decodeAnnouncement(std::string_view(reinterpret_cast<const char*>(data), size));
        if (announcement.channels.size() > citysense::kMaxAnnouncedChannels)
            std::abort();
        for (const auto& channel : announcement.channels) {
            if (channel.interval <= 0 || channel.interval > citysense::kMaxAnnouncedInterval ||
                channel.maxSilence < 0 || channel.maxSilence > citysense::kMaxAnnouncedInterval)
                std::abort();
        }
    } catch (const citysense::PayloadError&) {
    }
    return 0;
}
