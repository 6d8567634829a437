// Screen recordings of the sandbox's desktop, as Daytona's daemon makes them: ffmpeg grabbing the X
// display into an MP4 file in the sandbox user's recordings folder, run as that user and stopped with
// "q" on its input so the file is finalized. A recording's id is a UUID the agent makes; the file name
// starts with it, so recordings made before an agent restart are found again by scanning the folder.
#pragma once

#include "agent/Routes.h"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>

namespace cove::agent::computeruse {

class Desktop;

// How many recordings may run at once: each is an encoder using a core's worth of CPU.
constexpr int kMaxActiveRecordings = 2;
// Frames per second of a recording.
constexpr int kRecordingFrameRate = 15;
// The recordings folder, under the sandbox user's home.
constexpr const char* kRecordingsFolder = ".cove/recordings";

class Recorder {
public:
    Recorder(Toolbox& t, const Desktop& d);
    ~Recorder();

    // Starts one; 400 for a bad label, 409 when the desktop is not running or too many run, 503 without
    // ffmpeg, 500 with ffmpeg's own error when it does not start grabbing.
    boost::asio::awaitable<nlohmann::json> start(std::string label);
    // Stops one and waits for its file to be finalized; 404 for an id that is not recording.
    boost::asio::awaitable<nlohmann::json> stop(std::string id);
    // Stops every running recording (before the desktop goes away under them).
    boost::asio::awaitable<void> stopAll();

    nlohmann::json list() const;
    nlohmann::json get(const std::string& id) const;
    // 409 for one still recording.
    void remove(const std::string& id);
    // The finished file, opened as the sandbox user; never a link or anything outside the folder.
    OpenedFile open(const std::string& id) const;

    // Whether text is a recording id (a lower-case UUID): anything else is refused before any lookup.
    static bool validId(const std::string& id);
    // Daytona's label rule: 1 to 100 of letters, digits, spaces, '.', '_' and '-', not starting with '.'.
    static bool validLabel(const std::string& label);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace cove::agent::computeruse
