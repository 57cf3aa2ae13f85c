#include <citysense/Payload.h>
