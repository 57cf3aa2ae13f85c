#include <citysense/TopicTemplate.h>
