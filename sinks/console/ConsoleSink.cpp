// console: writes every sample as one text line, in the prototype subscriber's format or as JSON, to
// stdout or appended to a file. See README.md for the options.
#include <citysense/Export.h>
#include <citysense/Format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

using namespace citysense;

class ConsoleSink : public Sink {
public:
    const OptionTable& options() const override {
        static const OptionTable table = {
            Option::choice(
                "format", {"seed", "json"}, "seed",
                "seed: the prototype subscriber's tab-separated line; json: one JSON object a line"),
            Option::integer("precision", "2", "Decimals of SensorData in the seed format").range(0, 17),
            Option::string("output", "-", "Where lines go: - for stdout, otherwise a file appended to"),
        };
        return table;
    }

    void configure(const Options& options) override {
        _json = options.getString("format") == "json";
        _precision = static_cast<int>(options.getInt("precision"));
        _output = options.getString("output");
    }

    void open() override {
        if (_output == "-")
            return;
        _file.reset(std::fopen(_output.c_str(), "a"));
        if (!_file)
            throw std::runtime_error("cannot open '" + _output + "' for appending: " + std::strerror(errno));
    }

    void write(const SampleBatch& batch) override {
        std::string lines;
        for (const Sample& sample : batch)
            lines += (_json ? formatJsonLine(sample) : formatSeedLine(sample, _precision)) + '\n';
        std::FILE* out = _file ? _file.get() : stdout;
        if (std::fwrite(lines.data(), 1, lines.size(), out) != lines.size() || std::fflush(out) != 0) {
            const int error = errno;
            std::clearerr(out);
            throw std::runtime_error("cannot write to " + (_file ? "'" + _output + "'" : "stdout") + ": " +
                                     std::strerror(error));
        }
    }

    void close() override { _file.reset(); }

private:
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };

    bool _json = false;
    int _precision = 2;
    std::string _output;
    std::unique_ptr<std::FILE, FileCloser> _file;  ///< null: stdout
};

CITYSENSE_SINK(ConsoleSink, "console", "1.0.0",
               "Prints samples as prototype seed lines or JSON to stdout or a file")
