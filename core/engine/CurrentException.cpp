#include "CurrentException.h"

#include <Poco/Exception.h>

#include <exception>

namespace citysense {

std::string currentExceptionText() {
    try {
        throw;
    } catch (const Poco::Exception& error) {
        return error.displayText();
    } catch (const std::exception& error) {
        return error.what();
    } catch (...) {
        return "an exception of a type that is not std::exception";
    }
}

}  // namespace citysense
