#include "ElfExports.h"

#include <elf.h>
#include <link.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace citysense {

namespace {

using Header = ElfW(Ehdr);
using Section = ElfW(Shdr);
using Symbol = ElfW(Sym);

constexpr unsigned char kHostClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kHostByteOrder =
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;

/// A file read in pieces, each checked to lie inside it before anything is allocated for it.
class ElfFile {
public:
    explicit ElfFile(const std::string& path) : _in(path, std::ios::binary) {
        _in.seekg(0, std::ios::end);
        const std::streamoff end = _in.tellg();
        _size = _in && end > 0 ? static_cast<std::uint64_t>(end) : 0;
    }

    bool readable() const { return static_cast<bool>(_in); }

    /// Reads `count` items of T from `offset`; false if they do not lie inside the file.
    template <typename T>
    bool read(std::uint64_t offset, std::uint64_t count, std::vector<T>& items) {
        if (offset > _size || count > (_size - offset) / sizeof(T))
            return false;
        items.resize(count);
        _in.seekg(static_cast<std::streamoff>(offset));
        return static_cast<bool>(
            _in.read(reinterpret_cast<char*>(items.data()), static_cast<std::streamsize>(count * sizeof(T))));
    }

private:
    std::ifstream _in;
    std::uint64_t _size = 0;
};

/// The processor this process runs on, from its own executable's header.
ElfW(Half) hostMachine() {
    static const ElfW(Half) machine = [] {
        ElfFile self("/proc/self/exe");
        std::vector<Header> header;
        return self.read(0, 1, header) ? header[0].e_machine : ElfW(Half){EM_NONE};
    }();
    return machine;
}

/// Whether the symbol table `table` defines the function `symbol`.
bool definesFunction(ElfFile& file, const std::vector<Section>& sections, const Section& table,
                     const std::string& symbol, bool& damaged) {
    std::vector<Symbol> symbols;
    std::vector<char> names;
    if (table.sh_entsize != sizeof(Symbol) || table.sh_link >= sections.size() ||
        !file.read(table.sh_offset, table.sh_size / sizeof(Symbol), symbols) ||
        !file.read(sections[table.sh_link].sh_offset, sections[table.sh_link].sh_size, names)) {
        damaged = true;
        return false;
    }
    for (const Symbol& entry : symbols) {
        // ELF32_ST_TYPE and ELF32_ST_BIND are the same as these.
        if (entry.st_shndx == SHN_UNDEF || ELF64_ST_TYPE(entry.st_info) != STT_FUNC ||
            ELF64_ST_BIND(entry.st_info) == STB_LOCAL || entry.st_name >= names.size())
            continue;
        const char* name = names.data() + entry.st_name;
        const std::size_t room = names.size() - entry.st_name;
        if (room > symbol.size() && std::memcmp(name, symbol.c_str(), symbol.size() + 1) == 0)
            return true;
    }
    return false;
}

}  // namespace

std::string elfExportProblem(const std::string& path, const std::string& symbol) {
    ElfFile file(path);
    if (!file.readable())
        return "it cannot be read";
    std::vector<Header> headers;
    if (!file.read(0, 1, headers) || std::memcmp(headers[0].e_ident, ELFMAG, SELFMAG) != 0)
        return "not an ELF file";
    const Header& header = headers[0];
    if (header.e_ident[EI_CLASS] != kHostClass)
        return "built for another word size";
    if (header.e_ident[EI_DATA] != kHostByteOrder)
        return "built for another byte order";
    if (header.e_type != ET_DYN)
        return "not a shared library";
    if (header.e_machine != hostMachine())
        return "built for another processor (ELF machine " + std::to_string(header.e_machine) + ")";
    std::vector<Section> sections;
    if (header.e_shentsize != sizeof(Section) || header.e_shnum == 0 ||
        !file.read(header.e_shoff, header.e_shnum, sections))
        return "its section table is missing or damaged";
    bool damaged = false;
    for (const Section& section : sections) {
        if (section.sh_type == SHT_DYNSYM && definesFunction(file, sections, section, symbol, damaged))
            return "";
    }
    if (damaged)
        return "its dynamic symbol table is damaged";
    return "it does not export " + symbol + "()";
}

}  // namespace citysense
