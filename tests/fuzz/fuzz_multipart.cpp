// The agent's streaming multipart/form-data parser (agent/fs/Multipart.cpp), which reads uploads from
// the sandbox's clients. Two runs per input:
//  - the bytes as a body with a boundary taken from the input: the parts, their data and the outcome must
//    not depend on how the body is cut into reads (all at once, or in pieces whose sizes the input picks);
//  - the bytes as a list of fields and files, encoded as a client would: parsed back exactly.
#include "FuzzCheck.h"

#include "common/Multipart.h"

#include <vector>

using cove::MultipartParser;
using cove::PartHeader;

namespace {

struct Part {
    std::string name, filename, contentType, data;
    bool ended = false;
    bool operator==(const Part&) const = default;
};

struct Outcome {
    std::vector<Part> parts;
    bool ok = true, done = false;
    bool operator==(const Outcome&) const = default;
};

// Feeds `body` in reads of the sizes `cuts` cycles through (0: all at once).
Outcome parse(const std::string& boundary, std::string_view body, std::string_view cuts) {
    Outcome o;
    MultipartParser p(boundary, {[&](const PartHeader& h) {
                                     o.parts.push_back({h.name, h.filename, h.contentType, {}});
                                     return true;
                                 },
                                 [&](const char* d, std::size_t n) {
                                     FUZZ_CHECK(!o.parts.empty() && !o.parts.back().ended);
                                     o.parts.back().data.append(d, n);
                                     return true;
                                 },
                                 [&] {
                                     FUZZ_CHECK(!o.parts.empty() && !o.parts.back().ended);
                                     o.parts.back().ended = true;
                                     return true;
                                 }});
    std::size_t at = 0, cut = 0;
    while (at < body.size() && o.ok) {
        const std::size_t n =
            cuts.empty() ? body.size()
                         : std::max<std::size_t>(1, static_cast<unsigned char>(cuts[cut++ % cuts.size()]));
        const auto piece = body.substr(at, n);
        o.ok = p.feed(piece.data(), piece.size());
        at += piece.size();
    }
    if (!o.ok)
        FUZZ_CHECK(!p.error().empty());
    o.done = p.done();
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cove::fuzz::Input in(data, size);
    const std::string boundary(in.until('\n').substr(0, 70));
    const std::string_view cuts = in.until('\n').substr(0, 16);
    const std::string_view body = in.rest();

    // 1. Any body: the same answer however it arrives.
    if (!boundary.empty()) {
        const Outcome whole = parse(boundary, body, {});
        FUZZ_CHECK(parse(boundary, body, cuts) == whole);
        FUZZ_CHECK(parse(boundary, body, "\x01") == whole);
        if (whole.done)
            for (const auto& p : whole.parts)
                FUZZ_CHECK(p.ended && !p.name.empty());
    }

    // 2. Fields encoded as a client does (quoted, backslash-escaped names): parsed back as they were.
    // Fields are NUL-separated name, filename, data triples; the boundary is one no data contains.
    cove::fuzz::Input fields(data, size);
    std::vector<Part> expected;
    std::string all;
    while (!fields.empty() && expected.size() < 16) {
        Part p;
        p.name = fields.until('\0');
        p.filename = fields.until('\0');
        p.data = fields.until('\0');
        // Within the parser's 16 KiB for a part's headers, which a longer name is refused for.
        if (p.name.empty() || p.name.size() + p.filename.size() > 8192 ||
            p.name.find_first_of("\r\n") != std::string::npos ||
            p.filename.find_first_of("\r\n") != std::string::npos)
            continue;
        p.contentType = p.filename.empty() ? "" : "application/octet-stream";
        p.ended = true;
        all += p.name + p.filename + p.data;
        expected.push_back(std::move(p));
    }
    std::string sep = "cove-fuzz-boundary";
    while (all.find(sep) != std::string::npos)
        sep += "x";
    const auto quoted = [](const std::string& s) {
        std::string q = "\"";
        for (char c : s)
            q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        return q + "\"";
    };
    std::string encoded = "preamble\r\n";
    for (const auto& p : expected) {
        encoded += "--" + sep + "\r\nContent-Disposition: form-data; name=" + quoted(p.name);
        if (!p.filename.empty())
            encoded += "; filename=" + quoted(p.filename) + "\r\nContent-Type: " + p.contentType;
        encoded += "\r\n\r\n" + p.data + "\r\n";
    }
    encoded += "--" + sep + "--\r\nepilogue";
    const Outcome got = parse(sep, encoded, {});
    if (expected.empty()) {
        FUZZ_CHECK(got.ok && got.done && got.parts.empty());
    } else {
        FUZZ_CHECK(got.ok && got.done);
        FUZZ_CHECK(got.parts == expected);
    }
    // The Content-Type a client sends names the same boundary.
    FUZZ_CHECK(MultipartParser::boundaryOf("multipart/form-data; boundary=" + sep) == sep);
    return 0;
}
