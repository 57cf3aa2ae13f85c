// What publishing costs a gateway process: subscribes to the broker, lets the publishers warm up, then
// over a measuring window counts the messages each publisher's topic prefix receives and reads its
// process's CPU time (its CPU-time clock, clock_getcpuclockid()) at both ends, and at the end its resident
// memory (VmRSS, of it RssAnon, the part no other process can share, and the peak VmHWM, /proc/PID/status)
// and its proportional share (Pss, of it Pss_Anon and Pss_File, /proc/PID/smaps_rollup: a page shared
// with N processes counts 1/N, so a library the rest of the system maps too costs little).
// Prints, per publisher, readings/s, CPU µs per reading and memory, then the ratios of the first
// publisher to the second and each against issue 15's goal (CPU per reading <= 0.8, VmRSS and Pss
// <= 1.0). Exits 2 when a goal is not met. Run by tools/benchmarks/vs-collectd.
//   citysense-bench-footprint --uri URI --username NAME --password-file FILE [--warmup S] [--seconds S]
//                             NAME=PREFIX=PID NAME=PREFIX=PID
// A publisher that publishes nothing in the window fails the run: a silent zero is no benchmark.
#include "BenchSupport.h"

#include <mqtt/async_client.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace citysense::bench;

struct Publisher {
    std::string name;
    std::string prefix;
    int pid = 0;
    std::atomic<std::uint64_t> messages{0};
    std::atomic<std::uint64_t> bytes{0};
    double cpuStart = 0;
    double cpuEnd = 0;
};

/// A "VmRSS:" style line of /proc/PID/`file` (status, smaps_rollup), in KiB.
long procKib(int pid, const std::string& file, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(key + ":", 0) == 0)
            return std::stol(line.substr(key.size() + 1));
    }
    throw std::runtime_error("no " + key + " in /proc/" + std::to_string(pid) + "/" + file);
}

long statusKib(int pid, const std::string& key) {
    return procKib(pid, "status", key);
}

long pssKib(int pid, const std::string& key) {
    return procKib(pid, "smaps_rollup", key);
}

/// Prints a ratio against its goal (at most `bound`); returns whether it is met.
bool goal(const char* what, double ratio, double bound) {
    const bool met = ratio <= bound;
    std::printf("  goal %-16s <= %.1fx: %.3f %s\n", what, bound, ratio, met ? "met" : "NOT met");
    return met;
}

struct Setup {
    std::string uri;
    std::string username;
    std::string passwordFile;
    double warmup = 5;
    double seconds = 20;
    std::vector<std::unique_ptr<Publisher>> publishers;
};

Setup parse(int argc, char** argv) {
    Setup setup;
    const auto publisher = [&](const std::string& word) {
        const auto first = word.find('=');
        const auto second = word.find('=', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            throw std::invalid_argument("'" + word + "' is not NAME=PREFIX=PID");
        auto added = std::make_unique<Publisher>();
        added->name = word.substr(0, first);
        added->prefix = word.substr(first + 1, second - first - 1);
        added->pid = std::stoi(word.substr(second + 1));
        setup.publishers.push_back(std::move(added));
    };
    parseOptions(argc, argv,
                 {{"--uri", storeIn(setup.uri)},
                  {"--username", storeIn(setup.username)},
                  {"--password-file", storeIn(setup.passwordFile)},
                  {"--warmup", storeIn(setup.warmup)},
                  {"--seconds", storeIn(setup.seconds)}},
                 publisher);
    if (setup.uri.empty() || setup.username.empty() || setup.passwordFile.empty() ||
        setup.publishers.size() != 2 || setup.seconds <= 0 || setup.warmup < 0)
        throw std::invalid_argument(
            "usage: citysense-bench-footprint --uri URI --username NAME --password-file FILE [--warmup S] "
            "[--seconds S] NAME=PREFIX=PID NAME=PREFIX=PID");
    return setup;
}

std::string topicFilter(const std::string& prefix) {
    return prefix + (prefix.empty() || prefix.back() == '/' ? "#" : "/#");
}

/// Counts each publisher's messages over the window and prints its figures; 1 when one published nothing.
int measure(Setup& setup) {
    std::atomic<bool> counting{false};
    ::mqtt::async_client client(setup.uri, "bench_footprint");
    client.set_message_callback([&](::mqtt::const_message_ptr message) {
        if (!counting || message->is_retained())
            return;
        for (const auto& publisher : setup.publishers) {
            if (message->get_topic().rfind(publisher->prefix, 0) == 0) {
                ++publisher->messages;
                publisher->bytes += message->get_payload_ref().size();
                return;
            }
        }
    });
    client
        .connect(::mqtt::connect_options_builder()
                     .clean_session()
                     .user_name(setup.username)
                     .password(readPassword(setup.passwordFile))
                     .finalize())
        ->wait();
    for (const auto& publisher : setup.publishers)
        client.subscribe(topicFilter(publisher->prefix), 1)->wait();

    std::this_thread::sleep_for(std::chrono::duration<double>(setup.warmup));
    for (const auto& publisher : setup.publishers)
        publisher->cpuStart = processCpuMicros(publisher->pid) / 1e6;
    counting = true;
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(setup.seconds));
    counting = false;
    const std::chrono::duration<double> window = std::chrono::steady_clock::now() - start;
    for (const auto& publisher : setup.publishers)
        publisher->cpuEnd = processCpuMicros(publisher->pid) / 1e6;
    client.disconnect()->wait();

    std::printf("  over %.1f s after a %.0f s warm-up (CPU: each process's CPU-time clock)\n", window.count(),
                setup.warmup);
    struct Figures {
        double rate;
        double cpuPerReading;
        long rss;
        long anon;
        long hwm;
        long pss;
        long pssAnon;
        long pssFile;
    };
    std::vector<Figures> figures;
    bool silent = false;
    for (const auto& publisher : setup.publishers) {
        const auto messages = static_cast<double>(publisher->messages);
        const double cpu = publisher->cpuEnd - publisher->cpuStart;
        const Figures figure{messages / window.count(),          messages > 0 ? cpu * 1e6 / messages : 0,
                             statusKib(publisher->pid, "VmRSS"), statusKib(publisher->pid, "RssAnon"),
                             statusKib(publisher->pid, "VmHWM"), pssKib(publisher->pid, "Pss"),
                             pssKib(publisher->pid, "Pss_Anon"), pssKib(publisher->pid, "Pss_File")};
        figures.push_back(figure);
        std::printf(
            "  %-10s rate   %7.1f readings/s (%llu messages, %.1f bytes each, under %s)\n",
            publisher->name.c_str(), figure.rate, static_cast<unsigned long long>(publisher->messages),
            messages > 0 ? static_cast<double>(publisher->bytes) / messages : 0.0, publisher->prefix.c_str());
        std::printf("  %-10s CPU    %7.1f us per reading (%.3f s, %.2f%% of a core)\n", "",
                    figure.cpuPerReading, cpu, 100 * cpu / window.count());
        std::printf("  %-10s memory VmRSS %ld KiB (RssAnon %ld KiB), VmHWM %ld KiB\n", "", figure.rss,
                    figure.anon, figure.hwm);
        std::printf("  %-10s        Pss %ld KiB (Pss_Anon %ld KiB, Pss_File %ld KiB)\n", "", figure.pss,
                    figure.pssAnon, figure.pssFile);
        if (publisher->messages == 0) {
            std::fprintf(stderr, "citysense-bench-footprint: %s published nothing under %s\n",
                         publisher->name.c_str(), publisher->prefix.c_str());
            silent = true;
        }
    }
    if (silent)
        return 1;
    const auto ratio = [&](double Figures::*member) { return figures[0].*member / figures[1].*member; };
    const auto kibRatio = [&](long Figures::*member) {
        return static_cast<double>(figures[0].*member) / static_cast<double>(figures[1].*member);
    };
    std::printf(
        "  ratio %s/%s: readings/s %.3f   CPU per reading %.3f   VmRSS %.3f   RssAnon %.3f   "
        "VmHWM %.3f   Pss %.3f   Pss_Anon %.3f   Pss_File %.3f\n",
        setup.publishers[0]->name.c_str(), setup.publishers[1]->name.c_str(), ratio(&Figures::rate),
        ratio(&Figures::cpuPerReading), kibRatio(&Figures::rss), kibRatio(&Figures::anon),
        kibRatio(&Figures::hwm), kibRatio(&Figures::pss), kibRatio(&Figures::pssAnon),
        kibRatio(&Figures::pssFile));
    bool met = goal("CPU per reading", ratio(&Figures::cpuPerReading), 0.8);
    met = goal("VmRSS", kibRatio(&Figures::rss), 1.0) && met;
    met = goal("Pss", kibRatio(&Figures::pss), 1.0) && met;
    return met ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    Setup setup;
    return benchmarkMain(
        "citysense-bench-footprint", [&] { setup = parse(argc, argv); }, [&] { return measure(setup); });
}
