// A request target of citysense-api ("/v1.1/Things(1)/Datastreams?$top=5"), anyone's: read as the
// service reads it, the URI, then the resource path below /v1.1/ and the query options. Each is accepted
// or refused with its own exception; an accepted path names types the model has.
#include <ResourcePath.h>
#include <query/QueryError.h>
#include <query/QueryOptions.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace citysense::api;
    try {
        const Poco::URI uri(std::string(reinterpret_cast<const char*>(data), size));
        const std::string path = uri.getPath();
        parseQueryOptions(uri.getRawQuery());
        if (path.rfind("/v1.1/", 0) == 0) {
            const ResourcePath resource = parseResourcePath(path.substr(6));
            if (entitySetName(resource.target())[0] == '\0')
                std::abort();  // every path ends at an entity set of the model
        }
    } catch (const Poco::SyntaxException&) {
    } catch (const MalformedPath&) {
    } catch (const UnknownPath&) {
    } catch (const QueryError&) {
    }
    return 0;
}
