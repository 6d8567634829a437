// Webhook endpoint URLs (domain/WebhookTargets.cpp) on any bytes: a URL is accepted only when it starts
// with http:// or https://, holds no user info and only printable ASCII, and names a host; its target
// starts with '/'; and every address parsed out of the bytes gets a verdict without crashing.
#include "FuzzCheck.h"

#include "service/domain/WebhookDelivery.h"

#include <boost/asio/ip/address.hpp>

using namespace cove::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    const auto parsed = webhook::parseEndpointUrl(in);
    if (const auto* u = std::get_if<webhook::EndpointUrl>(&parsed)) {
        FUZZ_CHECK(in.rfind("https://", 0) == 0 || in.rfind("http://", 0) == 0);
        FUZZ_CHECK(u->https == (in.rfind("https://", 0) == 0));
        FUZZ_CHECK(!u->host.empty() && u->host.size() <= 253);
        FUZZ_CHECK(u->host.find_first_of("@/?#[] ") == std::string::npos);
        FUZZ_CHECK(!u->target.empty() && u->target[0] == '/');
        FUZZ_CHECK(u->target.find('#') == std::string::npos);
        FUZZ_CHECK(u->port >= 1);
        const auto authorityEnd = in.find_first_of("/?#", u->https ? 8 : 7);
        FUZZ_CHECK(in.substr(0, authorityEnd).find('@') == std::string::npos);
        for (const unsigned char c : in)
            FUZZ_CHECK(c > 0x20 && c < 0x7f);
    } else {
        FUZZ_CHECK(!std::get<std::string>(parsed).empty());
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(in, ec);
    if (!ec) {
        // Loopback and link-local are never allowed without the flag; link-local not even with it.
        const std::string strict = webhook::refusedAddress(address, false);
        const std::string loose = webhook::refusedAddress(address, true);
        if (address.is_loopback())
            FUZZ_CHECK(!strict.empty());
        if (!loose.empty())
            FUZZ_CHECK(!strict.empty());
    }
    return 0;
}
