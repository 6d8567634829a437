// The one place that knows Docker's JSON (and Podman's, which answers the same API): Cove's engine types
// to Docker's create body, and Docker's inspect and list answers to Cove's types. Pure functions, no I/O,
// so tests and the fuzz target check them without an engine.
#pragma once

#include "service/engine/Engine.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cove::engine::docker {

using nlohmann::json;

inline constexpr std::int64_t kCpuPeriod = 100000; // CPU limits are quotas of this many µs per period

json createBody(const ContainerSpec& spec);
// Docker's create body back to a spec: how an archived sandbox of an earlier Cove, which stored that
// body, is made again.
ContainerSpec specOfCreateBody(const json& body);
ContainerStatus statusOfInspect(const json& inspect); // GET /containers/{id}/json
ContainerStatus statusOfListEntry(const json& entry); // one item of GET /containers/json
ImageInfo imageOfInspect(const json& inspect);        // GET /images/{ref}/json
NetworkInfo networkOf(const json& network);           // GET /networks/{id}, or one item of /networks
// One line of a pull, build or import's progress stream.
Engine::ProgressMessage progressOf(const json& line);
// A registry's credentials as Docker's AuthConfig ({username, password, serveraddress}).
json authConfigOf(const RegistryAuth& auth);
// Base64 with the URL-safe alphabet and padding: how the X-Registry-Auth and X-Registry-Config headers
// carry their JSON.
std::string base64Url(std::string_view data);

// The engine's own seccomp filter for a container (the `linux.seccomp` of the OCI bundle it made), as a
// profile for HostConfig.SecurityOpt that also refuses btrfs's subvolume and snapshot creation: the
// ioctls _IOW(0x94, n, 4096 bytes), 0x50009400 to 0x500094ff, compared on their low 32 bits as the
// kernel reads them. A subvolume made inside a sandbox's filesystem has a quota group of its own, so
// what is written there would escape the sandbox's disk size. Nothing when the filter is not an allow
// list (default action ERRNO) that allows every ioctl.
std::optional<json> subvolumeSafeProfile(const json& seccomp);

} // namespace cove::engine::docker
