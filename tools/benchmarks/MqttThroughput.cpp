// Messages per second through the real mqtt sink — the plugin loaded with the ClassLoader, fed batches
// of 1000 samples through write(), which formats them (tsv) and publishes them with at most `window`
// unacknowledged — beside a baseline measured in the same run against the same broker: a plain
// paho.mqtt.cpp async_client publishing the same messages, made before the clock starts, with the same
// window, waiting for all of them at the end. A second baseline also waits for all of them after every
// 1000, as write() must before it returns: from the first baseline to the second is the price of
// waiting at each batch's end, from the second to the sink the price of the sink's own code. QoS 0
// and 1; each case runs three times, alternating the sides, and the medians are shown, with the CPU
// time of the whole process per message.
//   citysense-bench-mqtt --uri URI [--uri URI ...] --username NAME --password-file FILE
//                        [--ca-file FILE] [--qos0-messages N] [--qos1-messages N] [--window N] [--runs N]
// tools/bench starts the broker (tools/broker) and provisions the gateway (tools/add-gateway).
#include "BenchSupport.h"

#include <citysense/TopicTemplate.h>
#include <engine/PluginRegistry.h>
#include <payload/Tsv.h>

#include <Poco/Logger.h>
#include <mqtt/async_client.h>

#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace citysense;
using namespace citysense::bench;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatch = 1000;

struct Setup {
    std::vector<std::string> uris;
    std::string username;
    std::string passwordFile;
    std::string caFile;
    /// Per QoS: enough for a run of a few seconds on loopback.
    std::size_t messages[2] = {300000, 50000};
    std::size_t window = 1000;
    int runs = 3;
};

const Station& station() {
    static const Station gateway{"hypo_city", "city_01", "street_01"};
    return gateway;
}

bool isTls(const std::string& uri) {
    return uri.rfind("ssl://", 0) == 0 || uri.rfind("mqtts://", 0) == 0;
}

/// The samples both sides publish: every quantity in turn, distinct values and times.
std::vector<SampleBatch> makeBatches(std::size_t messages) {
    const Source* source = Source::intern(station(), "driver.bench");
    const auto& table = quantities();
    const Micros start = nowMicros();
    std::vector<SampleBatch> batches;
    for (std::size_t next = 0; next < messages;) {
        SampleBatch& batch = batches.emplace_back();
        for (std::size_t i = 0; i < kBatch && next < messages; ++i, ++next) {
            const QuantityInfo& row = table[next % table.size()];
            const double value = row.physicalMin + static_cast<double>(next % 9973) * 0.01;
            batch.push_back(
                {row.quantity, QualityOk, value, start + static_cast<Micros>(next) * 1000, source});
        }
    }
    return batches;
}

/// One timed run: wall-clock rate and CPU time of the whole process (every paho thread) per message.
struct Run {
    double rate = 0;
    double cpuMicros = 0;
    std::string failure;  ///< empty when every message was delivered
};

class Stopwatch {
public:
    Stopwatch() : _start(Clock::now()), _cpu(ownCpuMicros()) {}

    Run finish(std::size_t messages) const {
        const std::chrono::duration<double> elapsed = Clock::now() - _start;
        const auto count = static_cast<double>(messages);
        return {count / elapsed.count(), (ownCpuMicros() - _cpu) / count, {}};
    }

private:
    Clock::time_point _start;
    double _cpu;
};

// ---- the baselines: what one writes by hand with paho.mqtt.cpp ----

struct Message {
    std::string topic;
    std::string payload;
};

std::vector<Message> premade(const std::vector<SampleBatch>& batches) {
    const TopicTemplate topic(TopicTemplate::kDefault);
    std::vector<Message> messages;
    for (const auto& batch : batches)
        for (const Sample& sample : batch)
            messages.push_back({topic.render(station(), sample.quantity), encodeTsv(sample)});
    return messages;
}

/// Publishes every message with at most `window` unacknowledged; with `drainEvery`, also waits for
/// all of them after every `drainEvery` messages.
Run plainRun(const Setup& setup, const std::string& uri, int qos, const std::vector<Message>& messages,
             std::size_t drainEvery) {
    const std::size_t window = setup.window;
    // paho.mqtt.cpp 1.2 refuses a publish while 100 others wait to be sent ("No more messages can be
    // buffered"), unless create_options allows more: here, the whole window.
    ::mqtt::async_client client(uri, "bench_plain",
                                ::mqtt::create_options(MQTTVERSION_3_1_1, static_cast<int>(window)));
    auto options = ::mqtt::connect_options_builder()
                       .clean_session()
                       .user_name(setup.username)
                       .password(readPassword(setup.passwordFile))
                       .finalize();
    if (isTls(uri))
        options.set_ssl(::mqtt::ssl_options_builder()
                            .trust_store(setup.caFile)
                            .ssl_version(MQTT_SSL_VERSION_TLS_1_2)
                            .enable_server_cert_auth(true)
                            .verify(true)
                            .finalize());
    client.connect(options)->wait();
    std::deque<::mqtt::delivery_token_ptr> inflight;
    const auto drain = [&] {
        for (const auto& token : inflight)
            token->wait();
        inflight.clear();
    };
    const Stopwatch stopwatch;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (drainEvery && i > 0 && i % drainEvery == 0)
            drain();
        if (inflight.size() >= window) {
            inflight.front()->wait();
            inflight.pop_front();
        }
        const Message& message = messages[i];
        inflight.push_back(
            client.publish(message.topic, message.payload.data(), message.payload.size(), qos, false));
    }
    drain();
    const Run run = stopwatch.finish(messages.size());
    client.disconnect()->wait();
    return run;
}

// ---- the sink, loaded as citysensed loads it ----

Run sinkRun(const Setup& setup, const std::string& uri, int qos, const std::vector<SampleBatch>& batches) {
    PluginRegistry registry;
    registry.load(CITYSENSE_PLUGIN_DIR "/citysense-mqtt.so");
    if (!registry.find("mqtt")) {
        for (const auto& error : registry.errors())
            std::fprintf(stderr, "%s: %s\n", error.path.c_str(), error.message.c_str());
        throw std::runtime_error("the mqtt plugin did not load from " CITYSENSE_PLUGIN_DIR);
    }
    std::unique_ptr<Sink> sink = registry.createSink("mqtt");
    sink->attach({"sink.bench", station(), Source::intern(station(), "sink.bench")});
    std::map<std::string, std::string> raw{{"uri", uri},
                                           {"client_id", "bench_sink"},
                                           {"username", setup.username},
                                           {"password_file", setup.passwordFile},
                                           {"qos", std::to_string(qos)},
                                           {"format", "tsv"},
                                           {"max_inflight", std::to_string(setup.window)}};
    if (isTls(uri))
        raw["ca_file"] = setup.caFile;
    std::vector<OptionIssue> issues;
    const Options options = Options::parse(sink->options(), raw, issues);
    if (!issues.empty())
        throw std::runtime_error("sink option " + issues.front().key + ": " + issues.front().message);
    sink->configure(options);
    sink->open();
    std::size_t written = 0;
    Run run;
    const Stopwatch stopwatch;
    try {
        for (const auto& batch : batches) {
            sink->write(batch);
            written += batch.size();
        }
        run = stopwatch.finish(written);
    } catch (const std::exception& error) {
        run.failure = "write() of batch " + std::to_string(written / kBatch + 1) + " failed: " + error.what();
    }
    sink->close();
    return run;
}

// ---- reporting ----

struct Side {
    const char* label;
    std::vector<Run> runs;

    std::vector<double> field(double Run::*member) const {
        std::vector<double> values;
        for (const Run& run : runs)
            values.push_back(run.*member);
        return values;
    }
    const Run* failed() const {
        const auto found =
            std::find_if(runs.begin(), runs.end(), [](const Run& run) { return !run.failure.empty(); });
        return found == runs.end() ? nullptr : &*found;
    }
    double rate() const { return median(field(&Run::rate)); }

    void print() const {
        if (const Run* run = failed()) {
            std::printf("  %-38s FAILED: %s\n", label, run->failure.c_str());
            return;
        }
        std::string each;
        for (const double rate : field(&Run::rate))
            each += (each.empty() ? "" : ", ") + std::to_string(std::lround(rate));
        std::printf("  %-38s %8.0f messages/s  %5.1f us CPU/message  (runs %s)\n", label, rate(),
                    median(field(&Run::cpuMicros)), each.c_str());
    }
};

/// Measures and prints one case; whether the sink met the goal.
bool measure(const Setup& setup, const std::string& uri, int qos, const std::vector<SampleBatch>& batches,
             const std::vector<Message>& messages) {
    Side plain{"baseline (paho, waits at the end):", {}};
    Side drained{"paho waiting for all every 1000:", {}};
    Side sink{"sink (mqtt plugin, write()):", {}};
    // Alternated, so that a disturbance on the machine does not fall on one side only.
    for (int run = 0; run < setup.runs; ++run) {
        plain.runs.push_back(plainRun(setup, uri, qos, messages, 0));
        drained.runs.push_back(plainRun(setup, uri, qos, messages, kBatch));
        sink.runs.push_back(sinkRun(setup, uri, qos, batches));
        if (sink.failed())
            break;
    }
    plain.print();
    drained.print();
    sink.print();
    if (sink.failed()) {
        std::printf("  goal >= 0.9 of the baseline: NOT met (the sink failed)\n\n");
        return false;
    }
    const double ratio = sink.rate() / plain.rate();
    std::printf("  ratio sink/baseline:                   %8.3f   (sink/waiting every 1000: %.3f)\n", ratio,
                sink.rate() / drained.rate());
    std::printf("  goal >= 0.9 of the baseline: %s\n\n", ratio >= 0.9 ? "met" : "NOT met");
    return ratio >= 0.9;
}

Setup parse(int argc, char** argv) {
    Setup setup;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (i + 1 >= argc)
            throw std::invalid_argument(key + " needs a value");
        const std::string value = argv[++i];
        if (key == "--uri")
            setup.uris.push_back(value);
        else if (key == "--username")
            setup.username = value;
        else if (key == "--password-file")
            setup.passwordFile = value;
        else if (key == "--ca-file")
            setup.caFile = value;
        else if (key == "--qos0-messages")
            setup.messages[0] = std::stoul(value);
        else if (key == "--qos1-messages")
            setup.messages[1] = std::stoul(value);
        else if (key == "--window")
            setup.window = std::stoul(value);
        else if (key == "--runs")
            setup.runs = std::stoi(value);
        else
            throw std::invalid_argument("unknown option " + key);
    }
    if (setup.uris.empty() || setup.username.empty() || setup.passwordFile.empty() || setup.runs < 1 ||
        setup.messages[0] == 0 || setup.messages[1] == 0 || setup.window == 0 || setup.window > 65535)
        throw std::invalid_argument(
            "usage: citysense-bench-mqtt --uri URI [--uri URI ...] --username NAME --password-file FILE "
            "[--ca-file FILE] [--qos0-messages N] [--qos1-messages N] [--window 1..65535] [--runs N]");
    return setup;
}

}  // namespace

int main(int argc, char** argv) {
    Setup setup;
    try {
        setup = parse(argc, argv);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "citysense-bench-mqtt: %s\n", error.what());
        return 64;
    }
    Poco::Logger::root().setLevel(Poco::Message::PRIO_WARNING);
    bool goalMet = true;
    try {
        for (const std::string& uri : setup.uris) {
            for (const int qos : {0, 1}) {
                const std::vector<SampleBatch> batches = makeBatches(setup.messages[qos]);
                const std::vector<Message> messages = premade(batches);
                const auto [shortest, longest] = std::minmax_element(
                    messages.begin(), messages.end(),
                    [](const Message& a, const Message& b) { return a.payload.size() < b.payload.size(); });
                std::printf(
                    "mqtt sink throughput: %s, QoS %d, %zu messages (tsv, %zu-%zu bytes, %zu quantities), "
                    "batches of %zu, window %zu, median of %d runs\n",
                    uri.c_str(), qos, messages.size(), shortest->payload.size(), longest->payload.size(),
                    quantities().size(), kBatch, setup.window, setup.runs);
                goalMet = measure(setup, uri, qos, batches, messages) && goalMet;
                std::fflush(stdout);
            }
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "citysense-bench-mqtt: %s\n", error.what());
        return 1;
    }
    return goalMet ? 0 : 1;
}
