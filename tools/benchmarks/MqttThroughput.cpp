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
#include "SinkBench.h"

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

bool isTls(const std::string& uri) {
    return uri.rfind("ssl://", 0) == 0 || uri.rfind("mqtts://", 0) == 0;
}

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
            messages.push_back({topic.render(benchStation(), sample.quantity), encodeTsv(sample)});
    return messages;
}

/// Publishes every message with at most `window` unacknowledged; with `drainEvery`, also waits for
/// all of them after every `drainEvery` messages.
Run plainRun(const Setup& setup, const std::string& uri, int qos, const std::vector<Message>& messages,
             std::size_t drainEvery) {
    const std::size_t window = setup.window;
    // paho.mqtt.cpp 1.2 refuses a publish while 100 others wait to be sent ("No more messages can be
    // buffered"), unless create_options allows more: here, the whole window.
    ::mqtt::async_client client(uri, setup.username,
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
    std::map<std::string, std::string> raw{{"uri", uri},
                                           {"username", setup.username},
                                           {"password_file", setup.passwordFile},
                                           {"qos", std::to_string(qos)},
                                           {"format", "tsv"},
                                           {"max_inflight", std::to_string(setup.window)}};
    if (isTls(uri))
        raw["ca_file"] = setup.caFile;
    return timeWrites(*openSink(registry, "mqtt", raw), batches);
}

// ---- reporting ----

void print(const Series& series) {
    if (const Run* run = series.failed()) {
        std::printf("  %-38s FAILED: %s\n", series.label.c_str(), run->failure.c_str());
        return;
    }
    std::printf("  %-38s %8.0f messages/s  %5.1f us CPU/message  (runs %s)\n", series.label.c_str(),
                series.rate(), series.cpuMicros(), series.rates().c_str());
}

/// Measures and prints one case; whether the sink met the goal.
bool measure(const Setup& setup, const std::string& uri, int qos, const std::vector<SampleBatch>& batches,
             const std::vector<Message>& messages) {
    Series plain{"baseline (paho, waits at the end):", {}};
    Series drained{"paho waiting for all every 1000:", {}};
    Series sink{"sink (mqtt plugin, write()):", {}};
    // Alternated, so that a disturbance on the machine does not fall on one side only.
    for (int run = 0; run < setup.runs; ++run) {
        plain.runs.push_back(plainRun(setup, uri, qos, messages, 0));
        drained.runs.push_back(plainRun(setup, uri, qos, messages, kBatch));
        sink.runs.push_back(sinkRun(setup, uri, qos, batches));
        if (sink.failed())
            break;
    }
    for (const Series* series : {&plain, &drained, &sink})
        print(*series);
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
    parseOptions(argc, argv,
                 {{"--uri", [&](const std::string& value) { setup.uris.push_back(value); }},
                  {"--username", storeIn(setup.username)},
                  {"--password-file", storeIn(setup.passwordFile)},
                  {"--ca-file", storeIn(setup.caFile)},
                  {"--qos0-messages", storeIn(setup.messages[0])},
                  {"--qos1-messages", storeIn(setup.messages[1])},
                  {"--window", storeIn(setup.window)},
                  {"--runs", storeIn(setup.runs)}});
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
    return benchmarkMain(
        "citysense-bench-mqtt", [&] { setup = parse(argc, argv); },
        [&] {
            Poco::Logger::root().setLevel(Poco::Message::PRIO_WARNING);
            bool goalMet = true;
            for (const std::string& uri : setup.uris) {
                for (const int qos : {0, 1}) {
                    const std::vector<SampleBatch> batches =
                        makeBatches(setup.messages[qos], "driver.bench", nowMicros());
                    const std::vector<Message> messages = premade(batches);
                    const auto [shortest, longest] = std::minmax_element(
                        messages.begin(), messages.end(), [](const Message& a, const Message& b) {
                            return a.payload.size() < b.payload.size();
                        });
                    std::printf(
                        "mqtt sink throughput: %s, QoS %d, %zu messages (tsv, %zu-%zu bytes, %zu "
                        "quantities), "
                        "batches of %zu, window %zu, median of %d runs\n",
                        uri.c_str(), qos, messages.size(), shortest->payload.size(), longest->payload.size(),
                        quantities().size(), kBatch, setup.window, setup.runs);
                    goalMet = measure(setup, uri, qos, batches, messages) && goalMet;
                    std::fflush(stdout);
                }
            }
            return goalMet ? 0 : 1;
        });
}
