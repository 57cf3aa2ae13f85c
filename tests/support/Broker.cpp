#include "Broker.h"
