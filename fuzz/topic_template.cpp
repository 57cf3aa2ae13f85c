// Topic templates and matching: the first line is a template (an operator's), the rest a received
// topic (anyone's). A template is accepted or refused with std::invalid_argument; a topic matches or
// says why not; a match renders back to the same topic.
#include <citysense/TopicTemplate.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string text =
        newline == std::string::npos ? citysense::TopicTemplate::kDefault : input.substr(0, newline);
    const std::string topic = newline == std::string::npos ? input : input.substr(newline + 1);
    try {
        const citysense::TopicTemplate topics(text);
        std::string why;
        if (const auto match = topics.match(topic, why);
            match && topics.render(match->station, match->quantity) != topic &&
            !match->station.system.empty() && !match->station.city.empty() && !match->station.street.empty())
            std::abort();  // a topic with every station level must render back to itself
        topics.filter();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
