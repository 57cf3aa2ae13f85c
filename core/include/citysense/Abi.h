// The plugin ABI: what a plugin library exports before anything else, so the host can check it
// with a plain symbol lookup before it asks Poco's ClassLoader for the manifest.
#pragma once

/// Plugins built against a different major version are refused. A minor version adds to the SDK
/// without changing what existing plugins see; a host accepts plugins of its minor version or older.
/// 1.1 added Plugin::latestReadings(), lent through InstanceContext, keeping the layout of Plugin, and
/// the option types size, path and secret. 1.2 added Plugin::countDropped() and dropCounts(), the
/// counts lent through InstanceContext, again keeping the layout of Plugin; Filter::takeOver() at the
/// end of Filter's vtable (the host calls it only on filters built for 1.2 or later); the quality flag
/// QualityPartial. Emitter::emitDurably(), after emit()
/// in the emitter's virtual table (the host implements Emitter, plugins only call it). PermanentWriteError
/// (Sink.h). 1.3 added announcements (Announcement.h): Sink::announce() and then Sink::controlChannel()
/// (ControlChannel.h) at the end of Sink's vtable (the host calls them only on sinks built for 1.3 or
/// later), and Emitter::announce() after emitDurably(). 1.4 added calendarTime() and microsOf() (Time.h),
/// functions the host library exports: a plugin that calls them cannot load into an older host. 1.5
/// added Plugin::countEvent() and eventCounts() (EventCounts.h), the counts lent through
/// InstanceContext as the drop counts are, and DropCounts::isReason(): again functions of the host
/// library, keeping the layout of Plugin.
#define CITYSENSE_ABI_MAJOR 1
#define CITYSENSE_ABI_MINOR 5

/// Name of the C function every plugin library exports (see CITYSENSE_PLUGIN in Export.h).
#define CITYSENSE_PLUGIN_INFO_SYMBOL "citysense_plugin_info"

extern "C" {

/// Returned by a plugin's citysense_plugin_info(). Plain C so that its layout never depends on
/// the C++ library; fields are only ever appended.
struct CitysensePluginInfo {
    unsigned abiMajor;
    unsigned abiMinor;
    const char* name;     ///< the name configurations use: `plugin = NAME`
    const char* kind;     ///< "driver", "filter" or "sink"; also the name of its Poco manifest
    const char* version;  ///< the plugin's own version, e.g. "1.2.0"
    const char* summary;  ///< one line for --list-plugins
};

typedef const CitysensePluginInfo* (*CitysensePluginInfoFunction)();
}
