// The mqtt sink's record of answers (sinks/mqtt/Deliveries.h) without a broker: paho's completions are
// played by calling the listener as paho's thread does. A window that is full waits until half of it is
// answered, the end of a write waits for the last answer, and a lost connection or a broker that stops
// answering ends a wait. Refusals need a broker's reason codes: RefusalTest covers them.
#include "Deliveries.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace citysense::mqtt {
namespace {

using namespace std::chrono_literals;
using Wait = Deliveries::Wait;

class MqttDeliveries : public ::testing::Test {
protected:
    /// Never connected: it only gives the tokens a client, as paho's do.
    ::mqtt::async_client _client{"tcp://127.0.0.1:1", "deliveries-test"};
    Deliveries _deliveries;

    /// What paho's thread does when the broker acknowledges a message.
    void acknowledge() {
        const auto token = ::mqtt::delivery_token::create(_client, ::mqtt::make_message("a/b", "1"));
        static_cast<::mqtt::iaction_listener&>(_deliveries).on_success(*token);
    }
    void fail(const std::string& topic) {
        const auto token = ::mqtt::delivery_token::create(_client, ::mqtt::make_message(topic, "1"));
        static_cast<::mqtt::iaction_listener&>(_deliveries).on_failure(*token);
    }
};

TEST_F(MqttDeliveries, AWindowWithRoomNeverWaits) {
    _deliveries.startWrite();
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    acknowledge();
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
}

TEST_F(MqttDeliveries, AFullWindowWaitsUntilHalfOfItIsAnswered) {
    _deliveries.startWrite();
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    std::atomic<bool> reserved{false};
    std::thread sink([&] {
        EXPECT_EQ(_deliveries.reserve(4, 30s), Wait::Done);
        reserved = true;
    });
    // Time for the thread to wait on the full window (an answer before it did would leave it room).
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(reserved) << "returned with 4 of 4 unanswered";
    acknowledge();
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(reserved) << "woken with 3 of 4 unanswered";
    acknowledge();
    sink.join();
    EXPECT_TRUE(reserved);
    // 2 unanswered and the one just reserved: 3 of 4.
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::TimedOut);
}

TEST_F(MqttDeliveries, TheEndOfAWriteWaitsForTheLastAnswer) {
    _deliveries.startWrite();
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    std::thread broker([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(20ms);
            acknowledge();
        }
    });
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Done);
    broker.join();
    EXPECT_EQ(_deliveries.refusedCount(), 0u);
    EXPECT_FALSE(_deliveries.firstFailure());
}

TEST_F(MqttDeliveries, ABrokerThatStopsAnsweringTimesOut) {
    _deliveries.startWrite();
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge();
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(_deliveries.awaitAll(200ms), Wait::TimedOut);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

TEST_F(MqttDeliveries, ABrokerThatKeepsAnsweringIsWaitedForLongerThanTheTimeout) {
    _deliveries.startWrite();
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    std::thread broker([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(400ms);
            acknowledge();
        }
    });
    // 1.2 s in all, each answer within 1 s of the one before.
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Done);
    broker.join();
}

TEST_F(MqttDeliveries, ALostConnectionEndsAWaitAtOnce) {
    _deliveries.startWrite();
    ASSERT_EQ(_deliveries.reserve(1, 1ms), Wait::Done);
    std::thread paho([&] {
        std::this_thread::sleep_for(50ms);
        _deliveries.connectionLost();
    });
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(_deliveries.reserve(1, 30s), Wait::Lost);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    paho.join();
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Lost);
}

TEST_F(MqttDeliveries, EverythingAnsweredBeforeTheConnectionWentIsDone) {
    _deliveries.startWrite();
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge();
    _deliveries.connectionLost();
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Done);
}

TEST_F(MqttDeliveries, TheFirstFailureOfAWriteIsKeptWithItsTopicUntilTheNextWrite) {
    _deliveries.startWrite();
    for (int i = 0; i < 2; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    fail("first/topic");
    fail("second/topic");
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Done);
    ASSERT_TRUE(_deliveries.firstFailure());
    EXPECT_EQ(_deliveries.firstFailure()->topic, "first/topic");
    EXPECT_EQ(_deliveries.refusedCount(), 0u);
    _deliveries.startWrite();
    EXPECT_FALSE(_deliveries.firstFailure());
}

}  // namespace
}  // namespace citysense::mqtt
