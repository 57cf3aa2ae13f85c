// Test support for the tests that drive real programs and servers (citysensed, Mosquitto, MariaDB, the
// tools): running a command to its end or in the background, reading the files they write, finding free
// loopback ports.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace citysense::test {

/// What a command left: its exit code (128 + signal when killed) and standard output and error together.
struct CommandResult {
    int status = -1;
    std::string output;
};

/// Runs `command` (argv[0] looked up in PATH) to its end, standard input from /dev/null, with
/// `environment` added to this process's. A command still running after a minute is a hang: it is
/// killed and its output says so.
CommandResult runProgram(const std::vector<std::string>& command,
                         const std::map<std::string, std::string>& environment = {});

/// Runs this build's citysensed with `arguments` to its end, as runProgram does.
CommandResult runCitysensed(const std::vector<std::string>& arguments,
                            const std::map<std::string, std::string>& environment = {});

/// Starts `command` (argv[0] looked up in PATH) in the background, standard input from /dev/null,
/// standard output and error appended to the file `outputPath`, with `environment` added to this
/// process's environment; its process id, for waitForExit.
pid_t startProgram(const std::vector<std::string>& command, const std::string& outputPath,
                   const std::map<std::string, std::string>& environment = {});

/// Waits for the child `pid` to end; its exit code (128 + signal when killed).
int waitForExit(pid_t pid);

/// Runs a command that must succeed; its output, or std::runtime_error with the command and its output.
std::string runChecked(const std::vector<std::string>& command);

/// The command's words joined by spaces, for messages.
std::string commandLine(const std::vector<std::string>& command);

/// The whole file; empty when it cannot be read.
std::string readFile(const std::string& path);

/// The file's size; 0 when it does not exist.
std::uintmax_t fileSize(const std::string& path);

/// `count` different free loopback ports: bound to port 0 together, then released.
std::vector<unsigned> freePorts(std::size_t count);

}  // namespace citysense::test
