// Screenshots through scrot, into the desktop's private directory and back as base64.
#include "agent/computeruse/Screen.h"

#include "common/Base64.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace cove::agent::computeruse {

using nlohmann::json;

namespace {

int queryInt(const Call& c, const char* name, int min, int max, std::optional<int> fallback,
             const std::string& hint = {}) {
    const auto text = c.queryValue(name);
    const std::string range = "'" + std::string(name) + "' must be an integer between " +
                              std::to_string(min) + " and " + std::to_string(max) +
                              (hint.empty() ? "" : " " + hint) + ".";
    if (!text || text->empty()) {
        if (fallback)
            return *fallback;
        throw badRequest(range);
    }
    int v = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
        throw badRequest(range);
    return v;
}

bool queryBool(const Call& c, const char* name) {
    const auto text = c.queryValue(name);
    if (!text || text->empty() || *text == "false" || *text == "0")
        return false;
    if (*text == "true" || *text == "1")
        return true;
    throw badRequest("'" + std::string(name) + "' must be true or false.");
}

std::string readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace

ShotRequest parseShot(const Call& c, const Desktop& desktop, bool region, bool compressed) {
    ShotRequest r;
    const int w = desktop.width(), h = desktop.height();
    const std::string screen = "(the display is " + std::to_string(w) + "x" + std::to_string(h) + ")";
    r.width = w;
    r.height = h;
    if (region) {
        r.x = queryInt(c, "x", 0, w - 1, std::nullopt, screen);
        r.y = queryInt(c, "y", 0, h - 1, std::nullopt, screen);
        const std::string fit =
            "(the region must fit in the " + std::to_string(w) + "x" + std::to_string(h) + " display)";
        r.width = queryInt(c, "width", 1, w - r.x, std::nullopt, fit);
        r.height = queryInt(c, "height", 1, h - r.y, std::nullopt, fit);
    }
    r.showCursor = queryBool(c, "showCursor");
    if (compressed) {
        const std::string format = c.queryValue("format").value_or("png");
        if (format == "png" || format.empty())
            r.format = "png";
        else if (format == "jpeg" || format == "jpg")
            r.format = "jpeg";
        else
            throw badRequest("'format' must be png or jpeg.");
        r.quality = queryInt(c, "quality", 1, 100, 85);
        if (const auto s = c.queryValue("scale"); s && !s->empty()) {
            double v = 0;
            const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
            if (ec != std::errc() || end != s->data() + s->size() || !(v >= 0.1 && v <= 1.0))
                throw badRequest("'scale' must be a number between 0.1 and 1.0.");
            r.scale = v;
        }
    }
    return r;
}

awaitable<std::pair<int, int>> pointer(const Desktop& desktop) {
    auto querying = desktop.x({"xdotool", "getmouselocation", "--shell"});
    const std::string out = co_await std::move(querying);
    int x = -1, y = -1;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("X=", 0) == 0)
            x = std::atoi(line.c_str() + 2);
        else if (line.rfind("Y=", 0) == 0)
            y = std::atoi(line.c_str() + 2);
    }
    if (x < 0 || y < 0)
        throw apiError(500, "xdotool did not report the pointer's position.", code::kInternal);
    co_return std::pair{x, y};
}

awaitable<json> takeScreenshot(const Desktop& desktop, ShotRequest r) {
    static unsigned counter = 0;
    const std::string ext = r.format == "jpeg" ? ".jpg" : ".png";
    // A plain name: scrot expands '%' and '$' in file names, and this one has neither.
    const std::string base =
        desktop.privateDir() + "/shot-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    const std::string file = base + ext, thumb = base + "-thumb" + ext;
    std::vector<std::string> argv{"scrot", "-o", "-z"};
    if (r.showCursor)
        argv.push_back("-p");
    if (r.x != 0 || r.y != 0 || r.width != desktop.width() || r.height != desktop.height()) {
        argv.push_back("-a");
        argv.push_back(std::to_string(r.x) + "," + std::to_string(r.y) + "," + std::to_string(r.width) + "," +
                       std::to_string(r.height));
    }
    // Scaling: ImageMagick when the image has it (scrot's thumbnails ignore the quality), else scrot's
    // thumbnail. The capture itself is then lossless.
    const bool scaled = r.scale < 1.0;
    const bool magick = scaled && desktop.has("convert");
    const int tw = std::max(1, int(std::lround(r.width * r.scale)));
    const int th = std::max(1, int(std::lround(r.height * r.scale)));
    const std::string size = std::to_string(tw) + "x" + std::to_string(th);
    const std::string capture = magick ? base + "-full.png" : file;
    if (r.quality > 0 && !magick) {
        argv.push_back("-q");
        argv.push_back(std::to_string(r.quality));
    }
    if (scaled && !magick) {
        argv.push_back("-t");
        argv.push_back(size);
    }
    argv.push_back(capture);
    std::string image;
    std::exception_ptr failed;
    try {
        auto capturing = desktop.x(std::move(argv));
        co_await std::move(capturing);
        if (magick) {
            std::vector<std::string> convert{"convert", capture, "-resize", size + "!"};
            if (r.quality > 0) {
                convert.push_back("-quality");
                convert.push_back(std::to_string(r.quality));
            }
            convert.push_back(file);
            auto converting = desktop.x(std::move(convert));
            co_await std::move(converting);
        }
        image = readWhole(scaled && !magick ? thumb : file);
    } catch (...) {
        failed = std::current_exception();
    }
    for (const auto& f : {file, thumb, capture})
        ::unlink(f.c_str());
    if (failed)
        std::rethrow_exception(failed);
    if (image.empty())
        throw apiError(500, "scrot wrote no image.", code::kInternal);
    auto locating = pointer(desktop);
    const auto [px, py] = co_await std::move(locating);
    co_return json{{"screenshot", base64Encode(image)},
                   {"sizeBytes", image.size()},
                   {"cursorPosition", {{"x", px}, {"y", py}}}};
}

} // namespace cove::agent::computeruse
