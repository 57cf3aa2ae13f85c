// What the spool tests share: a scratch directory per test and numbered sample sequences.
#pragma once

#include <citysense/Sample.h>

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace citysense::test {

const Station kSpoolStation{"hypo_city", "city_01", "street_01", 52.52, 13.405, true};

/// Samples first, first + 1, ... (the value is the number), from driver.seq.
inline SampleBatch sequence(int first, int count) {
    static const Source* source = Source::intern(kSpoolStation, "driver.seq");
    SampleBatch batch;
    for (int i = 0; i < count; ++i)
        batch.push_back({Quantity::NO2, QualityOk, double(first + i), Micros(first + i) * 1000, source});
    return batch;
}

inline std::vector<double> range(int first, int count) {
    std::vector<double> values;
    for (int i = 0; i < count; ++i)
        values.push_back(first + i);
    return values;
}

inline std::vector<double> valuesOf(const SampleBatch& batch) {
    std::vector<double> values;
    for (const auto& sample : batch)
        values.push_back(sample.value);
    return values;
}

/// A fresh directory for each test, removed afterwards.
class ScratchTest : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-spool-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(_directory);
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string path(const std::string& name) const { return (_directory / name).string(); }

    /// The segment files in `directory`, oldest first.
    static std::vector<std::string> segments(const std::string& directory) {
        std::vector<std::string> found;
        for (const auto& entry : std::filesystem::directory_iterator(directory)) {
            if (entry.path().extension() == ".spool")
                found.push_back(entry.path().string());
        }
        std::sort(found.begin(), found.end());
        return found;
    }

    /// The bytes the segment files in `directory` take.
    static std::uintmax_t segmentBytes(const std::string& directory) {
        std::uintmax_t total = 0;
        for (const auto& segment : segments(directory))
            total += std::filesystem::file_size(segment);
        return total;
    }

private:
    std::filesystem::path _directory;
};

}  // namespace citysense::test
