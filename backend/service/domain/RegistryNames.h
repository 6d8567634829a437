// The names private registries are matched by: an image reference's registry host and repository path, a
// registry URL as a user types it, and a Dockerfile's base images. Pure functions over untrusted text
// (tests/fuzz/fuzz_registry_names.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cove::domain {

// Docker Hub's registry host, which an image name without a host means.
constexpr const char* kDockerHub = "docker.io";

// Where an image comes from: its registry's host[:port] (Docker Hub's aliases read as docker.io, an
// image with no registry named is on docker.io) and its repository's path ("library/alpine").
struct ImageLocation {
    std::string host, path;
};
ImageLocation imageLocationOf(std::string_view image);
// A registry URL as a user types it ("registry.example.com:5000", "https://ghcr.io/", "docker.io") to the
// host[:port] images name it by. Throws DomainError (400, field `url`) saying what is wrong; never with
// the URL's credentials in it.
std::string registryHostOf(std::string_view url);
// Whether an image of `location` is in a registry at `host` under `project` ("" matches all of it).
bool registryServes(const std::string& host, const std::string& project, const ImageLocation& location);
// The base images a Dockerfile's FROM lines name (stages named by an earlier FROM ... AS excluded).
std::vector<std::string> baseImagesOf(std::string_view dockerfile);

} // namespace cove::domain
