// The Gill WindSonic ultrasonic anemometer on a serial port. It streams about one frame a second, in
// Gill's polar format (GillFrame.h) or as NMEA MWV sentences (NmeaMwv.h); run() reads them line by
// line and emits wind speed and direction. See README.md.

#include "GillFrame.h"
#include "NmeaMwv.h"

#include <citysense/Export.h>
#include <citysense/bus/Serial.h>

#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace citysense::windsonic {

namespace {

/// How long one wait for a line lasts: run() sees a stop request within this.
constexpr Micros kReadSlice = 200 * 1000;

/// A frame is under 40 bytes and an NMEA sentence at most 82: a longer run without a line end is not
/// the anemometer talking (a wrong baud rate, another device).
constexpr std::size_t kMaxLine = 512;

/// The WindSonic 75's range; the WindSonic's is 0-60 m/s (WindSonic manual, section 5).
constexpr double kMaxSpeed = 75.0;

struct Protocol {
    const char* name;
    FrameParse (*parse)(std::string_view line);
    const char* what;  ///< what one line holds, for log lines
};

const Protocol kProtocols[] = {
    {"gill", parseGillFrame, "Gill polar frames"},
    {"nmea", parseMwvSentence, "NMEA MWV sentences"},
};

const Protocol& protocolByName(const std::string& name) {
    const auto found = std::find_if(std::begin(kProtocols), std::end(kProtocols),
                                    [&](const Protocol& protocol) { return name == protocol.name; });
    if (found == std::end(kProtocols))
        throw OptionError("protocol",
                          "'" + name + "' is not a protocol of this driver");  // the table allows none
    return *found;
}

bool isBlankLine(const std::string& line) {
    return line.find_first_not_of(" \t\r\n") == std::string::npos;
}

/// The lines that gave no frame since the last frame (or the start of run()), for the silence error.
class Rejects {
public:
    void add(const FrameParse& parsed, const std::string& line) {
        if (parsed.problem == FrameProblem::BadChecksum)
            ++_badChecksums;
        else
            ++_malformed;
        _last = parsed.error + ": " + quoteText(line);
    }

    /// Starts the counts again: a frame arrived, or run() began.
    void restartCounts() {
        _badChecksums = 0;
        _malformed = 0;
        _last.clear();
    }

    /// The last rejected line and why.
    const std::string& last() const { return _last; }

    /// " (rejected since the last frame: ...; the last: ...)", or nothing if no line was.
    std::string summary() const {
        if (_badChecksums + _malformed == 0)
            return "";
        return " (rejected since the last frame: " + std::to_string(_badChecksums) +
               " with a bad checksum, " + std::to_string(_malformed) + " unreadable; the last: " + _last +
               ")";
    }

private:
    std::uint64_t _badChecksums = 0;
    std::uint64_t _malformed = 0;
    std::string _last;
};

}  // namespace

class WindSonicDriver : public Driver {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::string("port", "",
                           "Serial device of the anemometer, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...")
                .mandatory(),
            Option::choice("baud", supportedBaudRates(), "9600", "Baud rate of the anemometer (8N1)"),
            Option::choice("protocol", {"gill", "nmea"}, "gill",
                           "What the anemometer sends: gill (Gill polar, continuous: the factory setting) or "
                           "nmea (NMEA 0183 MWV sentences)"),
            Option::duration("silence_timeout", "5s",
                             "No valid frame for this long is a fault: run() ends, the host reopens the port")
                .range(0.1, 3600),
        };
        return table;
    }

    void configure(const Options& options) override {
        _path = options.getString("port");
        _settings.baud = std::stoi(options.getString("baud"));
        _protocol = &protocolByName(options.getString("protocol"));
        _silenceTimeout = options.getDuration("silence_timeout");
    }

    std::vector<Channel> channels() const override {
        return {{Quantity::WindSpeed, 0.0, kMaxSpeed}, {Quantity::WindDirection, 0.0, 360.0}};
    }

    bool eventDriven() const override { return true; }

    void open() override {
        _port = std::make_unique<SerialPort>(_path, _settings);
        _port->discardInput();  // what waited in the driver is old
        _fresh = true;
        _status.clear();
        _faulty = false;
    }

    void close() override { _port.reset(); }

    void run(Emitter& emitter, const StopToken& stop) override {
        if (!_port)
            open();
        try {
            receive(emitter, stop);
        } catch (const BusError&) {
            _port.reset();  // the port failed: open it afresh next time
            throw;
        }
    }

private:
    void receive(Emitter& emitter, const StopToken& stop) {
        _rejects.restartCounts();
        Micros lastFrame = steadyMicros();
        while (!stop.stopRequested()) {
            const auto line = _port->readUntil('\n', kReadSlice, kMaxLine);
            const Micros now = steadyMicros();
            if (line && !isBlankLine(*line)) {
                const FrameParse parsed = _protocol->parse(*line);
                if (parsed.frame) {
                    emitFrame(*parsed.frame, emitter);
                    _rejects.restartCounts();
                    lastFrame = now;
                } else if (!_fresh) {
                    _rejects.add(parsed, *line);
                    countDropped(parsed.problem == FrameProblem::BadChecksum ? "bad_checksum" : "bad_frame",
                                 1, _rejects.last());
                }
                _fresh = false;  // the first line after opening may be the tail of a frame: not counted
            }
            if (now - lastFrame >= _silenceTimeout)
                throw std::runtime_error("no data from " + _path + " for " + formatDuration(_silenceTimeout) +
                                         _rejects.summary());
        }
    }

    void emitFrame(const WindFrame& frame, Emitter& emitter) {
        noteStatus(frame);
        const Micros now = nowMicros();
        SampleBatch batch;
        if (frame.fault) {
            // Not a reading: the gap is kept visible downstream, flagged, without a made-up value.
            const double none = std::numeric_limits<double>::quiet_NaN();
            batch.push_back(makeSample(Quantity::WindSpeed, none, now, QualitySensorFault));
            batch.push_back(makeSample(Quantity::WindDirection, none, now, QualitySensorFault));
        } else {
            batch.push_back(makeSample(Quantity::WindSpeed, frame.speed, now, QualityOk));
            if (frame.direction)
                batch.push_back(makeSample(Quantity::WindDirection, *frame.direction, now, QualityOk));
        }
        emitter.emit(batch);
    }

    /// Logs the first frame after opening and every change of the sensor's status.
    void noteStatus(const WindFrame& frame) {
        if (_status.empty())
            logger().information("receiving " + std::string(_protocol->what) + " on " + _path);
        if (frame.fault && frame.status != _status)
            logger().warning("the anemometer reports status " + frame.status + " (" + frame.statusText +
                             "): its samples are flagged sensor_fault");
        else if (!frame.fault && _faulty)
            logger().notice("the anemometer reports status " + frame.status + " (OK) again");
        _status = frame.status;
        _faulty = frame.fault;
    }

    std::string _path;
    SerialSettings _settings;
    const Protocol* _protocol = &kProtocols[0];
    Micros _silenceTimeout = 0;
    std::unique_ptr<SerialPort> _port;
    bool _fresh = true;
    Rejects _rejects;
    std::string _status;  ///< the status of the last frame; empty before the first
    bool _faulty = false;
};

}  // namespace citysense::windsonic

using citysense::windsonic::WindSonicDriver;

CITYSENSE_DRIVER(WindSonicDriver, "windsonic", "1.0.0",
                 "Gill WindSonic ultrasonic anemometer (Gill or NMEA MWV output) on a serial port")
