// The interception CA, the minted host certificates, and the relay of one intercepted connection.
#include "service/domain/SecretInterceptor.h"

#include "service/domain/Config.h"
#include "service/domain/HttpRewriter.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cove::domain {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr long kCaValiditySeconds = 10L * 365 * 24 * 3600;
constexpr long kLeafValiditySeconds = 365L * 24 * 3600;
constexpr long kBackdateSeconds = 3600; // clocks in sandboxes may lag a little
constexpr std::size_t kRelayChunk = 16 << 10;

std::runtime_error caError(const std::string& what, const std::string& path) {
    return std::runtime_error(what + " " + path + " (" + std::strerror(errno) +
                              "); check that the data directory belongs to the user coved runs as");
}

std::string readPemFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const std::string& path, const std::string& data, mode_t mode) {
    const std::string tmp = path + ".new";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        throw caError("cannot write", tmp);
    const bool written =
        ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written || ::rename(tmp.c_str(), path.c_str()) != 0)
        throw caError("cannot write", path);
}

EVP_PKEY* newKey() {
    EVP_PKEY* k = EVP_EC_gen("P-256");
    if (!k)
        throw std::runtime_error("OpenSSL cannot make an EC key for the interception CA.");
    return k;
}

void addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        throw std::runtime_error(std::string("OpenSSL refused the certificate extension ") + value + ".");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

X509* newCertificate(EVP_PKEY* key, const std::string& commonName, long validity) {
    X509* c = X509_new();
    X509_set_version(c, 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(c), -kBackdateSeconds);
    X509_gmtime_adj(X509_getm_notAfter(c), validity);
    X509_set_pubkey(c, key);
    X509_NAME* name = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(commonName.c_str()), -1, -1, 0);
    return c;
}

std::string pemOf(X509* cert) {
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(b, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(b);
    return out;
}

bool ipLiteral(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// The sandbox's socket with the bytes the proxy already read from it put back in front, for the TLS
// handshake to read the ClientHello from.
class PrefixedSocket {
public:
    using executor_type = tcp::socket::executor_type;
    using lowest_layer_type = tcp::socket::lowest_layer_type;

    PrefixedSocket(tcp::socket socket, std::string prefix)
        : m_socket(std::move(socket))
        , m_prefix(std::move(prefix)) {}
    executor_type get_executor() { return m_socket.get_executor(); }
    lowest_layer_type& lowest_layer() { return m_socket.lowest_layer(); }
    const lowest_layer_type& lowest_layer() const { return m_socket.lowest_layer(); }

    template <class Buffers, class Token> auto async_read_some(const Buffers& buffers, Token&& token) {
        return asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const Buffers& b) {
                if (m_prefix.empty())
                    return m_socket.async_read_some(b, std::move(handler));
                const std::size_t n = asio::buffer_copy(b, asio::buffer(m_prefix));
                m_prefix.erase(0, n);
                auto ex = asio::get_associated_executor(handler, m_socket.get_executor());
                asio::post(ex, [h = std::move(handler), n]() mutable { h(boost::system::error_code{}, n); });
            },
            token, buffers);
    }
    template <class Buffers, class Token> auto async_write_some(const Buffers& buffers, Token&& token) {
        return m_socket.async_write_some(buffers, std::forward<Token>(token));
    }

private:
    tcp::socket m_socket;
    std::string m_prefix;
};

// Copies one direction unchanged until it ends.
template <class From, class To> asio::awaitable<void> copyAll(From& from, To& to) {
    std::string buf(kRelayChunk, '\0');
    for (;;) {
        auto [rerr, n] = co_await from.async_read_some(asio::buffer(buf), kTuple);
        if (n > 0) {
            auto [werr, w] = co_await asio::async_write(to, asio::buffer(buf.data(), n), kTuple);
            (void)w;
            if (werr)
                co_return;
        }
        if (rerr)
            co_return;
    }
}

// The sandbox's requests, rewritten, until either side ends or a request cannot be framed safely.
template <class From, class To>
asio::awaitable<void> rewriteAll(From& from, To& to, RequestRewriter& rewriter) {
    std::string buf(kRelayChunk, '\0');
    std::string out;
    for (;;) {
        auto [rerr, n] = co_await from.async_read_some(asio::buffer(buf), kTuple);
        out.clear();
        const bool ok = rewriter.feed(std::string_view(buf.data(), n), out);
        if (!out.empty()) {
            auto [werr, w] = co_await asio::async_write(to, asio::buffer(out), kTuple);
            (void)w;
            if (werr)
                co_return;
        }
        if (!ok) {
            std::fprintf(stderr, "coved: an intercepted request was dropped: %s\n", rewriter.error().c_str());
            co_return;
        }
        if (rerr)
            co_return;
    }
}

} // namespace

InterceptionCa::InterceptionCa(const std::string& dir) {
    const std::string keyPath = dir + "/secrets-ca.key", certPath = dir + "/secrets-ca.pem";
    if (::access(keyPath.c_str(), F_OK) != 0) {
        EVP_PKEY* key = newKey();
        X509* cert = newCertificate(key, "Cove secrets interception CA", kCaValiditySeconds);
        X509_set_issuer_name(cert, X509_get_subject_name(cert));
        addExtension(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        addExtension(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
        addExtension(cert, cert, NID_subject_key_identifier, "hash");
        X509_sign(cert, key, EVP_sha256());
        BIO* b = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
        char* data = nullptr;
        const long n = BIO_get_mem_data(b, &data);
        const std::string keyPem(data, static_cast<std::size_t>(n));
        BIO_free(b);
        writeFile(certPath, pemOf(cert), 0644);
        writeFile(keyPath, keyPem, 0600); // last: its presence says the pair is whole
        EVP_PKEY_free(key);
        X509_free(cert);
    }
    const std::string keyPem = readPemFile(keyPath);
    m_pem = readPemFile(certPath);
    BIO* kb = BIO_new_mem_buf(keyPem.data(), static_cast<int>(keyPem.size()));
    m_key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(kb);
    BIO* cb = BIO_new_mem_buf(m_pem.data(), static_cast<int>(m_pem.size()));
    m_cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO_free(cb);
    if (!m_key || !m_cert || X509_check_private_key(m_cert, m_key) != 1)
        throw std::runtime_error(
            "The interception CA " + certPath + " and its key " + keyPath +
            " do not belong together; remove both and restart coved to make new ones (then "
            "restart the sandboxes that mount secrets).");
    m_leafKey = newKey();
}

InterceptionCa::~InterceptionCa() {
    EVP_PKEY_free(m_key);
    EVP_PKEY_free(m_leafKey);
    X509_free(m_cert);
}

std::shared_ptr<asio::ssl::context> InterceptionCa::serverContextFor(const std::string& host) {
    std::lock_guard lock(m_mutex);
    if (const auto it = m_leaves.find(host); it != m_leaves.end())
        return it->second;
    X509* cert = newCertificate(m_leafKey, host, kLeafValiditySeconds);
    X509_set_issuer_name(cert, X509_get_subject_name(m_cert));
    addExtension(cert, m_cert, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert, m_cert, NID_key_usage, "critical,digitalSignature");
    addExtension(cert, m_cert, NID_ext_key_usage, "serverAuth");
    addExtension(cert, m_cert, NID_authority_key_identifier, "keyid:always");
    addExtension(cert, m_cert, NID_subject_alt_name, ((ipLiteral(host) ? "IP:" : "DNS:") + host).c_str());
    X509_sign(cert, m_key, EVP_sha256());
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                     asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    SSL_CTX_use_certificate(ctx->native_handle(), cert);
    SSL_CTX_add1_chain_cert(ctx->native_handle(), m_cert);
    SSL_CTX_use_PrivateKey(ctx->native_handle(), m_leafKey);
    X509_free(cert);
    if (m_leaves.size() >= InterceptLimits::kMaxLeafCertificates)
        m_leaves.clear();
    m_leaves.emplace(host, ctx);
    return ctx;
}

SecretInterceptor::SecretInterceptor(Secrets& secrets, InterceptionCa& ca, const std::string& trustFile)
    : m_secrets(secrets)
    , m_ca(ca)
    , m_upstream(asio::ssl::context::tls_client) {
    m_upstream.set_default_verify_paths();
    if (!trustFile.empty())
        m_upstream.load_verify_file(trustFile);
    m_upstream.set_verify_mode(asio::ssl::verify_peer);
    m_upstream.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                           asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
}

bool SecretInterceptor::wants(const net::Flow& flow) {
    // Plain HTTP to an address nobody vouched for may be anyone's server claiming the name: it goes
    // through untouched, placeholders and all.
    if (!flow.tls && !flow.destinationVerified)
        return false;
    const auto live = m_secrets.live();
    const auto it = live->find(flow.sandboxId);
    if (it == live->end())
        return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const LiveSecret& s) { return hostAllowed(s.hosts, flow.host); });
}

Substitutions SecretInterceptor::substitutionsFor(const net::Flow& flow, std::string_view requestHost) const {
    Substitutions out;
    if (requestHost != flow.host || (!flow.tls && !flow.destinationVerified))
        return out;
    // Read at each request: a rotated, detached or deleted secret counts from the next request on.
    const auto live = m_secrets.live();
    const auto it = live->find(flow.sandboxId);
    if (it == live->end())
        return out;
    for (const auto& s : it->second)
        if (hostAllowed(s.hosts, flow.host))
            out.pairs.emplace_back(s.placeholder, s.value);
    return out;
}

asio::awaitable<void> SecretInterceptor::relay(tcp::socket client, std::string head, net::Flow flow) {
    auto ex = co_await asio::this_coro::executor;
    RequestRewriter rewriter([this, &flow](std::string_view host) { return substitutionsFor(flow, host); });
    tcp::socket upstreamTcp(ex);
    auto [cerr] = co_await upstreamTcp.async_connect(flow.destination, kTuple);
    if (cerr)
        co_return;
    if (!flow.tls) {
        std::string out;
        const bool ok = rewriter.feed(head, out);
        if (!out.empty()) {
            auto [werr, w] = co_await asio::async_write(upstreamTcp, asio::buffer(out), kTuple);
            (void)w;
            if (werr)
                co_return;
        }
        if (!ok)
            co_return;
        co_await (rewriteAll(client, upstreamTcp, rewriter) || copyAll(upstreamTcp, client));
        co_return;
    }
    // The upstream first: a destination that cannot prove it is flow.host never sees a request.
    asio::ssl::stream<tcp::socket> up(std::move(upstreamTcp), m_upstream);
    if (!SSL_set_tlsext_host_name(up.native_handle(), flow.host.c_str()))
        co_return;
    up.set_verify_callback(asio::ssl::host_name_verification(flow.host));
    auto [uerr] = co_await up.async_handshake(asio::ssl::stream_base::client, kTuple);
    if (uerr) {
        std::fprintf(stderr, "coved: sandbox %s: %s did not prove it is %s (%s); its connection was closed\n",
                     flow.sandboxId.c_str(), flow.destination.address().to_string().c_str(),
                     flow.host.c_str(), uerr.message().c_str());
        co_return;
    }
    const auto ctx = m_ca.serverContextFor(flow.host);
    asio::ssl::stream<PrefixedSocket> down(PrefixedSocket(std::move(client), std::move(head)), *ctx);
    auto [derr] = co_await down.async_handshake(asio::ssl::stream_base::server, kTuple);
    if (derr)
        co_return;
    co_await (rewriteAll(down, up, rewriter) || copyAll(up, down));
}

} // namespace cove::domain
