#include "BenchSupport.h"

#include <sys/resource.h>
#include <unistd.h>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace citysense::bench {

std::string readPassword(const std::string& path) {
    std::ifstream file(path);
    std::string password;
    if (!std::getline(file, password) || password.empty())
        throw std::runtime_error("cannot read a password from " + path);
    return password;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double ownCpuMicros() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto micros = [](const timeval& time) { return time.tv_sec * 1e6 + time.tv_usec; };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

double processCpuMicros(long pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(file, text) || text.rfind(')') == std::string::npos)
        throw std::runtime_error("process " + std::to_string(pid) + " is gone");
    // Fields after the command, which is in parentheses and may hold spaces: state is field 3,
    // utime field 14, stime field 15.
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    double utime = 0;
    double stime = 0;
    for (int number = 3; number <= 15 && fields >> field; ++number) {
        if (number == 14)
            utime = std::stod(field);
        else if (number == 15)
            stime = std::stod(field);
    }
    return (utime + stime) * 1e6 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace citysense::bench
