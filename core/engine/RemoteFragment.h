// The applied remote configuration on disk: a conf.d fragment beside the main configuration file,
// conf.d/99-remote.ini, that the operator can read (and delete, then reload, to return to the files'
// own values). Its header comment records the version and request it came from, so a restarted
// gateway knows which version it runs. It is replaced atomically, never edited in place.
#pragma once

#include "SignedDocument.h"

#include <cstdint>
#include <string>

namespace citysense {

/// conf.d/99-remote.ini beside `configPath`, spelt as readConfigFile() spells fragment paths.
std::string remoteFragmentPath(const std::string& configPath);

/// The fragment's INI text: a header saying what it is and where it came from, then the changes.
std::string renderRemoteFragment(const DesiredDocument& document);

/// The document a fragment was written from.
struct RemoteFragmentOrigin {
    std::int64_t version = 0;  ///< 0: no fragment, or not one citysensed wrote
    std::string request;
};

/// What the fragment at `path` records of its document.
RemoteFragmentOrigin readRemoteFragmentOrigin(const std::string& path);

/// Writes `text` to `path` so that a reader or a crash sees the old file or the new one, whole: a
/// temporary file beside it, synced, renamed over it, and the directory synced. Creates the directory.
/// Throws std::runtime_error naming the file.
void writeFileAtomically(const std::string& path, const std::string& text);

}  // namespace citysense
