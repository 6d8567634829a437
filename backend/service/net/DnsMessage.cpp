#include "service/net/DnsMessage.h"

namespace cove::net::dns {

namespace {

constexpr std::size_t kHeaderBytes = 12;

class Reader {
public:
    explicit Reader(std::string_view m)
        : m_m(m) {}
    bool u8(std::uint8_t& v) {
        if (m_pos + 1 > m_m.size())
            return false;
        v = static_cast<std::uint8_t>(m_m[m_pos++]);
        return true;
    }
    bool u16(std::uint16_t& v) {
        std::uint8_t a = 0, b = 0;
        if (!u8(a) || !u8(b))
            return false;
        v = static_cast<std::uint16_t>(a << 8 | b);
        return true;
    }
    bool u32(std::uint32_t& v) {
        std::uint16_t a = 0, b = 0;
        if (!u16(a) || !u16(b))
            return false;
        v = static_cast<std::uint32_t>(a) << 16 | b;
        return true;
    }
    bool skip(std::size_t n) {
        if (n > m_m.size() - m_pos)
            return false;
        m_pos += n;
        return true;
    }
    // A possibly compressed name, dotted and lower case. Pointers must point before the place they are
    // read from, so every hop goes strictly backwards and the walk ends.
    bool name(std::string& out) {
        out.clear();
        std::size_t at = m_pos;
        std::size_t wire = 1; // the root label's length byte
        bool jumped = false;
        std::size_t hops = 0;
        for (;;) {
            if (at >= m_m.size())
                return false;
            const auto len = static_cast<std::uint8_t>(m_m[at]);
            if ((len & 0xC0) == 0xC0) {
                if (at + 1 >= m_m.size() || ++hops > DnsLimits::kMaxPointerHops)
                    return false;
                const std::size_t target = (len & 0x3F) << 8 | static_cast<std::uint8_t>(m_m[at + 1]);
                if (target >= at || target < kHeaderBytes)
                    return false;
                if (!jumped)
                    m_pos = at + 2;
                jumped = true;
                at = target;
                continue;
            }
            if (len & 0xC0) // the reserved label types
                return false;
            if (len == 0) {
                if (!jumped)
                    m_pos = at + 1;
                return true;
            }
            if (at + 1 + len > m_m.size() || (wire += len + 1) > DnsLimits::kMaxNameBytes)
                return false;
            if (!out.empty())
                out += '.';
            for (std::size_t i = 0; i < len; ++i) {
                const char c = m_m[at + 1 + i];
                // A dot inside a label would read as two labels: such names are nobody's host name.
                if (c == '.' || c <= ' ' || c > '~')
                    return false;
                out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            }
            at += 1 + len;
        }
    }
    std::size_t pos() const { return m_pos; }

private:
    std::string_view m_m;
    std::size_t m_pos = 0;
};

void put16(std::string& s, std::uint16_t v) {
    s += static_cast<char>(v >> 8);
    s += static_cast<char>(v & 0xFF);
}

void put32(std::string& s, std::uint32_t v) {
    put16(s, static_cast<std::uint16_t>(v >> 16));
    put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
}

struct Header {
    std::uint16_t id = 0, flags = 0, qd = 0, an = 0, ns = 0, ar = 0;
};

// The header of a message of at most DnsLimits::kMaxMessage bytes with exactly one question.
bool header(std::string_view m, Reader& r, Header& h) {
    return m.size() <= DnsLimits::kMaxMessage && r.u16(h.id) && r.u16(h.flags) && r.u16(h.qd) &&
           r.u16(h.an) && r.u16(h.ns) && r.u16(h.ar) && h.qd == 1;
}

} // namespace

std::string canonicalName(std::string_view name) {
    if (!name.empty() && name.back() == '.')
        name.remove_suffix(1);
    std::string out(name);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<Query> parseQuery(std::string_view m) {
    Reader r(m);
    Header h;
    Query q;
    // QR must be 0 (a query) and the opcode 0 (standard).
    if (!header(m, r, h) || (h.flags & 0x8000) || ((h.flags >> 11) & 0xF) != 0)
        return std::nullopt;
    q.id = h.id;
    q.recursionDesired = (h.flags & 0x0100) != 0;
    if (!r.name(q.name) || !r.u16(q.type) || !r.u16(q.qclass))
        return std::nullopt;
    q.question = std::string(m.substr(kHeaderBytes, r.pos() - kHeaderBytes));
    return q;
}

std::optional<Answer> parseAnswer(std::string_view m) {
    Reader r(m);
    Header h;
    Answer a;
    if (!header(m, r, h) || !(h.flags & 0x8000) || h.an > DnsLimits::kMaxRecords)
        return std::nullopt;
    a.id = h.id;
    a.rcode = static_cast<Rcode>(h.flags & 0xF);
    std::uint16_t qclass = 0;
    if (!r.name(a.name) || !r.u16(a.type) || !r.u16(qclass))
        return std::nullopt;
    bool any = false;
    for (std::uint16_t i = 0; i < h.an; ++i) {
        std::string owner;
        std::uint16_t type = 0, cls = 0, length = 0;
        std::uint32_t ttl = 0;
        if (!r.name(owner) || !r.u16(type) || !r.u16(cls) || !r.u32(ttl) || !r.u16(length))
            return std::nullopt;
        if (type == kTypeA && cls == kClassIn) {
            std::uint32_t address = 0;
            if (length != 4 || !r.u32(address))
                return std::nullopt;
            a.addresses.push_back(address);
            a.ttl = any ? std::min(a.ttl, ttl) : ttl;
            any = true;
        } else if (!r.skip(length)) {
            return std::nullopt;
        }
    }
    return a;
}

std::string makeQuery(std::uint16_t id, const std::string& name, std::uint16_t type) {
    std::string s;
    put16(s, id);
    put16(s, 0x0100); // recursion desired
    put16(s, 1);
    put16(s, 0);
    put16(s, 0);
    put16(s, 0);
    std::size_t start = 0;
    while (start < name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string::npos)
            dot = name.size();
        const std::size_t len = std::min(dot - start, DnsLimits::kMaxLabelBytes);
        s += static_cast<char>(len);
        s.append(name, start, len);
        start = dot + 1;
    }
    s += '\0';
    put16(s, type);
    put16(s, kClassIn);
    return s;
}

std::string makeAnswer(const Query& q, Rcode rcode, const std::vector<std::uint32_t>& addresses,
                       std::uint32_t ttl) {
    std::string s;
    put16(s, q.id);
    // QR, recursion available, RD echoed.
    put16(s, static_cast<std::uint16_t>(0x8080 | (q.recursionDesired ? 0x0100 : 0) |
                                        static_cast<std::uint16_t>(rcode)));
    put16(s, 1);
    put16(s, static_cast<std::uint16_t>(addresses.size()));
    put16(s, 0);
    put16(s, 0);
    s += q.question;
    for (const auto address : addresses) {
        put16(s, 0xC000 | kHeaderBytes); // the question's name
        put16(s, kTypeA);
        put16(s, kClassIn);
        put32(s, ttl);
        put16(s, 4);
        put32(s, address);
    }
    return s;
}

} // namespace cove::net::dns
