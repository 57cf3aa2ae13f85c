// The ingest's mqtt::Decoder, given any message: the first line of an input is its topic, the rest its
// payload (any format). One decoder a template decodes every input, so the names it remembers grow as
// the fuzzer goes; each message must decode exactly as a new decoder decodes it: the same samples,
// or the same error word for word (its numbers aside). Two templates: the default tree, and one whose
// system the fallback fills.
#include <mqtt-client/Decoder.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

using namespace citysense;

struct Tree {
    const char* text;
    Station fallback;
};

const Tree kTrees[] = {
    {TopicTemplate::kDefault, Station{}},
    {"{city}/{street}/{quantity}", Station{"hypo_city", "", ""}},
};

mqtt::Decoder decoderOf(const Tree& tree) {
    return mqtt::Decoder(TopicTemplate(tree.text), PayloadFormat::Auto, tree.fallback, "driver.fuzz");
}

// An error's words with every run of digits as '#': an error may quote a time the clock gave a
// relative SenML time ("time -761536730705.347989 s is not between 1970 and 9999").
std::string withoutNumbers(const std::string& text) {
    std::string words;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (!digit)
            words += text[i];
        else if (i == 0 || text[i - 1] < '0' || text[i - 1] > '9')
            words += '#';
    }
    return words;
}

// The samples of a message, or its error: everything a caller can tell of the outcome but the time,
// which a SenML record without one (or with a relative one) takes from the clock.
std::string outcome(mqtt::Decoder& decoder, std::string_view topic, std::string_view payload) {
    SampleBatch samples;
    try {
        decoder.decode(topic, payload, samples);
    } catch (const PayloadError& error) {
        return withoutNumbers(error.what());
    }
    std::string text;
    for (const Sample& sample : samples) {
        std::uint64_t value = 0;
        std::memcpy(&value, &sample.value, sizeof value);
        text += std::to_string(static_cast<int>(sample.quantity)) + " " + std::to_string(value) + " " +
                std::to_string(sample.quality) + " " +
                std::to_string(reinterpret_cast<std::uintptr_t>(sample.source)) + "\n";
    }
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static mqtt::Decoder known[] = {decoderOf(kTrees[0]), decoderOf(kTrees[1])};
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view topic = input.substr(0, newline);
    const std::string_view payload = newline == std::string_view::npos ? "" : input.substr(newline + 1);
    for (std::size_t i = 0; i < std::size(kTrees); ++i) {
        mqtt::Decoder fresh = decoderOf(kTrees[i]);
        if (outcome(known[i], topic, payload) != outcome(fresh, topic, payload) ||
            known[i].knownNames() > mqtt::Decoder::kMaxKnownNames)
            std::abort();
    }
    return 0;
}
