// Exporting a plugin: one line at the end of the plugin's source file, e.g.
//
//   CITYSENSE_DRIVER(SimulatedDriver, "simulated", "1.0.0", "Simulated sensors for demos and tests")
//
// It exports the plain C function citysense_plugin_info() (ABI version, name, kind, version, summary)
// that the host checks first, and the Poco manifest named after the kind that creates the class.
#pragma once

#include <citysense/Abi.h>
#include <citysense/Driver.h>
#include <citysense/Filter.h>
#include <citysense/Sink.h>

#include <Poco/ClassLibrary.h>

#define CITYSENSE_PLUGIN_API __attribute__((visibility("default")))

#define CITYSENSE_PLUGIN(KIND, BASE, CLASS, NAME, VERSION, SUMMARY)                      \
    extern "C" CITYSENSE_PLUGIN_API const CitysensePluginInfo* citysense_plugin_info() { \
        static const CitysensePluginInfo info = {                                        \
            CITYSENSE_ABI_MAJOR, CITYSENSE_ABI_MINOR, NAME, #KIND, VERSION, SUMMARY};    \
        return &info;                                                                    \
    }                                                                                    \
    POCO_BEGIN_NAMED_MANIFEST(KIND, BASE)                                                \
    POCO_EXPORT_INTERFACE(CLASS, NAME)                                                   \
    POCO_END_MANIFEST

#define CITYSENSE_DRIVER(CLASS, NAME, VERSION, SUMMARY) \
    CITYSENSE_PLUGIN(driver, citysense::Driver, CLASS, NAME, VERSION, SUMMARY)
#define CITYSENSE_FILTER(CLASS, NAME, VERSION, SUMMARY) \
    CITYSENSE_PLUGIN(filter, citysense::Filter, CLASS, NAME, VERSION, SUMMARY)
#define CITYSENSE_SINK(CLASS, NAME, VERSION, SUMMARY) \
    CITYSENSE_PLUGIN(sink, citysense::Sink, CLASS, NAME, VERSION, SUMMARY)
