// Ids, randomness and time formatting shared by coved and the agent.
#include "common/AgentHandshake.h"
#include "common/ApiError.h"
#include "common/JsonText.h"
#include "common/Random.h"
#include "common/Time.h"
#include "common/Url.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <limits>
#include <random>

class TestCommon : public QObject {
    Q_OBJECT
private slots:
    void sha256MatchesFips180Vectors() {
        using cove::handshake::sha256;
        using cove::handshake::toHex;
        QCOMPARE(toHex(sha256("")),
                 std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(toHex(sha256("abc")),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // 56 bytes: the padding takes a second block.
        QCOMPARE(toHex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        QCOMPARE(toHex(sha256(std::string(1000000, 'a'))),
                 std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }
    void hmacSha256MatchesRfc4231() {
        using cove::handshake::hmacSha256;
        using cove::handshake::toHex;
        QCOMPARE(toHex(hmacSha256(std::string(20, '\x0b'), "Hi There")),
                 std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
        QCOMPARE(toHex(hmacSha256("Jefe", "what do ya want for nothing?")),
                 std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        // A key longer than a block is hashed first (test case 6).
        QCOMPARE(toHex(hmacSha256(std::string(131, '\xaa'),
                                  "Test Using Larger Than Block-Size Key - Hash Key First")),
                 std::string("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    }
    void handshakeProofsBindEverySide() {
        namespace hs = cove::handshake;
        const auto a = hs::nonce(), c = hs::nonce();
        QCOMPARE(a.size(), std::size_t(64));
        QVERIFY(a != c);
        const auto p = hs::proof("secret", "coved", a, c, "sb1");
        QVERIFY(hs::matches(p, hs::proof("secret", "coved", a, c, "sb1")));
        QVERIFY(!hs::matches(p, hs::proof("secret", "agent", a, c, "sb1"))); // a reflected proof fails
        QVERIFY(!hs::matches(p, hs::proof("other", "coved", a, c, "sb1")));
        QVERIFY(!hs::matches(p, hs::proof("secret", "coved", c, a, "sb1")));
        QVERIFY(!hs::matches(p, hs::proof("secret", "coved", a, c, "sb2")));
        QVERIFY(!hs::matches(p, p.substr(1)));
    }
    void uuidIsVersion4() {
        static const QRegularExpression re(
            QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i) {
            const auto id = QString::fromStdString(cove::uuidV4());
            QVERIFY2(re.match(id).hasMatch(), qPrintable(id));
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 1000);
    }
    void randomHexHasRequestedLength() {
        QCOMPARE(cove::randomHex(32).size(), std::size_t(64));
        QVERIFY(cove::randomHex(16) != cove::randomHex(16));
    }
    void iso8601() {
        QCOMPARE(QString::fromStdString(cove::toIso8601(cove::fromMillis(0))),
                 QStringLiteral("1970-01-01T00:00:00.000Z"));
        QCOMPARE(QString::fromStdString(cove::toIso8601(cove::fromMillis(1795298405123))),
                 QStringLiteral("2026-11-21T22:00:05.123Z"));
        QCOMPARE(cove::toMillis(cove::fromMillis(1234567)), std::int64_t(1234567));
    }
    void parsesIso8601() {
        using cove::parseIso8601;
        using cove::toMillis;
        QCOMPARE(toMillis(*parseIso8601("2026-11-21T22:00:05.123Z")), std::int64_t(1795298405123));
        QCOMPARE(toMillis(*parseIso8601("2026-11-21T22:00:05Z")), std::int64_t(1795298405000));
        QCOMPARE(toMillis(*parseIso8601("2026-11-21T23:00:05+01:00")), std::int64_t(1795298405000));
        QCOMPARE(toMillis(*parseIso8601("2026-11-21T22:00:05.5Z")), std::int64_t(1795298405500));
        for (const char* bad : {"", "2026-11-21", "2026-13-01T00:00:00Z", "2026-11-21T22:00:05", "yesterday",
                                "2026-11-21T22:00:05Zjunk", "2026-11-21T22:00:05+1",
                                "2999-01-01T00:00:00Z" /* past the 64-bit nanosecond clock */})
            QVERIFY2(!parseIso8601(bad), bad);
        const auto now = cove::fromMillis(1795298405123);
        QCOMPARE(*parseIso8601(cove::toIso8601(now)), now);
    }
    void urlPiecesRoundTrip() {
        using cove::http::percentEncode;
        QCOMPARE(percentEncode("a-b_c.d~e"), std::string("a-b_c.d~e"));
        QCOMPARE(percentEncode("a b/c+é"), std::string("a%20b%2Fc%2B%C3%A9"));
        QCOMPARE(percentEncode("/p/q r", true), std::string("/p/q%20r"));
        const std::string all = "x=1&y=a b/c?d%";
        QCOMPARE(cove::http::percentDecode(percentEncode(all), false), all);
        QCOMPARE(cove::http::escapeMarkup(R"(<a href="x">'&'</a>)"),
                 std::string("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"));
    }

    void errorJsonHasDaytonaShape() {
        const auto j = cove::ApiError::conflict("Sandbox is stopped").toJson("/api/sandbox/x/stop");
        QCOMPARE(j["statusCode"].get<int>(), 409);
        QCOMPARE(QString::fromStdString(j["error"].get<std::string>()), QStringLiteral("Conflict"));
        QCOMPARE(QString::fromStdString(j["message"].get<std::string>()),
                 QStringLiteral("Sandbox is stopped"));
        QCOMPARE(QString::fromStdString(j["path"].get<std::string>()), QStringLiteral("/api/sandbox/x/stop"));
        QVERIFY(!j.contains("code"));
    }

    // JsonText prints what nlohmann's dump(-1, ' ', false, replace) prints for the same values: strings of
    // any bytes (control characters, quotes, UTF-8, bad UTF-8), numbers at their limits, nesting, commas.
    void jsonTextPrintsWhatDumpPrints() {
        using nlohmann::json;
        const auto dump = [](const json& j) {
            return j.dump(-1, ' ', false, json::error_handler_t::replace);
        };
        std::mt19937 random(20261207);
        std::vector<std::string> strings = {"",
                                            "plain",
                                            "quote\"s",
                                            "back\\slash",
                                            "tab\tnew\nline\x01\x1f\x7f",
                                            "\xc3\xa9t\xc3\xa9 \xe6\xb2\x99\xe7\x9b\x92 \xf0\x9f\x93\xa6",
                                            "bad \xff\xfe utf-8 \xc3",
                                            "\xed\xa0\x80 surrogate",
                                            "</script>"};
        for (int i = 0; i < 5000; ++i) {
            std::string s(random() % 24, '\0');
            for (auto& c : s)
                c = static_cast<char>(random() % 3 ? 0x20 + random() % 95 : random() % 256);
            strings.push_back(std::move(s));
        }
        for (const auto& s : strings) {
            cove::JsonText t;
            t.beginObject().field(s, s).endObject();
            QCOMPARE(t.text(), dump(json{{s, s}}));
        }

        cove::JsonText t;
        t.beginObject()
            .field("a", std::numeric_limits<std::int64_t>::min())
            .field("b", std::numeric_limits<std::int64_t>::max())
            .field("b2", std::numeric_limits<std::uint64_t>::max())
            .field("c", 0)
            .field("d", -7)
            .field("e", true)
            .field("f", false)
            .field("g", nullptr)
            .field("h", json{{"x", {1, "two", nullptr}}, {"y", json::object()}})
            .key("i")
            .beginArray()
            .value(1)
            .beginObject()
            .endObject()
            .beginArray()
            .endArray()
            .value("s")
            .endArray()
            .key("j")
            .beginArray()
            .endArray()
            .endObject();
        const json expected = {{"a", std::numeric_limits<std::int64_t>::min()},
                               {"b", std::numeric_limits<std::int64_t>::max()},
                               {"b2", std::numeric_limits<std::uint64_t>::max()},
                               {"c", 0},
                               {"d", -7},
                               {"e", true},
                               {"f", false},
                               {"g", nullptr},
                               {"h", {{"x", {1, "two", nullptr}}, {"y", json::object()}}},
                               {"i", {1, json::object(), json::array(), "s"}},
                               {"j", json::array()}};
        QCOMPARE(t.text(), dump(expected));
    }
};

QTEST_APPLESS_MAIN(TestCommon)
#include "tst_common.moc"
