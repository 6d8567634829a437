// The secrets interceptor in-process, with real sockets and real TLS: a loopback HTTPS server for
// api.secret.test (its certificate from a test CA coved is told to trust) records what arrives; the sandbox's
// side is a TLS client that trusts only the interception CA. Its placeholders become values in headers and
// bodies (Content-Length and chunked, several requests on one connection); a placeholder of a secret not
// allowed for the host, and a request naming another host, stay as they are; a destination that cannot prove
// it is the host gets no request at all; plain HTTP to an unverified address is not intercepted.
#include "service/domain/SecretInterceptor.h"
#include "service/store/OrganizationRepository.h"
#include "service/store/SecretRepository.h"
#include "support/TestDatabase.h"

#include "common/Time.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <QTemporaryDir>
#include <QtTest>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using namespace cove;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr const char* kHost = "api.secret.test";
constexpr const char* kValue = "sk-live-5f1e9c2a7d";
constexpr const char* kOtherValue = "other-value-91b3";

// What the upstream server received: each request's headers and body as they arrived.
struct Received {
    std::vector<std::string> requests;
    bool anyBytes = false;
    std::size_t answers = 0; // responses the sandbox's side read back
};

// An HTTPS server on loopback answering 200 "ok" to each request of a keep-alive connection.
asio::awaitable<void> serveTls(tcp::acceptor& acceptor, asio::ssl::context& ctx, Received& got) {
    for (;;) {
        auto [aerr, socket] = co_await acceptor.async_accept(kTuple);
        if (aerr)
            co_return;
        asio::ssl::stream<tcp::socket> tls(std::move(socket), ctx);
        auto [herr] = co_await tls.async_handshake(asio::ssl::stream_base::server, kTuple);
        if (herr)
            continue;
        boost::beast::flat_buffer buffer;
        for (;;) {
            bhttp::request<bhttp::string_body> req;
            auto [rerr, n] = co_await bhttp::async_read(tls, buffer, req, kTuple);
            if (rerr)
                break;
            got.anyBytes = true;
            std::ostringstream s;
            s << req;
            got.requests.push_back(s.str());
            bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
            res.body() = "ok";
            res.prepare_payload();
            auto [werr, w] = co_await bhttp::async_write(tls, res, kTuple);
            if (werr)
                break;
        }
    }
}

} // namespace

class TestSecretInterceptor : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<test::TestDatabase> where;
    std::unique_ptr<store::Database> db;
    SystemClock clock;
    std::unique_ptr<domain::Secrets> secrets;
    std::unique_ptr<domain::InterceptionCa> interception, upstreamCa, strangerCa;
    std::string placeholder, otherPlaceholder;

    // Sends `requests` from the sandbox over TLS through the interceptor to a server with `serverCa`'s
    // certificate for `certHost`; returns what the server received.
    Received run(const std::vector<std::string>& requests, domain::InterceptionCa& serverCa,
                 const std::string& certHost) {
        asio::io_context io;
        Received got;
        auto serverCtx = serverCa.serverContextFor(certHost);
        tcp::acceptor upstream(io, {asio::ip::make_address("127.0.0.1"), 0});
        asio::co_spawn(io, serveTls(upstream, *serverCtx, got), asio::detached);
        domain::SecretInterceptor interceptor(
            *secrets, *interception, (dir.path() + QStringLiteral("/upstream/secrets-ca.pem")).toStdString());
        net::Flow flow{"sb-1", kHost, 443, upstream.local_endpoint(), true, false};
        // The proxy's part: accept the sandbox's connection, read its ClientHello, hand it over.
        tcp::acceptor proxy(io, {asio::ip::make_address("127.0.0.1"), 0});
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                auto [aerr, socket] = co_await proxy.async_accept(kTuple);
                std::string head(4096, '\0');
                auto [rerr, n] = co_await socket.async_read_some(asio::buffer(head), kTuple);
                head.resize(n);
                co_await interceptor.relay(std::move(socket), std::move(head), flow);
            },
            asio::detached);
        asio::ssl::context clientCtx(asio::ssl::context::tls_client);
        clientCtx.add_certificate_authority(asio::buffer(interception->certificatePem()));
        clientCtx.set_verify_mode(asio::ssl::verify_peer);
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                asio::ssl::stream<tcp::socket> tls(io, clientCtx);
                co_await tls.next_layer().async_connect(proxy.local_endpoint(), asio::use_awaitable);
                SSL_set_tlsext_host_name(tls.native_handle(), kHost);
                tls.set_verify_callback(asio::ssl::host_name_verification(kHost));
                auto [herr] = co_await tls.async_handshake(asio::ssl::stream_base::client, kTuple);
                if (herr) {
                    io.stop();
                    co_return;
                }
                boost::beast::flat_buffer buffer;
                for (const auto& r : requests) {
                    co_await asio::async_write(tls, asio::buffer(r), asio::use_awaitable);
                    bhttp::response<bhttp::string_body> res;
                    auto [rerr, n] = co_await bhttp::async_read(tls, buffer, res, kTuple);
                    if (rerr)
                        break;
                    got.answers += res.body() == "ok";
                }
                io.stop();
            },
            asio::detached);
        io.run_for(std::chrono::seconds(20));
        return got;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        where = std::make_unique<test::TestDatabase>(dir.path());
        db = store::open(where->spec());
        store::OrganizationRepository(*db).ensure("o", "Personal", 1);
        db->exec(
            "INSERT INTO sandboxes (id, organization_id, name, snapshot, image, os_user, cpu, memory, disk, "
            "auto_stop_interval, auto_archive_interval, auto_delete_interval, state, desired_state, "
            "created_at, updated_at, last_activity_at) VALUES ('sb-1', 'o', 'sb-1', 's', 'img', 'cove', 1, "
            "1, 1, 15, 10080, -1, 'started', 'started', 1, 1, 1)");
        secrets = std::make_unique<domain::Secrets>(*db, clock, std::string(32, 'k'));
        const domain::Caller caller{{"k", "key", "o", {"*"}}};
        const auto made =
            secrets->create({{"name", "API_KEY"}, {"value", kValue}, {"hosts", {"*.secret.test"}}}, caller);
        const auto other = secrets->create(
            {{"name", "OTHER"}, {"value", kOtherValue}, {"hosts", {"other.example.com"}}}, caller);
        placeholder = made["placeholder"].get<std::string>();
        otherPlaceholder = other["placeholder"].get<std::string>();
        QVERIFY(placeholder.rfind("dtn_secret_", 0) == 0 && placeholder.size() == 11 + 32);
        db->transaction([&] {
            store::SecretRepository(*db).replaceMounts("sb-1", {{"API_KEY", made["id"].get<std::string>()},
                                                                {"OTHER", other["id"].get<std::string>()}});
        });
        secrets->reload();
        const auto ca = [&](const char* name) {
            const QString d = dir.path() + QLatin1Char('/') + QString::fromLatin1(name);
            QDir().mkpath(d);
            return std::make_unique<domain::InterceptionCa>(d.toStdString());
        };
        interception = ca("interception");
        upstreamCa = ca("upstream");
        strangerCa = ca("stranger");
        // The CA's key is the installation's to read only.
        const auto perms = QFile(dir.path() + QStringLiteral("/interception/secrets-ca.key")).permissions();
        QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther)));
    }

    void theAllowedHostGetsTheValueInHeadersAndBodies() {
        const std::string p = placeholder, o = otherPlaceholder;
        const auto got =
            run({"POST /v1/messages HTTP/1.1\r\nHost: api.secret.test\r\nAuthorization: Bearer " + p +
                     "\r\nX-Other: " + o + "\r\nContent-Length: " + std::to_string(9 + p.size()) +
                     "\r\n\r\n{\"key\":\"" + p + "\"",
                 "POST /chunked HTTP/1.1\r\nHost: api.secret.test\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n5\r\nkey=d\r\n" +
                     [&] {
                         std::stringstream s;
                         s << std::hex << (p.size() - 1) << "\r\n" << p.substr(1) << "\r\n0\r\n\r\n";
                         return s.str();
                     }(),
                 "GET /other HTTP/1.1\r\nHost: elsewhere.test\r\nX-Key: " + p + "\r\n\r\n"},
                *upstreamCa, kHost);
        QCOMPARE(got.requests.size(), std::size_t(3));
        QCOMPARE(got.answers, std::size_t(3)); // the responses came back unchanged
        const std::string& first = got.requests[0];
        QVERIFY2(first.find(std::string("Authorization: Bearer ") + kValue) != std::string::npos,
                 first.c_str());
        QVERIFY2(first.find(std::string("{\"key\":\"") + kValue + "\"") != std::string::npos, first.c_str());
        QVERIFY(first.find(p) == std::string::npos);
        // Another secret's placeholder, not allowed for this host, is left as it is.
        QVERIFY(first.find("X-Other: " + o) != std::string::npos);
        QVERIFY(first.find(kOtherValue) == std::string::npos);
        // The chunked body, split across chunks, is framed again by length with the value in.
        QVERIFY2(got.requests[1].find(std::string("key=") + kValue) != std::string::npos,
                 got.requests[1].c_str());
        QVERIFY(got.requests[1].find("Content-Length: " + std::to_string(4 + std::strlen(kValue))) !=
                std::string::npos);
        // A request on the same connection that names another host keeps the placeholder.
        QVERIFY(got.requests[2].find("X-Key: " + p) != std::string::npos);
        QVERIFY(got.requests[2].find(kValue) == std::string::npos);
    }

    // The sandbox names the allowed host but sends to an address whose server cannot prove it is that host.
    void aDestinationThatCannotProveTheHostGetsNothing() {
        const auto got =
            run({"GET / HTTP/1.1\r\nHost: api.secret.test\r\nX-Key: " + placeholder + "\r\n\r\n"},
                *strangerCa, kHost); // a CA nobody trusts
        QVERIFY(!got.anyBytes);
        const auto named =
            run({"GET / HTTP/1.1\r\nHost: api.secret.test\r\nX-Key: " + placeholder + "\r\n\r\n"},
                *upstreamCa, "evil.test"); // trusted, but for another name
        QVERIFY(!named.anyBytes);
    }

    void whatIsNotInterceptedIsDecidedByHostAndVerification() {
        domain::SecretInterceptor interceptor(*secrets, *interception, "");
        const tcp::endpoint somewhere(asio::ip::make_address("127.0.0.1"), 80);
        QVERIFY(interceptor.wants({"sb-1", "api.secret.test", 443, somewhere, true, false}));
        QVERIFY(interceptor.wants({"sb-1", "deep.api.secret.test", 443, somewhere, true, false}));
        QVERIFY(!interceptor.wants({"sb-1", "secret.test", 443, somewhere, true, false})); // *. is below only
        QVERIFY(!interceptor.wants({"sb-1", "api.secret.test.evil", 443, somewhere, true, false}));
        QVERIFY(!interceptor.wants({"sb-2", "api.secret.test", 443, somewhere, true, false})); // mounts none
        // Plain HTTP: only to an address Cove resolved for the name; a forged Host to anyone else is spliced.
        const net::Flow forged{"sb-1", "api.secret.test", 80, somewhere, false, false};
        QVERIFY(!interceptor.wants(forged));
        QVERIFY(interceptor.substitutionsFor(forged, "api.secret.test").empty());
        const net::Flow verified{"sb-1", "api.secret.test", 80, somewhere, false, true};
        QVERIFY(interceptor.wants(verified));
        QCOMPARE(interceptor.substitutionsFor(verified, "api.secret.test").pairs.size(), std::size_t(1));
        QVERIFY(interceptor.substitutionsFor(verified, "other.example.com").empty()); // not the flow's host
    }

    void aRotatedValueCountsFromTheNextRequest() {
        const domain::Caller caller{{"k", "key", "o", {"*"}}};
        // API_KEY's id, by name: the list's order among secrets made in the same millisecond is the ids'.
        std::string id;
        for (const auto& s : secrets->list("o"))
            if (s["name"] == "API_KEY")
                id = s["id"].get<std::string>();
        QVERIFY(!id.empty());
        secrets->update(id, {{"value", "rotated-77"}}, caller);
        domain::SecretInterceptor interceptor(*secrets, *interception, "");
        const tcp::endpoint somewhere(asio::ip::make_address("127.0.0.1"), 443);
        const auto subs = interceptor.substitutionsFor({"sb-1", kHost, 443, somewhere, true, false}, kHost);
        QCOMPARE(subs.pairs.size(), std::size_t(1));
        QCOMPARE(subs.pairs[0].second, std::string("rotated-77"));
        secrets->update(id, {{"value", kValue}}, caller);
    }
};

QTEST_GUILESS_MAIN(TestSecretInterceptor)
#include "tst_secret_interceptor.moc"
