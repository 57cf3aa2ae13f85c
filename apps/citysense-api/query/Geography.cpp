#include "Geography.h"

#include "QueryError.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace citysense::api {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(text[i])) != prefix[i])
            return false;
    return true;
}

class WktReader {
public:
    WktReader(std::string_view text, const std::string& option, std::size_t offset)
        : text_(text), option_(option), offset_(offset) {}

    GeoArea read() {
        skipSpace();
        if (keyword("SRID=")) {
            const std::size_t sridAt = at_;
            if (!keyword("4326;"))
                fail(sridAt, "geography: only SRID=4326 (WGS 84) is supported");
            skipSpace();
        }
        GeoArea area;
        if (keyword("POLYGON"))
            area = polygon();
        else if (keyword("BBOX"))
            area = box();
        else
            fail(at_, "geography: expected POLYGON((…)) or BBOX(west,south,east,north)");
        skipSpace();
        if (at_ != text_.size())
            fail(at_, "geography: unexpected text after the area");
        return area;
    }

private:
    [[noreturn]] void fail(std::size_t at, const std::string& message) const {
        throw QueryError(option_, offset_ + at, message);
    }

    void skipSpace() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t'))
            ++at_;
    }

    bool keyword(std::string_view word) {
        if (!startsWithNoCase(text_.substr(at_), word))
            return false;
        at_ += word.size();
        return true;
    }

    bool accept(char c) {
        skipSpace();
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!accept(c))
            fail(at_, std::string("geography: expected '") + c + "'");
    }

    double number() {
        skipSpace();
        double value = 0;
        const char* begin = text_.data() + at_;
        const auto [end, error] = std::from_chars(begin, text_.data() + text_.size(), value);
        if (error != std::errc() || !std::isfinite(value))
            fail(at_, "geography: expected a number");
        at_ += static_cast<std::size_t>(end - begin);
        return value;
    }

    GeoPoint point(char separator) {
        const std::size_t pointAt = at_;
        GeoPoint p{};
        p.longitude = number();
        if (separator == ' ') {
            if (at_ >= text_.size() || (text_[at_] != ' ' && text_[at_] != '\t'))
                fail(at_, "geography: expected a space between longitude and latitude");
        } else {
            expect(separator);
        }
        p.latitude = number();
        if (std::fabs(p.longitude) > 180 || std::fabs(p.latitude) > 90)
            fail(pointAt, "geography: longitude must lie in [-180, 180] and latitude in [-90, 90]");
        return p;
    }

    GeoPolygon polygon() {
        expect('(');
        expect('(');
        const std::size_t ringAt = at_;
        GeoPolygon result;
        do {
            if (result.ring.size() == kMaxPolygonPoints)
                fail(at_,
                     "geography: a polygon has at most " + std::to_string(kMaxPolygonPoints) + " points");
            result.ring.push_back(point(' '));
        } while (accept(','));
        expect(')');
        if (accept(','))
            fail(at_ - 1, "geography: only a polygon's outer ring is supported");
        expect(')');
        const GeoPoint& first = result.ring.front();
        const GeoPoint& last = result.ring.back();
        if (result.ring.size() < 4 || first.longitude != last.longitude || first.latitude != last.latitude)
            fail(ringAt,
                 "geography: a polygon's ring needs at least four points, the last equal to the first");
        return result;
    }

    GeoBoundingBox box() {
        expect('(');
        const std::size_t boxAt = at_;
        GeoBoundingBox result{};
        result.southWest = point(',');
        expect(',');
        result.northEast = point(',');
        expect(')');
        if (result.southWest.longitude > result.northEast.longitude ||
            result.southWest.latitude > result.northEast.latitude)
            fail(boxAt, "geography: a box is west,south,east,north with west <= east and south <= north");
        return result;
    }

    std::string_view text_;
    const std::string& option_;
    std::size_t offset_;
    std::size_t at_ = 0;
};

}  // namespace

GeoArea parseGeography(std::string_view text, const std::string& option, std::size_t offset) {
    return WktReader(text, option, offset).read();
}

}  // namespace citysense::api
