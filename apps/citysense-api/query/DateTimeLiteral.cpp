#include "DateTimeLiteral.h"

#include "QueryError.h"

#include <Poco/DateTime.h>
#include <Poco/Timestamp.h>

namespace citysense::api {
namespace {

/// Reads the fixed fields of the text left to right, each error at the field it concerns.
class DateTimeReader {
public:
    DateTimeReader(std::string_view text, const std::string& option, std::size_t offset)
        : text_(text), option_(option), offset_(offset) {}

    std::int64_t read() {
        const int year = number(4, "year");
        expect('-');
        const int month = number(2, "month");
        expect('-');
        const int day = number(2, "day");
        expect('T');
        const int hour = number(2, "hour");
        expect(':');
        const int minute = number(2, "minute");
        int second = 0;
        std::int64_t microsecond = 0;
        if (peek() == ':') {
            ++at_;
            second = number(2, "second");
            if (peek() == '.')
                microsecond = fraction();
        }
        if (year < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 ||
            !Poco::DateTime::isValid(year, month, day))
            fail(0, "date-time: no such date or time");
        const std::int64_t offsetMinutes = zone();
        if (at_ != text_.size())
            fail(at_, "unexpected text after the date-time");
        const Poco::DateTime utc(year, month, day, hour, minute, second);
        return utc.timestamp().epochMicroseconds() + microsecond - offsetMinutes * 60 * 1000000;
    }

private:
    char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }

    [[noreturn]] void fail(std::size_t at, const std::string& message) const {
        throw QueryError(option_, offset_ + at, message);
    }

    void expect(char c) {
        if (peek() != c)
            fail(at_, std::string("date-time: expected '") + c + "'");
        ++at_;
    }

    int number(int digits, const char* field) {
        const std::size_t start = at_;
        int value = 0;
        for (int i = 0; i < digits; ++i) {
            const char c = peek();
            if (c < '0' || c > '9')
                fail(start, std::string("date-time: expected ") + std::to_string(digits) + " digits of the " +
                                field);
            value = value * 10 + (c - '0');
            ++at_;
        }
        return value;
    }

    /// ".123" → 123000 µs; digits beyond the sixth are dropped.
    std::int64_t fraction() {
        ++at_;
        std::int64_t micro = 0;
        int digits = 0;
        while (peek() >= '0' && peek() <= '9') {
            if (++digits > 9)
                fail(at_, "date-time: at most nine digits of a second");
            if (digits <= 6)
                micro = micro * 10 + (peek() - '0');
            ++at_;
        }
        if (digits == 0)
            fail(at_, "date-time: expected digits after '.'");
        for (; digits < 6; ++digits)
            micro *= 10;
        return micro;
    }

    /// Z → 0, ±hh:mm → the offset east of UTC in minutes.
    std::int64_t zone() {
        if (peek() == 'Z') {
            ++at_;
            return 0;
        }
        if (peek() != '+' && peek() != '-')
            fail(at_, "date-time: expected 'Z' or an offset like +01:00 (write '+' as %2B in a URL)");
        const std::size_t signAt = at_++;
        const int sign = text_[signAt] == '-' ? -1 : 1;
        const int hours = number(2, "offset's hours");
        expect(':');
        const int minutes = number(2, "offset's minutes");
        if (hours > 23 || minutes > 59)
            fail(signAt, "date-time: no such offset");
        return sign * (hours * 60 + minutes);
    }

    std::string_view text_;
    const std::string& option_;
    std::size_t offset_;
    std::size_t at_ = 0;
};

}  // namespace

std::int64_t parseDateTime(std::string_view text, const std::string& option, std::size_t offset) {
    return DateTimeReader(text, option, offset).read();
}

}  // namespace citysense::api
