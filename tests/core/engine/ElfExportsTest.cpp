// elfExportProblem over real libraries and broken files: a plugin passes from its file alone, and
// everything else is named for what it is not, without the file being loaded.
#include "LoadingSupport.h"

#include <engine/ElfExports.h>

#include <citysense/Abi.h>

#include <gtest/gtest.h>

#include <elf.h>

#include <fstream>
#include <iterator>

namespace citysense {
namespace {

using test::fixtureFile;

std::string problemOf(const std::string& path) {
    return elfExportProblem(path, CITYSENSE_PLUGIN_INFO_SYMBOL);
}

std::string bytesOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ElfExports, APluginLibraryExportsTheInfoFunction) {
    EXPECT_EQ(problemOf(fixtureFile("good")), "");
    EXPECT_EQ(problemOf(CITYSENSE_TEST_PLUGIN_DIR "/citysense-simulated.so"), "");
}

TEST(ElfExports, ALibraryWithoutTheInfoFunctionIsNoPlugin) {
    EXPECT_EQ(problemOf(fixtureFile("not_plugin")), "it does not export citysense_plugin_info()");
}

TEST(ElfExports, TextIsNoElfFile) {
    EXPECT_EQ(problemOf(fixtureFile("not_elf")), "not an ELF file");
    const test::ScratchDir dir;
    EXPECT_EQ(problemOf(dir.write("empty.so", "")), "not an ELF file");
}

TEST(ElfExports, AnUnreadableFileSaysSo) {
    EXPECT_EQ(problemOf("/nonexistent/citysense-x.so"), "it cannot be read");
}

TEST(ElfExports, AnObjectFileIsNoSharedLibrary) {
    std::string object = bytesOf(fixtureFile("good"));
    object[16] = ET_REL;  // e_type, little-endian on the hosts the tests run on
    object[17] = 0;
    const test::ScratchDir dir;
    EXPECT_EQ(problemOf(dir.write("object.so", object)), "not a shared library");
}

TEST(ElfExports, ATruncatedLibraryIsNamedDamaged) {
    const std::string whole = bytesOf(fixtureFile("good"));
    const test::ScratchDir dir;
    const std::string truncated = dir.write("citysense-truncated.so", whole.substr(0, whole.size() / 2));
    EXPECT_EQ(problemOf(truncated), "its section table is missing or damaged");
}

TEST(ElfExports, ALibraryOfAnotherWordSizeOrByteOrderIsNamedSo) {
    std::string other = bytesOf(fixtureFile("good"));
    const test::ScratchDir dir;
    other[4] = other[4] == 2 ? 1 : 2;  // EI_CLASS
    EXPECT_EQ(problemOf(dir.write("class.so", other)), "built for another word size");
    other = bytesOf(fixtureFile("good"));
    other[5] = other[5] == 1 ? 2 : 1;  // EI_DATA
    EXPECT_EQ(problemOf(dir.write("order.so", other)), "built for another byte order");
}

}  // namespace
}  // namespace citysense
