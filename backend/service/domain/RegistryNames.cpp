// Registry hosts, image references and base images, read the way Docker reads them.
#include "service/domain/RegistryNames.h"

#include "service/domain/Config.h"
#include "service/domain/DomainError.h"
#include "service/domain/Validate.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace cove::domain {

namespace {

std::string lowercase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::string canonicalHost(std::string host) {
    host = lowercase(host);
    if (host == "index.docker.io" || host == "registry-1.docker.io" || host == "registry.hub.docker.com")
        return kDockerHub;
    return host;
}

DomainError badUrl(const std::string& message) {
    return validate::invalid("url", message);
}

bool validHostName(std::string_view host) {
    if (host.empty() || host.size() > 253)
        return false;
    if (host.front() == '[') // an IPv6 address
        return host.size() > 2 && host.back() == ']' &&
               std::all_of(host.begin() + 1, host.end() - 1,
                           [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':'; });
    std::size_t label = 0;
    for (std::size_t i = 0; i <= host.size(); ++i) {
        if (i == host.size() || host[i] == '.') {
            if (label == 0 || label > 63 || host[i - 1] == '-' || host[i - label] == '-')
                return false;
            label = 0;
        } else if (std::isalnum(static_cast<unsigned char>(host[i])) || host[i] == '-') {
            ++label;
        } else {
            return false;
        }
    }
    return true;
}

} // namespace

ImageLocation imageLocationOf(std::string_view image) {
    if (const auto at = image.find('@'); at != std::string_view::npos)
        image = image.substr(0, at);
    std::string host = kDockerHub;
    std::string path(image);
    if (const auto slash = image.find('/'); slash != std::string_view::npos) {
        const auto first = image.substr(0, slash);
        if (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
            first == "localhost" || startsWith(first, "[")) {
            host = canonicalHost(std::string(first));
            path = std::string(image.substr(slash + 1));
        }
    }
    // The tag: after the last colon that follows the last slash.
    const auto colon = path.rfind(':');
    if (colon != std::string::npos && (path.rfind('/') == std::string::npos || colon > path.rfind('/')))
        path.resize(colon);
    if (host == kDockerHub && path.find('/') == std::string::npos)
        path = "library/" + path;
    return {host, path};
}

std::string registryHostOf(std::string_view url) {
    if (url.empty())
        throw badUrl("'url' is required: the registry's host, e.g. registry.example.com:5000.");
    if (url.size() > RegistryLimits::kMaxUrlBytes)
        throw badUrl("'url' must be at most " + std::to_string(RegistryLimits::kMaxUrlBytes) + " bytes.");
    if (url.find('@') != std::string_view::npos)
        throw badUrl("'url' must not hold credentials: put the username and password in their own fields "
                     "and give the URL as https://host[:port].");
    std::string_view rest = url;
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
        const std::string name = lowercase(rest.substr(0, scheme));
        if (name != "https" && name != "http")
            throw badUrl("'url' must start with https://, http:// or the registry's host itself.");
        rest = rest.substr(scheme + 3);
    }
    std::string_view path;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        path = rest.substr(slash);
        rest = rest.substr(0, slash);
    }
    std::string_view hostPart = rest, port;
    if (const auto colon = rest.rfind(':');
        colon != std::string_view::npos && rest.find(']', colon) == rest.npos) {
        hostPart = rest.substr(0, colon);
        port = rest.substr(colon + 1);
    }
    if (!validHostName(hostPart))
        throw badUrl("'url' must name the registry by host name or address (letters, digits, '-' and '.'), "
                     "e.g. registry.example.com or 127.0.0.1:5000.");
    if (!port.empty() || rest.back() == ':') {
        const bool digits =
            !port.empty() && port.size() <= 5 &&
            std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535)
            throw badUrl("'url' has a port that is not a number from 1 to 65535.");
    }
    std::string host = canonicalHost(std::string(rest));
    // Docker reads an image's first component as a registry only with a dot, a port, or as localhost;
    // a registry named otherwise would match no image.
    if (host.find_first_of(".:") == std::string::npos && host != "localhost")
        throw badUrl("'url' must name a registry as Docker reads one in an image name: a host with a dot "
                     "(registry.example.com), a port (myregistry:5000), or localhost.");
    const bool hubPath =
        host == kDockerHub && (path == "/v1" || path == "/v1/" || path == "/v2" || path == "/v2/");
    if (!path.empty() && path != "/" && !hubPath)
        throw badUrl("'url' names the registry only (its host and port); put the path after the host in "
                     "'project' instead.");
    return host;
}

bool registryServes(const std::string& host, const std::string& project, const ImageLocation& location) {
    return host == location.host && (project.empty() || startsWith(location.path, project + "/"));
}

std::vector<std::string> baseImagesOf(std::string_view dockerfile) {
    std::vector<std::string> images, stages;
    std::istringstream lines{std::string(dockerfile)};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string word;
        if (!(words >> word) || lowercase(word) != "from")
            continue;
        std::string image;
        while (words >> word)
            if (!startsWith(word, "--")) { // flags such as --platform come first
                image = word;
                break;
            }
        if (image.empty())
            continue;
        const std::string key = lowercase(image);
        if (key != "scratch" && std::find(stages.begin(), stages.end(), key) == stages.end())
            images.push_back(image);
        std::string as, stage;
        if (words >> as && lowercase(as) == "as" && words >> stage)
            stages.push_back(lowercase(stage));
    }
    return images;
}

} // namespace cove::domain
