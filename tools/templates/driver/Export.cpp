// The plugin's exports: the ABI function the host checks first, and the Poco manifest.
#include "@CLASS@.h"

#include <citysense/Export.h>

CITYSENSE_DRIVER(@CLASS@, "@NAME@", "1.0.0", "TMP102 temperature sensor on I2C (from the citysense template)")
