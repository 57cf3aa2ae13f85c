// The XML reader of ConfigEntries.h: one pass of Poco's SAX parser, with the depth bounded before any
// element is kept (a document nested 20,000 levels deep is refused at level 17, not walked).
#include "Config.h"
#include "ConfigEntries.h"

#include <Poco/Exception.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXParser.h>

namespace citysense {

namespace {

bool isBlank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

class EntryCollector : public Poco::XML::DefaultHandler {
public:
    explicit EntryCollector(const std::string& path) : _path(path) {}

    std::vector<ConfigEntry> take() { return std::move(_entries); }

    void setDocumentLocator(const Poco::XML::Locator* locator) override { _locator = locator; }

    void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                      const Poco::XML::XMLString& name, const Poco::XML::Attributes& attributes) override {
        if (static_cast<int>(_open.size()) >= ConfigLimits::maxXmlDepth)
            fail("<" + name + "> is nested deeper than " + std::to_string(ConfigLimits::maxXmlDepth) +
                 " levels");
        if (!_open.empty()) {
            // Below the document element every element is a section or a key.
            if (attributes.getLength() > 0)
                fail("<" + name + "> has an attribute (" + attributes.getQName(0) +
                     "): write values as elements, <key>value</key>");
            if (name.find('.') != std::string::npos)
                fail("<" + name + ">: an element name may not contain '.': nest the elements instead");
            if (const std::string problem = nameProblem(name); !problem.empty())
                fail("<" + name + ">: " + problem);
            Element& parent = _open.back();
            if (!isBlank(parent.text))
                fail("<" + parent.name + "> has both text and elements");
            parent.hasChildren = true;
        }
        _open.push_back({name, keyOf(name), "", false, line()});
    }

    void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                    const Poco::XML::XMLString&) override {
        const Element element = std::move(_open.back());
        _open.pop_back();
        if (_open.empty())
            return;  // the document element
        if (!element.hasChildren)
            _entries.push_back({element.key, trimmed(element.text), element.line});
        else if (!isBlank(element.text))
            fail("<" + element.name + "> has both text and elements");
    }

    void characters(const Poco::XML::XMLChar text[], int start, int length) override {
        Element& element = _open.back();
        element.text.append(text + start, static_cast<std::size_t>(length));
        if (element.hasChildren && !isBlank(element.text))
            fail("<" + element.name + "> has both text and elements");
    }

private:
    struct Element {
        std::string name;
        std::string key;  ///< dotted, without the document element
        std::string text;
        bool hasChildren;
        int line;
    };

    std::string keyOf(const std::string& name) const {
        if (_open.size() <= 1)
            return _open.empty() ? "" : name;
        return _open.back().key + "." + name;
    }

    int line() const { return _locator ? _locator->getLineNumber() : 0; }

    [[noreturn]] void fail(const std::string& message) const {
        throw ConfigFileError(printable(_path + ": line " + std::to_string(line()) + ": " + message));
    }

    const std::string& _path;
    const Poco::XML::Locator* _locator = nullptr;
    std::vector<Element> _open;
    std::vector<ConfigEntry> _entries;
};

}  // namespace

std::vector<ConfigEntry> readXmlEntries(const std::string& path, const std::string& text) {
    EntryCollector collector(path);
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, false);  // names as written, prefix and all
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setContentHandler(&collector);
    try {
        parser.parseString(text);
    } catch (const Poco::Exception& failure) {
        throw ConfigFileError(printable(path + ": cannot be parsed: " + failure.displayText()));
    }
    return collector.take();
}

}  // namespace citysense
