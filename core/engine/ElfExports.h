// Whether a shared library exports a function, read from its file without loading it. The host checks
// the libraries of plugin_path that its configuration does not run this way, so that a broken one is
// named at every start without being mapped into the process with everything it links.
#pragma once

#include <string>

namespace citysense {

/// Empty when `path` is an ELF shared library for this host's processor, word size and byte order
/// whose dynamic symbol table defines the function `symbol`; otherwise what it is not, as a phrase
/// ("not an ELF file", "it does not export citysense_plugin_info()").
std::string elfExportProblem(const std::string& path, const std::string& symbol);

}  // namespace citysense
