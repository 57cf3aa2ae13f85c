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

    /// What paho's thread does when the broker acknowledges the message of index `index`.
    void acknowledge(std::size_t index = 0) { listener().on_success(*token("a/b", index)); }
    /// ... and when paho gives up on it (no reason code: the connection went).
    void fail(const std::string& topic, std::size_t index = 0) {
        listener().on_failure(*token(topic, index));
    }

private:
    ::mqtt::iaction_listener& listener() { return _deliveries; }
    ::mqtt::delivery_token_ptr token(const std::string& topic, std::size_t index) {
        return ::mqtt::delivery_token::create(_client, ::mqtt::make_message(topic, "1"),
                                              reinterpret_cast<void*>(index), _deliveries);
    }
};

TEST_F(MqttDeliveries, AWindowWithRoomNeverWaits) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    acknowledge();
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
}

TEST_F(MqttDeliveries, AFullWindowWaitsUntilHalfOfItIsAnswered) {
    _deliveries.startWrite(10);
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
    _deliveries.startWrite(10);
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
    _deliveries.startWrite(10);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge();
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(_deliveries.awaitAll(200ms), Wait::TimedOut);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

TEST_F(MqttDeliveries, ABrokerThatKeepsAnsweringIsWaitedForLongerThanTheTimeout) {
    _deliveries.startWrite(10);
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
    _deliveries.startWrite(10);
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
    _deliveries.startWrite(10);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge();
    _deliveries.connectionLost();
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Done);
}

TEST_F(MqttDeliveries, TheFirstFailureOfAWriteIsKeptWithItsTopicUntilTheNextWrite) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 2; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    fail("first/topic", 0);
    fail("second/topic", 1);
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Done);
    ASSERT_TRUE(_deliveries.firstFailure());
    EXPECT_EQ(_deliveries.firstFailure()->topic, "first/topic");
    EXPECT_FALSE(_deliveries.firstFailure()->brokersAnswer());
    EXPECT_EQ(_deliveries.refusedCount(), 0u);
    _deliveries.startWrite(10);
    EXPECT_FALSE(_deliveries.firstFailure());
}

TEST_F(MqttDeliveries, WhatTheBrokerDidNotAnswerIsListedInOrder) {
    _deliveries.startWrite(5);
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge(0);
    fail("given/up", 1);  // paho's failure without a reason code: no answer from the broker
    acknowledge(3);
    _deliveries.connectionLost();
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Lost);
    // 2 is in flight still, 4 was never published.
    EXPECT_EQ(_deliveries.unanswered(), (std::vector<std::size_t>{1, 2, 4}));
}

}  // namespace
}  // namespace citysense::mqtt
