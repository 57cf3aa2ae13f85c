// The query string of a /v1.1/live request (things=, datastreams=, quantities=), as citysense-api reads
// it: the URI's parameters (a malformed URI is a Poco::Exception, a 400), then the stream's filter (a
// wrong parameter is std::invalid_argument naming it, a 400), then the filter applied to a reading.
// Nothing else may come out.
#include <LiveFilter.h>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string query(reinterpret_cast<const char*>(data), size);
    Poco::URI::QueryParameters parameters;
    try {
        parameters = Poco::URI("/v1.1/live?" + query).getQueryParameters();
    } catch (const Poco::Exception&) {
        return 0;
    }
    citysense::api::LiveFilter filter;
    try {
        filter = citysense::api::readLiveFilter(parameters);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    filter.stations = {"hypo_city/city_01/*"};
    citysense::api::LiveObservation observation;
    observation.datastream = 3;
    observation.thing = 1;
    observation.quantity = citysense::Quantity::NO2;
    observation.system = "hypo_city";
    observation.city = "city_01";
    observation.street = "street_01";
    filter.accepts(observation);
    return 0;
}
