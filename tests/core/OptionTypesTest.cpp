// The option types plugins used to parse by hand: sizes, paths (relative to the configuration
// file's folder) and secrets (from a file or the environment).
#include <citysense/Options.h>
#include <citysense/Secret.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const OptionTable& table() {
    static const OptionTable options = {
        Option::size("spool_size", "64M", "Most bytes on disk").atLeast(4096),
        Option::path("ca_file", "", "A certificate"),
        Option::path("state_dir", "state", "A directory"),
        Option::secret("password", "Password at the broker"),
    };
    return options;
}

Options parse(const std::map<std::string, std::string>& raw, std::vector<OptionIssue>& issues,
              const std::string& baseDirectory = "/etc/citysense") {
    return Options::parse(table(), raw, issues, baseDirectory);
}

/// The one issue parsing `raw` gives, as "key: message".
std::string onlyIssue(const std::map<std::string, std::string>& raw) {
    std::vector<OptionIssue> issues;
    parse(raw, issues);
    if (issues.size() != 1)
        return std::to_string(issues.size()) + " issues";
    return issues[0].key + ": " + issues[0].message;
}

TEST(SizeOption, TakesBytesAndPowersOf1024) {
    std::vector<OptionIssue> issues;
    EXPECT_EQ(parse({}, issues).getByteSize("spool_size"), 64u << 20);
    EXPECT_EQ(parse({{"spool_size", "4096"}}, issues).getByteSize("spool_size"), 4096u);
    EXPECT_EQ(parse({{"spool_size", "8k"}}, issues).getByteSize("spool_size"), 8u << 10);
    EXPECT_EQ(parse({{"spool_size", "2G"}}, issues).getByteSize("spool_size"), 2ull << 30);
    EXPECT_TRUE(issues.empty());
    EXPECT_STREQ(typeName(OptionType::Size), "size");
}

TEST(SizeOption, ABadOrTooSmallSizeIsAnIssueNamingIt) {
    EXPECT_EQ(onlyIssue({{"spool_size", "12X"}}),
              "spool_size: expected size: '12X' is not a size (bytes, or a whole number with k, M or G)");
    EXPECT_EQ(onlyIssue({{"spool_size", "1.5M"}}),
              "spool_size: expected size: '1.5M' is not a size (bytes, or a whole number with k, M or G)");
    EXPECT_EQ(onlyIssue({{"spool_size", "1000"}}),
              "spool_size: expected size: 1000 is out of range: must be at least 4096");
    EXPECT_EQ(onlyIssue({{"spool_size", "99999999999G"}}),
              "spool_size: expected size: '99999999999G' is not a size (bytes, or a whole number with k, M "
              "or G)");
}

TEST(PathOption, ARelativePathIsRelativeToTheConfigurationFilesFolder) {
    std::vector<OptionIssue> issues;
    const Options options = parse({{"ca_file", "../demo/ca.crt"}}, issues);
    EXPECT_TRUE(issues.empty());
    EXPECT_EQ(options.getPath("ca_file"), "/etc/demo/ca.crt");
    EXPECT_EQ(options.getPath("state_dir"), "/etc/citysense/state");
    EXPECT_EQ(options.resolvePath("readings.sqlite"), "/etc/citysense/readings.sqlite");
    EXPECT_EQ(options.resolvePath(""), "");
    EXPECT_STREQ(typeName(OptionType::Path), "path");
}

TEST(PathOption, AnAbsolutePathStaysAsWritten) {
    std::vector<OptionIssue> issues;
    EXPECT_EQ(parse({{"ca_file", "/srv/ca.crt"}}, issues).getPath("ca_file"), "/srv/ca.crt");
    EXPECT_TRUE(issues.empty());
}

TEST(PathOption, WithoutAFolderAPathStaysRelativeToTheWorkingDirectory) {
    std::vector<OptionIssue> issues;
    EXPECT_EQ(parse({{"ca_file", "certs/ca.crt"}}, issues, "").getPath("ca_file"), "certs/ca.crt");
}

/// Secrets in files of a fresh directory.
class SecretOption : public ::testing::Test {
protected:
    void SetUp() override {
        _directory = std::filesystem::temp_directory_path() /
                     ("citysense-secret-" + std::to_string(::getpid()) + "-" +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(_directory);
    }
    void TearDown() override { std::filesystem::remove_all(_directory); }

    std::string file(const std::string& name, const std::string& text,
                     std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                   std::filesystem::perms::owner_write) {
        const auto path = _directory / name;
        std::ofstream(path) << text;
        std::filesystem::permissions(path, mode);
        return path.string();
    }

    /// The OptionError getSecret throws, as "key: message".
    std::string secretError(const std::map<std::string, std::string>& raw) {
        std::vector<OptionIssue> issues;
        const Options options = parse(raw, issues, _directory.string());
        try {
            options.getSecret("password");
        } catch (const OptionError& error) {
            return error.key() + ": " + error.what();
        }
        return "(no OptionError)";
    }

    std::filesystem::path _directory;
};

TEST_F(SecretOption, IsSetWithTwoKeys) {
    EXPECT_EQ(table()[3].keys(), (std::vector<std::string>{"password_file", "password_env"}));
    EXPECT_STREQ(typeName(OptionType::Secret), "secret");
}

TEST_F(SecretOption, IsTheFirstLineOfItsFileWithoutTheLineEnd) {
    file("broker.password", "s3cret\r\nsecond line\n");
    std::vector<OptionIssue> issues;
    // Relative to the configuration file's folder, like every path.
    const Options options = parse({{"password_file", "broker.password"}}, issues, _directory.string());
    EXPECT_TRUE(issues.empty());
    EXPECT_EQ(options.getSecret("password"), "s3cret");
}

TEST_F(SecretOption, IsTheValueOfItsEnvironmentVariable) {
    ::setenv("CITYSENSE_TEST_SECRET", "from-env", 1);
    std::vector<OptionIssue> issues;
    EXPECT_EQ(parse({{"password_env", "CITYSENSE_TEST_SECRET"}}, issues).getSecret("password"), "from-env");
    ::unsetenv("CITYSENSE_TEST_SECRET");
}

TEST_F(SecretOption, IsEmptyWhenNeitherKeyIsSet) {
    std::vector<OptionIssue> issues;
    EXPECT_EQ(parse({}, issues).getSecret("password"), "");
}

TEST_F(SecretOption, AFileEveryUserCanReadIsRefusedWithoutShowingTheSecret) {
    const std::string path = file("open.password", "s3cret\n",
                                  std::filesystem::perms::owner_read | std::filesystem::perms::others_read);
    const std::string error = secretError({{"password_file", path}});
    EXPECT_EQ(error, "password_file: '" + path + "' is readable by every user (chmod o-r it)");
    EXPECT_THAT(error, Not(HasSubstr("s3cret")));
}

TEST_F(SecretOption, AMissingOrEmptyFileIsAnErrorNamingTheKeyAndTheFile) {
    const std::string missing = (_directory / "missing.password").string();
    EXPECT_EQ(secretError({{"password_file", missing}}),
              "password_file: cannot read '" + missing + "': No such file or directory");
    const std::string empty = file("empty.password", "\n");
    EXPECT_EQ(secretError({{"password_file", empty}}),
              "password_file: '" + empty + "' is empty (the secret is its first line)");
}

TEST_F(SecretOption, AnUnsetVariableIsAnErrorNamingTheKey) {
    ::unsetenv("CITYSENSE_TEST_UNSET");
    EXPECT_EQ(secretError({{"password_env", "CITYSENSE_TEST_UNSET"}}),
              "password_env: environment variable CITYSENSE_TEST_UNSET is not set");
}

TEST_F(SecretOption, FileAndVariableTogetherAreAnIssue) {
    EXPECT_EQ(onlyIssue({{"password_file", "a"}, {"password_env", "B"}}),
              "password_env: give password_file or password_env, not both");
}

TEST_F(SecretOption, ItsKeysAreTheKnownOnesAndCannotBeDeclaredTwice) {
    EXPECT_THAT(onlyIssue({{"password", "x"}}), HasSubstr("unknown option (known: spool_size, ca_file, "
                                                          "state_dir, password_file, password_env)"));
    EXPECT_EQ(tableProblems(
                  {Option::secret("password", "A password"), Option::string("password_env", "", "Another")}),
              std::vector<std::string>{"option 'password_env' is declared twice"});
}

TEST_F(SecretOption, ReadSecretFileIsWhatCommandLineToolsUseToo) {
    const std::string path = file("cli.password", "pw\n");
    EXPECT_EQ(readSecretFile(path), "pw");
    EXPECT_THROW(readSecretVariable("CITYSENSE_TEST_UNSET_TOO"), std::runtime_error);
}

}  // namespace
}  // namespace citysense
