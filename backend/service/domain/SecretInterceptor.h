// Sees inside the connections of sandboxes that mount secrets (net::Interceptor): TLS is ended toward the
// sandbox with a certificate for the host minted by the installation's interception CA, and opened again
// toward the real destination, whose certificate must be valid for that host; in each request to a host a
// mounted secret allows, its placeholder is replaced by its value (HttpRewriter.h). Responses pass
// unchanged.
#pragma once

#include "service/domain/HttpRewriter.h"
#include "service/domain/Secrets.h"
#include "service/net/Interceptor.h"

#include <boost/asio/ssl/context.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;

namespace cove::domain {

// The installation's interception CA: made once (EC P-256, ten years) as <dir>/secrets-ca.key (mode 0600)
// and <dir>/secrets-ca.pem. Sandboxes that mount secrets trust it; nothing else does.
class InterceptionCa {
public:
    // Throws std::runtime_error with a sentence a user can act on.
    explicit InterceptionCa(const std::string& dir);
    ~InterceptionCa();
    InterceptionCa(const InterceptionCa&) = delete;
    InterceptionCa& operator=(const InterceptionCa&) = delete;

    const std::string& certificatePem() const { return m_pem; }
    // A server context with a fresh certificate for `host` (a DNS name or an IP address), signed by the CA.
    std::shared_ptr<boost::asio::ssl::context> serverContextFor(const std::string& host);

private:
    EVP_PKEY* m_key = nullptr;
    X509* m_cert = nullptr;
    EVP_PKEY* m_leafKey = nullptr; // one key for every minted certificate
    std::string m_pem;
    std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> m_leaves;
};

class SecretInterceptor : public net::Interceptor {
public:
    // `trustFile`: an extra CA (PEM) upstream certificates may chain to, besides the system's; "" for none.
    SecretInterceptor(Secrets& secrets, InterceptionCa& ca, const std::string& trustFile);

    bool wants(const net::Flow& flow) override;
    boost::asio::awaitable<void> relay(boost::asio::ip::tcp::socket client, std::string head,
                                       net::Flow flow) override;

    // The substitutions for a request to `requestHost` on `flow`: none unless the request names the
    // flow's own host (verified upstream), and only the secrets that host may receive.
    Substitutions substitutionsFor(const net::Flow& flow, std::string_view requestHost) const;

private:
    Secrets& m_secrets;
    InterceptionCa& m_ca;
    boost::asio::ssl::context m_upstream;
};

} // namespace cove::domain
