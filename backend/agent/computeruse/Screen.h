// Screenshots (scrot: PNG or JPEG, a region, scaled as a thumbnail of the exact size) and the pointer's
// position, in Daytona's ScreenshotResponse shape: {screenshot: base64, sizeBytes, cursorPosition}.
#pragma once

#include "agent/Call.h"
#include "agent/computeruse/Desktop.h"

#include <nlohmann/json.hpp>

#include <utility>

namespace cove::agent::computeruse {

struct ShotRequest {
    int x = 0, y = 0, width = 0, height = 0; // the region; the whole display by default
    bool showCursor = false;
    std::string format = "png"; // png or jpeg
    int quality = 0;            // 1-100; 0 leaves scrot's default
    double scale = 1.0;         // 0.1-1.0
};

// Reads the query of a screenshot route: the region (x, y, width, height) when `region`, and format,
// quality and scale when `compressed`. Throws 400s that name the allowed range.
ShotRequest parseShot(const Call& c, const Desktop& desktop, bool region, bool compressed);

awaitable<nlohmann::json> takeScreenshot(const Desktop& desktop, ShotRequest r);

// Where the pointer is.
awaitable<std::pair<int, int>> pointer(const Desktop& desktop);

} // namespace cove::agent::computeruse
