// Registry URLs, image references and Dockerfiles' FROM lines (domain/RegistryNames.cpp), and sealed
// secrets (domain/Crypto.cpp), on any bytes: a URL is refused with a sentence that never repeats one carrying
// credentials, or read as a host[:port] that reads as itself again; an image always has a registry host; base
// images are never flags; a secret opens only with its own context, and altered bytes never open.
#include "FuzzCheck.h"

#include "service/domain/Crypto.h"
#include "service/domain/DomainError.h"
#include "service/domain/RegistryNames.h"

#include <string>

using namespace cove::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);

    try {
        const std::string host = registryHostOf(in);
        FUZZ_CHECK(!host.empty());
        FUZZ_CHECK(host.find_first_of("@/ ?#") == std::string::npos);
        FUZZ_CHECK(registryHostOf(host) == host);
        FUZZ_CHECK(imageLocationOf(host + "/p/i:1").host == host || host == "docker.io");
    } catch (const DomainError& e) {
        FUZZ_CHECK(e.field == "url");
        // A URL with credentials ('@') is never repeated (the sentences themselves hold no '@').
        FUZZ_CHECK(in.find('@') == std::string::npos || e.message.find(in) == std::string::npos);
    }

    const ImageLocation where = imageLocationOf(in);
    FUZZ_CHECK(!where.host.empty());
    FUZZ_CHECK(where.path.find('@') == std::string::npos);
    FUZZ_CHECK(registryServes(where.host, "", where));

    for (const auto& image : baseImagesOf(in)) {
        FUZZ_CHECK(!image.empty());
        FUZZ_CHECK(image.rfind("--", 0) != 0);
    }

    static const std::string key(kSecretKeyBytes, 'k');
    const std::string sealed = seal(key, in, "row-1");
    FUZZ_CHECK(unseal(key, sealed, "row-1") == in);
    FUZZ_CHECK(!unseal(key, sealed, "row-2"));
    std::string altered = sealed;
    altered[altered.size() / 2 + 2] = altered[altered.size() / 2 + 2] == '0' ? '1' : '0';
    FUZZ_CHECK(!unseal(key, altered, "row-1"));
    (void)unseal(key, in, "row-1"); // any bytes as a sealed value: nothing, never a crash
    return 0;
}
